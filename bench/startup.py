"""How fast taxo answers, as ratios of the same interpreter's `python -c pass` measured in the same run (issue 9).

    python bench/startup.py              # print every ratio next to its target, PASS or FAIL
    python bench/startup.py --check      # the same, and exit 1 when a target is missed
    python bench/startup.py --clean      # in a clean virtual environment of the same interpreter (see below)
    python bench/startup.py --runs 31 --no-scale

Every command runs as `[sys.executable, "-m", "taxonomy_cli", ...]` (no console-script shim is measured), with the
taxonomy_cli of this checkout first on the path, from an empty folder, with a fresh cache folder (XDG_CACHE_HOME)
and bytecode caching on (PYTHONPYCACHEPREFIX), as after `pip install`. Each command runs once to warm up (which
also fills taxo's catalogue cache), then all commands take turns, round after round, and each ratio is
median(command) / median(python -c pass). Commands that do not exist on this branch are reported as skipped.

The scale cases generate a catalogue of 10,000 extra models as rich as the bundled ones (renamed copies of bundled
entries with their notes, alternatives, sources, judgements and myths: bench/scale.py), one file per copy, and
compare each command given it with `--catalog` against the same command on the bundled catalogue alone (targets of
issue 19: show, compare and sources <= 1.3x, search <= 1.5x, list --format json <= 2x). The first run after the
catalogue changed (YAML parsed, compiled cache and store written) is timed once. Peak memory
is taken in one extra run of each: the process's own high-water resident set size (VmHWM in /proc/self/status,
read as it exits). Not wait4's ru_maxrss: on Linux a child started with vfork or fork keeps its parent's
high-water mark across exec, so ru_maxrss reports this script's memory whenever that is the larger (it is used
where /proc is missing, with a note).

--clean runs the baseline and taxo alike with the python of a fresh virtual environment (made with `venv` from
this interpreter, seeing the same installed packages through a path file) instead of sys.executable itself: the
same interpreter, without whatever start-up hooks the .pth files of this site-packages add to every Python run.
(In the sandbox these figures were first taken in, one such hook added ~25 ms to `python -c pass`, which made
every ratio look three times better than it is on a clean install.)

Not a test: timings depend on the machine. Run it on a quiet one.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import platform
import pty
import statistics
import struct
import subprocess
import sys
import sysconfig
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_RUNS = 15
SCALE_MODELS = 10_000
TERMINAL_SIZE = (50, 100)  # rows, columns of the pseudo-terminal


@dataclass
class Case:
    """One command line and what its median may cost."""

    label: str
    args: tuple[str, ...]
    target: float | None = None  # at most this many times the baseline (or the bundled run, for scale cases)
    terminal: bool = False
    times: list[float] = field(default_factory=list)
    peak_kib: int = 0
    peak_exact: bool = True
    skipped: str = ""
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)


@dataclass
class Run:
    seconds: float
    exit_code: int
    stdout: bytes
    stderr: bytes
    peak_kib: int


def startup_cases() -> list[Case]:
    """The targets of issue 9, as ratios of `python -c pass`."""
    return [
        Case("show mistral-7b --format json", ("show", "mistral-7b", "--format", "json"), 8),
        Case("show mistral-7b | cat", ("show", "mistral-7b"), 8),
        Case("show mistral-7b (terminal)", ("show", "mistral-7b"), 11, terminal=True),
        Case("--help", ("--help",), 10),
        Case("explain foundation | cat", ("explain", "foundation"), 10),
        Case("compare llm slm | cat", ("compare", "llm", "slm"), 10),
    ]


def scale_pairs(catalog: Path) -> list[tuple[Case, Case]]:
    """(bundled catalogue alone, bundled + 10,000 rich models): the second may cost at most `target` x the first."""
    commands = [
        ("show mistral-7b", ("show", "mistral-7b"), 1.3),
        ("compare mistral-7b phi-2", ("compare", "mistral-7b", "phi-2"), 1.3),
        ("sources mistral-7b", ("sources", "mistral-7b"), 1.3),
        ("search mistral", ("search", "mistral"), 1.5),
        ("list --format json", ("list", "--format", "json"), 2),
    ]
    extra = ("--catalog", str(catalog))
    return [(Case(label, args), Case(label, (*extra, *args), target)) for label, args, target in commands]


# -- running ----------------------------------------------------------------------------------------------------


def environment(work: Path) -> dict[str, str]:
    """The children's environment: this checkout first, a private cache, bytecode on, no user settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAXO_")}
    for name in ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME"):
        env.pop(name, None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH", "")])])
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["XDG_CACHE_HOME"] = str(work / "cache")
    env.setdefault("TERM", "xterm-256color")
    return env


def clean_python(work: Path) -> str:
    """A fresh virtual environment's python that sees this interpreter's packages but runs none of their hooks."""
    import venv

    folder = work / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(folder)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    packages = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    # A plain path line: the folder joins sys.path, but the .pth files inside it are not run.
    Path(packages, "taxo-bench-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return str(python)


def run(argv: list[str], env: dict[str, str], cwd: Path, terminal: bool) -> Run:
    """Run once; wall time from just before the fork to the child's exit, and its peak memory."""
    with tempfile.TemporaryFile() as errors:
        if terminal:
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *TERMINAL_SIZE, 0, 0))
            start = time.perf_counter()
            child = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=errors, env=env, cwd=cwd)
            os.close(slave)
            chunks = []
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            os.close(master)
            stdout = b"".join(chunks)
        else:
            start = time.perf_counter()
            child = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, env=env, cwd=cwd
            )
            stdout = child.stdout.read()
            child.stdout.close()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: tell Popen
        errors.seek(0)
        return Run(seconds, child.returncode, stdout, errors.read(), usage.ru_maxrss)


