"""Pipes, terminals and locales, in real processes: `python -m taxonomy_cli` from this tree, and the installed `taxo`
when it is this tree's code (as in CI, after `pip install .`).

Every command is run with the examples its own --help shows, so a new command is covered as soon as it documents
an example.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import assert_inert
from taxonomy_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
TAXO = shutil.which("taxo")
POSIX = os.name == "posix"
_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def help_examples() -> list[list[str]]:
    """Every `taxo ...` example line in every command's --help."""
    from typer.main import get_command

    examples = []
    for command in get_command(app).commands.values():
        lines = (command.help or "").split("Examples:", 1)[-1].splitlines()
        for line in lines:
            if line.strip().startswith("taxo "):
                words = shlex.split(line)[1:]
                cut = [i for i, word in enumerate(words) if word in (">", "|", "&&")]  # taxo's part of a shell line
                examples.append(words[: cut[0]] if cut else words)
    return examples


def example_files(folder: Path, catalogue: str | None = None) -> dict[str, str]:
    """The files the examples name, made in `folder` (the working folder); returns the environment they need.

    `catalogue`: what my-models.yaml holds (by default the user catalogue of tests/data)."""
    from modelfiles import llama_gguf_tensors, llama_metadata, tiny_llama_tensors, write_gguf, write_hf_folder

    models = folder / "my-models.yaml"
    if catalogue is None:
        shutil.copy(ROOT / "tests" / "data" / "user" / "my-models.yaml", models)
    else:
        models.write_text(catalogue, encoding="utf-8")
    write_hf_folder(folder / "Mistral-7B-v0.1", tiny_llama_tensors())
    write_gguf(folder / "mistral-7b-v0.1.Q4_K_M.gguf", llama_metadata(), llama_gguf_tensors(tiny_llama_tensors()))
    accurate = "GPT-3, introduced by OpenAI in May 2020, has 175 billion parameters.\n"  # check's examples: no finding
    (folder / "article.md").write_text(accurate, encoding="utf-8")
    (folder / "docs").mkdir(exist_ok=True)
    (folder / "docs" / "models.md").write_text(accurate, encoding="utf-8")
    hub = folder.parent / f"{folder.name}-hf-hub"
    write_hf_folder(hub / "models--mistralai--Mistral-7B-v0.1" / "snapshots" / ("a" * 40), tiny_llama_tensors())
    return {"HF_HUB_CACHE": str(hub)}


EXAMPLES = help_examples()
FIRST_EXAMPLES = list({argv[0]: argv for argv in reversed(EXAMPLES)}.values())  # one per command
IDS = [" ".join(argv) for argv in EXAMPLES]


def base_env(**extra: str) -> dict[str, str]:
    """The user's environment without anything that changes taxo's output, plus `extra`."""
    dropped = ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "LINES", "PYTHONUNBUFFERED", "PYTHONIOENCODING", "TERM")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAXO_") and k not in dropped}
    env.update(extra)
    return env


def _installed_is_this_tree() -> bool:
    if TAXO is None:
        return False
    code = "import os, taxonomy_cli; print(os.path.dirname(taxonomy_cli.__file__))"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd="/", timeout=60)
    installed = Path(found.stdout.strip())
    if not found.stdout.strip() or not installed.is_dir():
        return False
    ours = sorted((ROOT / "taxonomy_cli").glob("*.py"))
    return all((installed / p.name).is_file() and (installed / p.name).read_bytes() == p.read_bytes() for p in ours)


INSTALLED = _installed_is_this_tree()


