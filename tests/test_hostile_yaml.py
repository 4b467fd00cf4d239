"""Hostile catalogue files, generated here: each is refused quickly, in bounded memory, with an error naming the file
(exit 4), both by `taxo validate FILE` and by any command given `--catalog FILE`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import assert_inert
from taxonomy_cli import yamlfile

ROOT = Path(__file__).resolve().parent.parent


def billion_laughs() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


def merge_bomb() -> bytes:
    return b"base: &b {x: 1}\nmodels:\n  - <<: *b\n    id: m\n"


HOSTILE: dict[str, tuple[bytes, str]] = {
    # name: (content, what the message must say)
    "billion-laughs.yaml": (billion_laughs(), "billion-laughs.yaml:2: YAML aliases (*name) are not supported"),
    "merge-key.yaml": (merge_bomb(), "merge-key.yaml:3: YAML merge keys (<<) are not supported"),
    "too-large.yaml": (b"# padding\n" * (900 * 1024), "too-large.yaml: 9216000 bytes is too large"),
    "deep-flow.yaml": (b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", "deep-flow.yaml:1: nesting is deeper than 64"),
    "deep-block.yaml": (
        "".join(f"{'  ' * level}k:\n" for level in range(1000)).encode(),
        "deep-block.yaml:65: nesting is deeper than 64",
    ),
    "binary.yaml": (bytes(range(256)) * 4, "binary.yaml: contains NUL bytes"),
    "binary-no-nul.yaml": (bytes(range(0x80, 0x100)) * 4, "binary-no-nul.yaml:1: not valid UTF-8 text (byte 0)"),
    "latin-1.yaml": ("models:\n  - id: caf\xe9\n".encode("latin-1"), "latin-1.yaml:2: not valid UTF-8 text (byte 19)"),
    "utf-16.yaml": ("models: []\n".encode("utf-16"), "utf-16.yaml"),
    "duplicate-keys.yaml": (b"models:\n  - id: a\n    name: A\n    name: B\n", "duplicate-keys.yaml:4: duplicate key 'name'"),
    "python-object.yaml": (b"x: !!python/object:os.system {}\n", "python-object.yaml:1: unsupported YAML tag"),
    "python-apply.yaml": (b"x: !!python/object/apply:os.system ['echo pwned']\n", "python-apply.yaml:1: unsupported YAML tag"),
    "python-name.yaml": (b"x: !!python/name:os.system\n", "python-name.yaml:1: unsupported YAML tag"),
    "custom-tag.yaml": (b"x: !secret 1\n", "custom-tag.yaml:1: unsupported YAML tag"),
    "binary-tag.yaml": (b"x: !!binary aGVsbG8=\n", "binary-tag.yaml:1: unsupported YAML tag"),
    "set-tag.yaml": (b"x: !!set {a, b}\n", "set-tag.yaml:1: unsupported YAML tag"),
    "complex-key.yaml": (b"? [a, b]\n: 1\n", "complex-key.yaml:1: mapping keys must be text"),
    "number-key.yaml": (b"1: one\n", "number-key.yaml:1: mapping keys must be text"),
    "two-documents.yaml": (b"models: []\n---\nmodels: []\n", "two-documents.yaml:2: more than one YAML document"),
    "huge-int.yaml": (b"x: " + b"9" * 100_000 + b"\n", "huge-int.yaml:1: bad value"),
    "raw-escape.yaml": (b"models:\n  - id: \x1b[2J\n", "raw-escape.yaml"),
    "malformed.yaml": (b"models: [\n  - id: x\n", "malformed.yaml:"),
    "tabs.yaml": (b"models:\n\t- id: x\n", "tabs.yaml:2: malformed YAML"),
    "scalar.yaml": (b"just some text\n", "scalar.yaml:1: expected a mapping of sections"),
    "list.yaml": (b"- a\n- b\n", "list.yaml:1: expected a mapping of sections"),
}


def run_both(taxo, path: Path) -> list:
    """`taxo validate PATH` and `taxo --catalog PATH show phi-2`."""
    return [taxo("validate", str(path)), taxo("--catalog", str(path), "show", "phi-2")]


def assert_refused(result, expected: str) -> None:
    assert result.exit_code == 4, (result.exit_code, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("taxo: error: ")
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr) < 2000  # a message, not the file echoed back
    assert_inert(result.stderr)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_naming_the_file(taxo, tmp_path, name):
    content, expected = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(content)
    for result in run_both(taxo, path):
        assert_refused(result, expected)


def test_hostile_files_in_a_folder_are_all_reported(taxo, tmp_path):
    for name, (content, _) in HOSTILE.items():
        (tmp_path / name).write_bytes(content)
    result = taxo("validate", str(tmp_path), "--format", "json")
    assert result.exit_code == 4
    import json

    problems = json.loads(result.stdout)["problems"]
    for name in HOSTILE:
        assert any(name in problem for problem in problems), name


def test_a_fifo_is_refused_without_waiting_for_a_writer(taxo, tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for result in run_both(taxo, fifo):
        assert_refused(result, "pipe.yaml: is not a regular file (a FIFO")
    # ...and inside a catalogue folder it is never opened (only regular *.yaml files are read from folders)
    (tmp_path / "models.yaml").write_text("models: []\n")
    assert taxo("--catalog", str(tmp_path), "show", "phi-2").exit_code == 0


def test_a_device_is_refused(taxo):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    for result in run_both(taxo, Path("/dev/zero")):
        assert_refused(result, "/dev/zero: is not a regular file")


def test_a_folder_with_no_yaml_is_named(taxo, tmp_path):
    (tmp_path / "notes.txt").write_text("not a catalogue")
    for result in run_both(taxo, tmp_path):
        assert_refused(result, f"{tmp_path}: a folder with no .yaml or .yml files in it")


def test_a_folder_named_like_a_yaml_file_is_looked_into_not_read(taxo, tmp_path):
    folder = tmp_path / "models.yaml"
    folder.mkdir()
    (folder / "inner.yaml").write_bytes(HOSTILE["python-object.yaml"][0])
    for result in run_both(taxo, tmp_path):
        assert_refused(result, "inner.yaml:1: unsupported YAML tag")


def test_a_symlink_loop_is_refused(taxo, tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    for result in run_both(taxo, loop):
        assert_refused(result, "loop.yaml: cannot read")


def test_a_symlinked_folder_loop_is_not_followed_forever(taxo, tmp_path):
    (tmp_path / "models.yaml").write_text("models: []\n")
    (tmp_path / "again").symlink_to(tmp_path, target_is_directory=True)
    assert taxo("--catalog", str(tmp_path), "show", "phi-2").exit_code == 0


def test_too_many_values_is_refused(taxo, tmp_path, monkeypatch):
    monkeypatch.setattr(yamlfile, "MAX_NODES", 50_000)  # above any bundled file, far below the real limit
    path = tmp_path / "flood.yaml"
    path.write_text("x: [" + ",".join(["0"] * 50_001) + "]\n")
    for result in run_both(taxo, path):
        assert_refused(result, "flood.yaml:1: more than 50000 values in one file")


@pytest.mark.skipif(os.getuid() == 0 if hasattr(os, "getuid") else True, reason="root reads any file")
def test_an_unreadable_file_is_named(taxo, tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text("models: []\n")
    path.chmod(0)
    for result in run_both(taxo, path):
        assert_refused(result, "secret.yaml: cannot read: Permission denied")


# -- in a real process, with a memory ceiling: no crash, no runaway ---------------------------------------------


def _limited(limit: int):  # noqa: ANN202
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is Linux's")
@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        # libyaml's own composer recursed once per level and died of SIGSEGV here; the event builder stops at 64
        ("deeper.yaml", b"a: " + b"[" * 1_000_000 + b"\n", "nesting is deeper than 64"),
        ("billion-laughs.yaml", billion_laughs(), "YAML aliases"),
        ("almost-8mb.yaml", b"x: [" + b"{a: 1}, " * 1_000_000 + b"]\n", "more than 1000000 values"),
    ],
    ids=["deeper", "billion-laughs", "almost-8mb"],  # not the contents: pytest puts ids in the environment
)
def test_hostile_files_end_cleanly_under_a_memory_ceiling(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TAXO_CATALOG", None)
    result = subprocess.run(
        [sys.executable, "-m", "taxonomy_cli", "validate", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        preexec_fn=_limited(768 * 1024 * 1024),  # noqa: PLW1509 - the child only sets its own limit
    )
    assert result.returncode == 4, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "x: '" + "[" * 200 + "'\n",
        'x: "' + "{" * 200 + '\\" ["\n',
        "x: 1  # " + "[" * 200 + "\n",
        "x: 'it''s " + "[" * 200 + "'\n",
        "x: " + "[" * 63 + "]" * 63 + "\n",  # the top-level mapping is the 64th level
        "x: [\n" + "  [a],\n" * 200 + "]\n",
    ],
    ids=["single-quoted", "double-quoted", "comment", "escaped-quote", "at-the-limit", "many-siblings"],
)
def test_brackets_that_do_not_nest_past_the_limit_are_fine(text):
    assert yamlfile.parse(text, "ok.yaml") is not None


def test_taxo_speaks_its_own_limit_whatever_the_yaml_library_does(taxo, tmp_path):
    # one line deeper than any YAML library's own limit: taxo's words, not the library's
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "{x: " * 5000 + "1" + "}" * 5000 + "\n")
    for result in run_both(taxo, path):
        assert_refused(result, f"deep.yaml:1: nesting is deeper than {yamlfile.MAX_DEPTH} levels")


def test_what_one_run_reads_is_bounded_in_total_not_only_per_file(taxo, tmp_path, monkeypatch):
    from taxonomy_cli import catalog

    monkeypatch.setattr(catalog, "MAX_TOTAL_CHARACTERS", 3_000_000)  # above the bundled catalogue alone
    for number in range(4):
        (tmp_path / f"part-{number}.yaml").write_text("# " + "x" * 900_000 + "\nmodels: []\n", encoding="utf-8")
    result = taxo("--catalog", str(tmp_path), "show", "phi-2", env={"TAXO_NO_CACHE": "1"})
    assert_refused(result, "the catalogue files add up to more than 3,000,000 characters")


def test_a_model_with_a_flood_of_names_is_refused(taxo, tmp_path):
    path = tmp_path / "names.yaml"
    aliases = ", ".join(f"alias-{n}" for n in range(1500))
    path.write_text(
        "models:\n  - id: flood\n    name: Flood\n    organization: openai\n    aliases: [" + aliases + "]\n"
        "    architecture: decoder-only transformer\n    modalities: {input: [text], output: [text]}\n"
        "    weights: open\n    stage: base\n    sources: [gpt-4-report]\n",
        encoding="utf-8",
    )
    for result in run_both(taxo, path):
        assert_refused(result, "names.yaml:5: model 'flood': aliases: 1,502 names is more than a model needs")
