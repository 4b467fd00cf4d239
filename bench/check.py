"""How fast `taxo check` reads a docs tree, against `codespell` over the same tree (issue 17: at most 2x).

    python bench/check.py                # 1,000 Markdown files, ~8 MB, 7 alternating runs each
    python bench/check.py --runs 15 --check

The tree is generated from our own sentences: prose that names no model, and a claim about a
model (right, wrong, debunking) in every 25 (CLAIM_SHARE), with a table now and then, so it exercises every
part of the checker. Both tools run as the user would run
them, from the same interpreter's environment, alternating round after round; each ratio is a ratio of medians.
Peak memory of taxo check is reported too (it reads one file at a time: bounded by the largest file, not the tree).
codespell is not a dependency of taxo: `pip install codespell` to run this.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = 1_000
FILE_BYTES = 8_000  # ~8 MB in all

CLAIM_SHARE = 0.04  # of the sentences: a docs tree that often names models (most name none)
CLAIMS = [  # claims about models, right and wrong, debunking
    "GPT-3 has 175 billion parameters and was introduced by OpenAI in May 2020.",
    "GPT-4, a giant with a staggering 170 trillion parameters, changed everything.",
    "Mistral 7B is a small language model from Mistral AI with 7.3 billion parameters.",
    "BERT is one of the classic LLMs.",
    "Llama 2 by Salesforce was released in July 2023.",
    "Falcon 180B is Apache 2.0, so you can use it anywhere.",
    "The rumoured 1.76 trillion parameters of GPT-4 were never confirmed.",
    "Gemma 2B has a context window of 8K tokens.",
    "Qwen3-8B was trained on 36 trillion tokens.",
    "Whisper is a text-to-speech model.",
    "An LLM is a language model fine-tuned for conversation.",
]
PROSE = [  # the rest: what docs are mostly made of
    "Our deployment pipeline retries each request three times before it gives up.",
    "Set the environment variable before you start the server, then open the dashboard.",
    "The quick brown fox jumps over the lazy dog while the team reviews the release notes.",
    "Latency dropped from 120 ms to 45 ms after we cached the embeddings.",
    "Install the package with pip, pin its version in the lock file and run the tests before each release.",
    "The API returns a JSON object with the request id, the status and, on failure, a short message.",
    "We rotate the access keys every 90 days and keep the old ones valid for a week.",
    "Each worker reads from the queue, writes its results to the bucket and reports its progress every minute.",
    "If the build fails on main, the on-call engineer reverts the change within the hour.",
]
TABLE = ["| Model | Parameters | Context |", "| --- | --- | --- |", "| Mistral 7B | 7.3B | 32K tokens |",
         "| GPT-3 | 175B | 2K |"]  # fmt: skip


def write_tree(folder: Path, files: int = FILES) -> int:
    """`files` Markdown files of about FILE_BYTES each, in ten folders; returns the bytes written."""
    rng = random.Random(17)
    total = 0
    for n in range(files):
        lines = [f"# Notes {n}", ""]
        size = 0
        while size < FILE_BYTES:
            paragraph = " ".join(rng.choice(CLAIMS if rng.random() < CLAIM_SHARE else PROSE) for _ in range(4))
            lines += [paragraph, ""]
            size += len(paragraph) + 1
            if rng.random() < 0.02:
                lines += [*TABLE, ""]
        text = "\n".join(lines)
        path = folder / f"part-{n % 10}" / f"note-{n:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
    return total


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd, check=False)
    return time.perf_counter() - started


def peak_kib(argv: list[str], env: dict[str, str], cwd: Path) -> int:
    """The child's own high-water resident set (VmHWM), read as it exits, where /proc exists."""
    if not Path("/proc/self/status").exists():
        return 0
    probe = ("import atexit, runpy, sys\n"
             "def peak():\n"
             "    for line in open('/proc/self/status'):\n"
             "        if line.startswith('VmHWM:'):\n"
             "            sys.stderr.write('PEAK ' + line.split()[1] + '\\n')\n"
             "atexit.register(peak)\n"
             "sys.argv = ['taxo', *sys.argv[1:]]\n"
             "runpy.run_module('taxonomy_cli', run_name='__main__')\n")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, env=env, cwd=cwd,
                          check=False)  # fmt: skip
    found = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK ")]
    return int(found[-1]) if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    options = parser.parse_args(argv)
    codespell = shutil.which("codespell")
    if codespell is None:
        print("codespell is not installed (pip install codespell): nothing to compare with")
        return 0 if not options.check else 1
    with tempfile.TemporaryDirectory(prefix="taxo-check-bench-") as tmp:
        work = Path(tmp)
        tree = work / "docs"
        size = write_tree(tree)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(work / "cache")}
        env.pop("TAXO_CATALOG", None)
        taxo = [sys.executable, "-m", "taxonomy_cli", "check", str(tree), "--fail-on", "never"]
        spell = [codespell, str(tree)]
        timed(taxo, env, work), timed(spell, env, work)  # warm up: taxo's catalogue cache, both tools' imports
        taxo_times, spell_times = [], []
        for _ in range(options.runs):
            taxo_times.append(timed(taxo, env, work))
            spell_times.append(timed(spell, env, work))
        peak = peak_kib(taxo[3:], env, work)
        ratio = statistics.median(taxo_times) / statistics.median(spell_times)
        files = sum(1 for _ in tree.rglob("*.md"))
        print(f"taxo check vs codespell: {files:,} Markdown files, {size / 1e6:.1f} MB, {options.runs} alternating "
              f"runs each, medians")  # fmt: skip
        print(f"  taxo check   {statistics.median(taxo_times) * 1000:8.0f} ms   peak memory {peak / 1024:.1f} MiB")
        print(f"  codespell    {statistics.median(spell_times) * 1000:8.0f} ms")
        outcome = "PASS" if ratio <= 2 else "FAIL"
        print(f"  ratio        {ratio:8.2f}x   target <= 2x   {outcome}")
        return 1 if options.check and outcome == "FAIL" else 0


if __name__ == "__main__":
    sys.exit(main())