def taxo_argv(case: Case, python: str) -> list[str]:
    return [python, "-m", "taxonomy_cli", *case.args]


# Runs taxo as `-m taxonomy_cli` does, then writes the process's own memory high-water mark to $TAXO_BENCH_PEAK.
_PEAK_PROBE = """
import atexit, os, runpy, sys
peak_file = os.environ.pop("TAXO_BENCH_PEAK")
def report():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(peak_file, "w") as out:
        out.write(peak)
atexit.register(report)
sys.argv = ["taxonomy_cli", *sys.argv[1:]]
runpy.run_module("taxonomy_cli", run_name="__main__", alter_sys=True)
"""


def peak_memory(case: Case, python: str, env: dict[str, str], cwd: Path) -> tuple[int, bool]:
    """(KiB, exact): VmHWM from /proc where there is one, else wait4's ru_maxrss (which may be the parent's)."""
    if not Path("/proc/self/status").exists():
        return run(taxo_argv(case, python), env, cwd, case.terminal).peak_kib, False
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder, "peak")
        run([python, "-c", _PEAK_PROBE, *case.args], {**env, "TAXO_BENCH_PEAK": str(peak_file)}, cwd, case.terminal)
        return int(peak_file.read_text()), True


def warm_up(case: Case, python: str, env: dict[str, str], cwd: Path) -> None:
    """One run: fills the caches, and tells a missing command (skipped) from a failing one."""
    result = run(taxo_argv(case, python), env, cwd, case.terminal)
    if result.exit_code == 2 and b"No such command" in result.stderr:
        case.skipped = "skipped (command missing)"
    elif result.exit_code != 0:
        lines = result.stderr.decode(errors="replace").strip().splitlines() or [""]
        case.error = f"error (exit {result.exit_code}): {lines[-1][:60]}"


def measure(cases: list[Case], baseline: Case, runs: int, python: str, env: dict, cwd: Path) -> None:
    """All commands take turns, `runs` rounds: slow drifts of the machine hit every command alike."""
    for case in cases:
        warm_up(case, python, env, cwd)
    live = [c for c in cases if not (c.skipped or c.error)]
    baseline_argv = [python, "-c", "pass"]
    run(baseline_argv, env, cwd, False)
    for _ in range(runs):
        result = run(baseline_argv, env, cwd, False)
        baseline.times.append(result.seconds)
        for case in live:
            result = run(taxo_argv(case, python), env, cwd, case.terminal)
            if result.exit_code != 0:
                case.error = f"error (exit {result.exit_code}) during the runs"
            case.times.append(result.seconds)
    for case in live:
        case.peak_kib, case.peak_exact = peak_memory(case, python, env, cwd)


# -- the generated catalogue ------------------------------------------------------------------------------------


def write_scale_catalog(folder: Path, count: int = SCALE_MODELS) -> int:
    """`count` extra models, renamed copies of the bundled ones with everything they cite (bench/scale.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from scale import write_rich_catalog

    return write_rich_catalog(folder, count)


def first_run(catalog: Path, python: str, env: dict[str, str], cwd: Path) -> float:
    """Seconds of the first `show` after the catalogue changed: YAML parsed, compiled cache and store written."""
    fresh = {**env, "XDG_CACHE_HOME": str(cwd.parent / "first-run-cache")}
    return run([python, "-m", "taxonomy_cli", "--catalog", str(catalog), "show", "mistral-7b"], fresh, cwd,
               False).seconds  # fmt: skip


# -- report -----------------------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def mib(kib: int) -> str:
    return f"{kib / 1024:6.1f} MiB"


def verdict(ratio: float, target: float) -> str:
    return "PASS" if ratio <= target else "FAIL"


def report_startup(cases: list[Case], baseline: Case) -> list[str]:
    """Print each command's median and ratio next to its target; return the verdicts."""
    print(f"\n{'command':34} {'median':>10} {'ratio':>7} {'target':>8}  result")
    print(f"{'python -c pass (baseline)':34} {ms(baseline.median):>10} {'1.0x':>7}")
    verdicts = []
    for case in cases:
        if case.skipped or case.error:
            print(f"{case.label:34} {case.skipped or case.error}")
            verdicts.append("FAIL" if case.error else "SKIP")
            continue
        ratio = case.median / baseline.median
        outcome = verdict(ratio, case.target)
        verdicts.append(outcome)
        print(f"{case.label:34} {ms(case.median):>10} {ratio:6.1f}x {'<= ' + str(case.target) + 'x':>8}  {outcome}")
    return verdicts