def command(runner: str) -> tuple[list[str], dict[str, str]]:
    """The argv prefix and extra environment that start taxo."""
    if runner == "installed":
        if not INSTALLED:
            pytest.skip("the installed taxo is not this tree's code (CI installs it; locally it may be main's)")
        return [TAXO], {}
    return [sys.executable, "-m", "taxonomy_cli"], {"PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A working folder holding the files the examples name, and the environment they need."""
    folder = tmp_path_factory.mktemp("work")
    return folder, example_files(folder)


@pytest.fixture(autouse=True)
def _in_workdir(workdir: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, env = workdir
    for name, value in env.items():
        monkeypatch.setenv(name, value)  # subprocesses inherit it; in-process runs see it too
    monkeypatch.chdir(folder)


def run(argv: list[str], runner: str = "module", **env: str) -> subprocess.CompletedProcess:
    prefix, extra = command(runner)
    return subprocess.run([*prefix, *argv], capture_output=True, text=True, env=base_env(**extra, **env), timeout=120)


def quiet(stderr: str) -> bool:
    """Nothing on stderr but taxo's own notes beside the data (`taxo: note: showing 20 of 38 hits`)."""
    return all(line.startswith("taxo: note: ") for line in stderr.splitlines())


def test_every_command_documents_an_example():
    from typer.main import get_command

    documented = {argv[0] for argv in EXAMPLES}
    assert documented == set(get_command(app).commands)  # inspect's examples name files: example_files makes them


# -- pipes --------------------------------------------------------------------------------------------------------


def _closed_pipe_run(argv: list[str], runner: str, unbuffered: bool) -> subprocess.CompletedProcess:
    """Run with stdout a pipe nobody reads (closed before taxo starts): every write meets EPIPE."""
    prefix, extra = command(runner)
    env = base_env(**extra, **({"PYTHONUNBUFFERED": "1"} if unbuffered else {}))
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([*prefix, *argv], stdout=write_end, stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    finally:
        os.close(write_end)


@pytest.mark.skipif(not POSIX, reason="POSIX pipes")
@pytest.mark.parametrize("argv", EXAMPLES, ids=IDS)
def test_a_closed_pipe_ends_quietly(argv):
    """Buffered (a user's default) the output meets the closed pipe at exit; unbuffered, mid-way: both quiet, exit 0."""
    for unbuffered in (False, True):
        result = _closed_pipe_run(argv, "module", unbuffered)
        assert quiet(result.stderr), (unbuffered, result.stderr)
        assert result.returncode == 0, (unbuffered, result.returncode)


@pytest.mark.skipif(not POSIX, reason="POSIX shell")
@pytest.mark.parametrize("runner", ["module", "installed"])
@pytest.mark.parametrize("argv", EXAMPLES, ids=IDS)
def test_head_1_is_quiet(argv, runner):
    if runner == "installed" and argv not in FIRST_EXAMPLES:
        pytest.skip("the installed copy runs one example per command")
    prefix, extra = command(runner)
    line = " ".join(shlex.quote(a) for a in [*prefix, *argv]) + " | head -1"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", line], capture_output=True, text=True, env=base_env(**extra), timeout=120
    )
    assert quiet(result.stderr)
    assert result.returncode == 0  # even under pipefail: taxo's side of the pipe ends with 0
    assert len(result.stdout.splitlines()) == 1 and "\x1b" not in result.stdout


@pytest.mark.parametrize("argv", EXAMPLES, ids=IDS)
def test_piped_output_is_plain(taxo, argv):
    """Not a terminal: no escape codes, nothing raw, and every documented example works."""
    result = taxo(*argv)
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert_inert(result.stdout, result.stderr)


def test_a_full_disk_is_one_line_and_exit_1():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    prefix, extra = command("module")
    for unbuffered in ({}, {"PYTHONUNBUFFERED": "1"}):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [*prefix, "tree"], stdout=full, stderr=subprocess.PIPE, text=True, env=base_env(**extra, **unbuffered),
                timeout=120,
            )
        assert result.returncode == 1
        assert result.stderr == "taxo: error: cannot write the output: No space left on device\n"


# -- locales: an ASCII-only terminal ------------------------------------------------------------------------------

ASCII_LOCALES = {
    "LANG=C": {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
}


@pytest.mark.parametrize("locale", sorted(ASCII_LOCALES))
@pytest.mark.parametrize("fmt", ["auto", "table"])
@pytest.mark.parametrize("argv", FIRST_EXAMPLES, ids=" ".join)
def test_ascii_only_output_is_readable_not_a_crash(argv, fmt, locale):
    formats = [] if fmt == "auto" or "--format" in argv else ["--format", fmt]
    result = run([*argv, *formats], **ASCII_LOCALES[locale])
    if formats and result.returncode == 2:
        pytest.skip(f"{argv[0]} has no --format table")
    assert result.returncode == 0, result.stderr
    assert quiet(result.stderr) and result.stderr.isascii()
    assert result.stdout.isascii()
    assert "UnicodeEncodeError" not in result.stdout


def test_ascii_stand_ins_are_readable():
    env = ASCII_LOCALES["PYTHONIOENCODING=ascii"]
    show = run(["show", "mistral-7b"], **env).stdout
    assert "Modalities:      text -> text" in show
    compare = run(["compare", "mistral-7b", "phi-2", "--format", "table"], COLUMNS="120", **env).stdout
    assert "!= marks the rows" in compare and "+--" in compare  # rich's ASCII box, our stand-in for ≠
    tree = run(["tree", "--depth", "2"], **env).stdout
    assert "|-- " in tree and "`-- " in tree
    chart = run(["chart", "params", "--category", "slm"], **env).stdout
    assert "####" in chart and "\\u" not in chart


def test_json_on_an_ascii_terminal_keeps_exact_strings():
    import json

    result = run(["show", "dall-e", "--format", "json"], **ASCII_LOCALES["PYTHONIOENCODING=ascii"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii()
    assert json.loads(result.stdout)["name"] == "DALL·E"


def test_a_listing_in_json_on_an_ascii_output_keeps_exact_strings_and_equals_the_utf8_one():
    """`list --format json` is written from cached UTF-8 pieces; an ASCII-only output gets the same document."""
    import json

    utf8 = run(["list", "--format", "json"])
    ascii_only = run(["list", "--format", "json"], **ASCII_LOCALES["PYTHONIOENCODING=ascii"])
    assert utf8.returncode == ascii_only.returncode == 0, ascii_only.stderr
    assert ascii_only.stdout.isascii() and not utf8.stdout.isascii()
    assert json.loads(ascii_only.stdout) == json.loads(utf8.stdout)
    assert "DALL·E" in {m["name"] for m in json.loads(ascii_only.stdout)["models"]}


def test_the_listing_sent_from_the_cache_file_is_the_listing(tmp_path):
    """From the second run on, `list --format json` sends the cached listing straight from the cache file to the
    output (os.sendfile): to a pipe and to a file it is byte for byte what the first run built and wrote."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    built = run(["list", "--format", "json"], **env)
    piped = run(["list", "--format", "json"], **env)
    prefix, extra = command("module")
    with open(tmp_path / "listing.json", "wb") as file:
        written = subprocess.run([*prefix, "list", "--format", "json"], stdout=file, stderr=subprocess.PIPE,
                                 env=base_env(**extra, **env), timeout=120)  # fmt: skip
    assert built.returncode == piped.returncode == written.returncode == 0
    assert built.stdout == piped.stdout == (tmp_path / "listing.json").read_text(encoding="utf-8")
    assert json.loads(piped.stdout)["matched"] == len(json.loads(piped.stdout)["models"]) > 500


# -- terminals (a pseudo-terminal, so taxo sees a real tty) -------------------------------------------------------


def run_in_terminal(argv: list[str], columns: int = 100, **env: str) -> str:
    """Run taxo with stdout and stderr on a pseudo-terminal; return everything it wrote."""
    import fcntl
    import pty
    import struct
    import termios

    prefix, extra = command("module")
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        [*prefix, *argv], stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal, env=base_env(**extra, **env)
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def colours(text: str) -> list[str]:
    """SGR parameters that set a colour (30-38, 40-48, 90-97, 100-107), as opposed to bold or italic."""
    found = []
    for params in _SGR.findall(text):
        codes = [int(p) for p in params.split(";") if p]
        found.extend(str(c) for c in codes if 30 <= c <= 38 or 40 <= c <= 48 or 90 <= c <= 97 or 100 <= c <= 107)
    return found


terminal_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminals as on Linux")


@terminal_only
@pytest.mark.parametrize("argv", FIRST_EXAMPLES, ids=" ".join)
def test_a_colour_terminal_gets_styles_and_only_style_codes(argv):
    out = run_in_terminal(argv, TERM="xterm-256color")
    assert _SGR.search(out) or "json" in argv or argv[0] == "validate"  # the styles are really on...
    assert_inert(out, allow_sgr=True)  # ...and they are all there is


@terminal_only
@pytest.mark.parametrize("argv", FIRST_EXAMPLES, ids=" ".join)
def test_no_color_means_no_colour(argv):
    out = run_in_terminal(argv, TERM="xterm-256color", NO_COLOR="1")
    assert colours(out) == []
    assert_inert(out, allow_sgr=True)


@terminal_only
@pytest.mark.parametrize("argv", FIRST_EXAMPLES, ids=" ".join)
def test_a_dumb_terminal_gets_no_escape_codes(argv):
    out = run_in_terminal(argv, TERM="dumb")
    assert "\x1b" not in out
    assert_inert(out)


@terminal_only
@pytest.mark.parametrize("argv", FIRST_EXAMPLES, ids=" ".join)
def test_twenty_columns_stay_within_twenty(argv):
    from rich.cells import cell_len

    out = run_in_terminal(argv, TERM="xterm-256color", COLUMNS="20")
    plain = _SGR.sub("", out)
    too_wide = [line for line in plain.splitlines() if cell_len(line) > 20]
    if argv[0] in ("validate",) or "json" in argv or "markdown" in argv:
        return  # one-line summaries, JSON and markdown are data: never cut
    assert too_wide == []


@terminal_only
@pytest.mark.parametrize("locale", sorted(ASCII_LOCALES))
def test_an_ascii_terminal_gets_ascii_boxes(locale):
    out = run_in_terminal(["compare", "mistral-7b", "phi-2"], TERM="xterm-256color", **ASCII_LOCALES[locale])
    assert out.isascii()
    assert "+--" in out and "!=" in out


# -- Ctrl-C -------------------------------------------------------------------------------------------------------

_INTERRUPTED = """
import os, signal, sys, time
from taxonomy_cli import {module} as target
real = target.{function}
def interrupted(*args, **kwargs):
    {action}
    return real(*args, **kwargs)
target.{function} = interrupted
from taxonomy_cli.cli import main
sys.argv = ["taxo", *sys.argv[1:]]
main()
"""
SELF_INTERRUPT = "os.kill(os.getpid(), signal.SIGINT); time.sleep(30)"
WAIT = "sys.stderr.write('ready\\n'); sys.stderr.flush(); time.sleep(60)"


@pytest.mark.skipif(not POSIX, reason="POSIX signals")
@pytest.mark.parametrize(
    ("module", "function", "argv"),
    [
        ("catalog", "load", ["show", "phi-2"]),  # while reading the catalogue
        ("queries", "find", ["show", "phi-2"]),  # while answering
        ("output", "emit_document", ["tree"]),  # while writing
        ("output", "emit_json", ["show", "phi-2", "--format", "json"]),
    ],
)
def test_ctrl_c_exits_130_without_a_trace(module, function, argv):
    """A real SIGINT, sent by the process to itself at a chosen moment (no race with start-up)."""
    code = _INTERRUPTED.format(module=module, function=function, action=SELF_INTERRUPT)
    prefix, extra = command("module")
    env = base_env(**extra, TAXO_NO_CACHE="1")  # the catalogue is read, not found in the cache
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 130
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr


@pytest.mark.skipif(not POSIX, reason="POSIX signals")
def test_ctrl_c_from_outside_exits_130_without_a_trace():
    """SIGINT from another process, as a terminal sends it, while taxo waits inside the catalogue loader."""
    code = _INTERRUPTED.format(module="catalog", function="load", action=WAIT)
    prefix, extra = command("module")
    process = subprocess.Popen(
        [sys.executable, "-c", code, "show", "phi-2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=base_env(**extra, TAXO_NO_CACHE="1"),
    )
    assert process.stderr.readline() == "ready\n"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stdout == "" and "Traceback" not in stderr and "KeyboardInterrupt" not in stderr


# -- closed and full streams (issue 20): the exit code still tells, one line at most, never a traceback -----------


def _streams_run(argv: list[str], condition: str) -> subprocess.CompletedProcess:
    """Run taxo with one standard stream closed or full (/dev/full: every write fails with ENOSPC)."""
    prefix, extra = command("module")
    env = base_env(**extra)
    streams: dict = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    opened = []
    if condition.endswith("full"):
        opened.append(open(os.devnull.replace("null", "full"), "w"))  # noqa: SIM115 - closed below
        streams["stdout" if condition.startswith("stdout") else "stderr"] = opened[0]
    closing = {"stdout-closed": 1, "stderr-closed": 2}.get(condition)
    try:
        return subprocess.run(
            [*prefix, *argv], text=True, env=env, timeout=120, close_fds=True,
            preexec_fn=(lambda: os.close(closing)) if closing else None,  # noqa: PLW1509 - the child closes its own
            **streams,
        )  # fmt: skip
    finally:
        for file in opened:
            file.close()


@pytest.mark.skipif(not (POSIX and os.path.exists("/dev/full")), reason="POSIX streams and /dev/full")
@pytest.mark.parametrize("condition", ["stdout-closed", "stdout-full", "stderr-closed", "stderr-full"])
@pytest.mark.parametrize("argv", [*FIRST_EXAMPLES, ["show", "no-such-model"]], ids=" ".join)
def test_closed_and_full_streams_keep_the_exit_code_and_never_trace(argv, condition):
    normal = run(argv)
    result = _streams_run(argv, condition)
    stderr = result.stderr or ""
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    if condition.startswith("stderr") or normal.returncode != 0 or not normal.stdout:
        assert result.returncode == normal.returncode, (condition, stderr)  # messages lost, the code kept
    else:  # the output itself cannot be written: one line says so, exit 1
        assert result.returncode == 1, (condition, stderr)
        errors = [line for line in stderr.splitlines() if not line.startswith("taxo: note: ")]
        assert len(errors) == 1 and errors[0].startswith("taxo: error: cannot write the output"), stderr