def report_scale(pairs: list[tuple[Case, Case]], baseline: Case) -> list[str]:
    print(
        f"\n{'command (bundled vs +10,000 models)':36} {'bundled':>10} {'+10,000':>10} {'ratio':>7} {'target':>7}"
        f"  {'peak memory':>21}  result"
    )
    verdicts = []
    for alone, scaled in pairs:
        problem = alone.skipped or alone.error or scaled.skipped or scaled.error
        if problem:
            print(f"{alone.label:36} {problem}")
            verdicts.append("FAIL" if (alone.error or scaled.error) else "SKIP")
            continue
        ratio = scaled.median / alone.median
        outcome = verdict(ratio, scaled.target)
        verdicts.append(outcome)
        approximate = "" if alone.peak_exact and scaled.peak_exact else " (ru_maxrss: may be this script's)"
        memory = f"{mib(alone.peak_kib).strip()} / {mib(scaled.peak_kib).strip()}{approximate}"
        print(
            f"{alone.label:36} {ms(alone.median):>10} {ms(scaled.median):>10} {ratio:6.2f}x "
            f"{'<= ' + format(scaled.target, 'g') + 'x':>7}"
            f"  {memory:>21}  {outcome}"
        )
    for alone, scaled in pairs:
        if alone.times and scaled.times:
            print(
                f"  ({alone.label}: {alone.median / baseline.median:.1f}x python -c pass bundled, "
                f"{scaled.median / baseline.median:.1f}x with +10,000)"
            )
    return verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=MIN_RUNS, help=f"rounds (at least {MIN_RUNS} for --check)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--clean", action="store_true", help="run the baseline and taxo in a fresh virtual "
                        "environment of this interpreter: leaves out start-up hooks of site-packages' .pth files")
    parser.add_argument("--no-scale", action="store_true", help="skip the 10,000-model cases")
    options = parser.parse_args(argv)
    if options.check and options.runs < MIN_RUNS:
        parser.error(f"--check needs --runs {MIN_RUNS} or more")
    with tempfile.TemporaryDirectory(prefix="taxo-bench-") as tmp:
        work = Path(tmp)
        cwd = work / "cwd"
        cwd.mkdir()
        env = environment(work)
        python = clean_python(work) if options.clean else sys.executable
        where = f"a clean virtual environment of {sys.executable}" if options.clean else sys.executable
        print(
            f"taxo start-up benchmark: {where} (Python {platform.python_version()}), "
            f"taxonomy_cli from {ROOT}, {options.runs} alternating runs each, medians"
        )
        baseline = Case("python -c pass", ())
        cases = startup_cases()
        measure(cases, baseline, options.runs, python, env, cwd)
        verdicts = report_startup(cases, baseline)

        if not options.no_scale:
            started = time.perf_counter()
            size = write_scale_catalog(work / "scale")
            files = len(list((work / "scale").glob("*.yaml")))
            print(
                f"\nscale: {SCALE_MODELS:,} rich models (renamed copies of bundled entries) in {files} files "
                f"({size / 1e6:.1f} MB of YAML, written in {time.perf_counter() - started:.1f} s), "
                "given with --catalog; warm cache"
            )
            print(f"first run after the catalogue changed (YAML parsed, cache and store written): "
                  f"{first_run(work / 'scale', python, env, cwd):.2f} s")
            pairs = scale_pairs(work / "scale")
            scale_baseline = Case("python -c pass", ())
            measure([c for pair in pairs for c in pair], scale_baseline, options.runs, python, env, cwd)
            verdicts += report_scale(pairs, scale_baseline)

    failed = verdicts.count("FAIL")
    print(f"\n{verdicts.count('PASS')} pass, {failed} fail, {verdicts.count('SKIP')} skipped")
    if options.runs < MIN_RUNS:
        print(f"(fewer than {MIN_RUNS} runs: indicative only)")
    return 1 if options.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
