"""Nothing lost: taxo only ever reads a user's catalogue, and writes nowhere but its own cache folder.

Two proofs, for every example in every command's --help, run as a real process on a user catalogue folder:
- the folder, the working folder, HOME and TMPDIR are compared before and after, byte for byte;
- a Python audit hook records every open-for-writing, mkdir, rename, remove, chmod... the process makes: each must be
  inside the cache folder (or /dev/null, where a closed pipe's leftovers go).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import broken_evil_catalogue, evil_catalogue
from test_pipes_terminals import EXAMPLES, IDS, ROOT, base_env, example_files, quiet

# Runs taxo's main() with an audit hook that logs every event that could change a file, to TAXO_TEST_AUDIT_LOG.
_AUDITED = r"""
import json, os, sys
LOG = os.environ.pop("TAXO_TEST_AUDIT_LOG")
CHANGES = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.symlink", "os.link", "os.truncate", "os.chmod",
           "os.chown", "os.utime", "shutil.copyfile", "shutil.move", "shutil.rmtree", "os.removexattr", "os.setxattr"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
seen = []
def hook(event, args):
    if event == "open":
        path, mode, flags = args
        writes = (mode is not None and any(c in str(mode) for c in "wax+")) or (mode is None and flags & WRITE_FLAGS)
        if writes and isinstance(path, (str, bytes, os.PathLike)):
            seen.append([event, os.fsdecode(path)])
    elif event in CHANGES:
        seen.append([event, *(os.fsdecode(a) for a in args if isinstance(a, (str, bytes, os.PathLike)))])
sys.addaudithook(hook)
import atexit
def save():
    with open(LOG + ".tmp", "w") as f:  # logged too: allowed below
        json.dump(seen, f)
    os.replace(LOG + ".tmp", LOG)
atexit.register(save)
from taxonomy_cli.cli import main
sys.argv = ["taxo", *sys.argv[1:]]
main()
"""


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below `folder` (not following links): contents and modification time; folders too."""
    found: dict[str, tuple[bytes, int]] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        content = path.read_bytes() if path.is_file() and not path.is_symlink() else b"<folder or link>"
        found[str(path.relative_to(folder))] = (content, info.st_mtime_ns)
    return found


@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    """A user catalogue folder (valid files, an evil one, a nested folder), and empty HOME, cache, TMPDIR, cwd."""
    user = tmp_path / "my-catalogue"
    (user / "nested").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "data" / "user" / "my-models.yaml", user)
    evil_catalogue(user / "nested")
    (user / "README.txt").write_text("not YAML: never read\n")
    work = tmp_path / "work"
    work.mkdir()
    hf_env = example_files(work, catalogue="models: []\n")  # the files the examples name
    names = ("home", "cache", "tmp")
    folders = {name: tmp_path / name for name in names}
    for folder in folders.values():
        folder.mkdir()
    return {"user": user, "work": work, "log": tmp_path / "audit.json", "hub": Path(hf_env["HF_HUB_CACHE"]), **folders}


def run_audited(places: dict[str, Path], argv: list[str], **env: str) -> tuple[subprocess.CompletedProcess, list]:
    environment = base_env(
        PYTHONPATH=str(ROOT), HOME=str(places["home"]), XDG_CACHE_HOME=str(places["cache"]), TMPDIR=str(places["tmp"]),
        TAXO_TEST_AUDIT_LOG=str(places["log"]), PYTHONDONTWRITEBYTECODE="1", HF_HUB_CACHE=str(places["hub"]),
    )  # fmt: skip
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", _AUDITED, *argv], capture_output=True, text=True, env=environment, cwd=places["work"],
        timeout=120,
    )  # fmt: skip
    events = json.loads(places["log"].read_text())
    places["log"].unlink()
    return result, events


def assert_writes_only_to_the_cache(events: list, places: dict[str, Path]) -> None:
    allowed = (str(places["cache"]) + os.sep, os.devnull, str(places["log"]))
    stray = [event for event in events if not all(p.startswith(allowed) for p in event[1:])]
    assert stray == [], f"taxo changed files outside its cache folder: {stray}"


@pytest.mark.parametrize("argv", EXAMPLES, ids=IDS)
def test_every_command_leaves_user_files_untouched(places, argv):
    watched = ("user", "work", "home", "tmp", "hub")
    before = {name: snapshot(places[name]) for name in watched}
    result, events = run_audited(places, ["--catalog", str(places["user"]), *argv])
    assert result.returncode == 0, result.stderr
    after = {name: snapshot(places[name]) for name in watched}
    assert after == before  # byte for byte, same times, no new file anywhere but the cache
    assert_writes_only_to_the_cache(events, places)


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{user}"],
        ["validate", "{broken}"],
        ["--catalog", "{broken}", "show", "phi-2"],
        ["--catalog", "{user}", "show", "no-such-model"],
        ["--catalog", "{user}", "show", "evil-chat", "--format", "json"],
        ["--catalog", "{user}", "compare", "evil-base", "evil-chat", "--format", "markdown"],
        ["--catalog", "{user}", "no-such-command"],
    ],
    ids=" ".join,
)
def test_errors_leave_user_files_untouched_too(places, argv):
    broken = broken_evil_catalogue(places["user"] / "nested").parent if "{broken}" in argv else None
    before = {name: snapshot(places[name]) for name in ("user", "work", "home", "tmp")}
    argv = [a.format(user=places["user"], broken=broken) for a in argv]
    result, events = run_audited(places, argv)
    assert result.returncode in (0, 2, 3, 4), result.stderr
    assert "Traceback" not in result.stderr
    assert {name: snapshot(places[name]) for name in ("user", "work", "home", "tmp")} == before
    assert_writes_only_to_the_cache(events, places)


def test_the_audit_hook_sees_writes(places):
    """The proof above can fail: a write outside the cache folder is caught."""
    result, events = run_audited(places, ["--version"])
    assert result.returncode == 0
    assert ["open", str(places["log"]) + ".tmp"] in events  # the hook saw the wrapper write its own log
    stray = places["work"] / "stray.txt"
    with pytest.raises(AssertionError, match="outside its cache folder"):
        assert_writes_only_to_the_cache([*events, ["open", str(stray)]], places)


# -- a home folder taxo cannot use: it just reads the YAML ---------------------------------------------------------


@pytest.mark.parametrize(
    "home",
    ["missing", "a-file", "relative-cache"],
)
def test_an_unusable_home_or_cache_folder_is_not_an_error(places, home):
    env: dict[str, str] = {}
    if home == "missing":
        env = {"HOME": str(places["home"] / "gone"), "XDG_CACHE_HOME": ""}
    elif home == "a-file":  # nothing can be created below a regular file, not even by root
        blocker = places["home"] / "blocker"
        blocker.write_text("")
        env = {"HOME": str(blocker), "XDG_CACHE_HOME": str(blocker / "cache")}
    else:
        env = {"XDG_CACHE_HOME": "relative/cache"}
    for argv in (["show", "phi-2"], ["--catalog", str(places["user"]), "show", "evil-chat"], ["tree"]):
        result, _ = run_audited(places, argv, **env)
        assert result.returncode == 0, result.stderr
        assert quiet(result.stderr)
    assert not (places["work"] / "relative").exists()  # never a cache in the working folder


# -- the cache under concurrent runs ---------------------------------------------------------------------------------


def test_concurrent_runs_all_answer_and_leave_one_whole_cache_per_catalogue(places, monkeypatch):
    """Twelve processes at once, over three sets of catalogue files, on one empty cache folder: every one answers
    exactly as a lone run does, no temporary file is left, and what is cached is whole (a later run that cannot
    parse YAML still answers from it)."""
    sets = [[], ["--catalog", str(places["user"])], ["--catalog", str(places["user"] / "my-models.yaml")]]
    argv = [[*extra, "show", "mistral-7b", "--format", "json"] for extra in sets]
    import taxonomy_cli

    # The copy this process imports (the installed one under plain `pytest`): the cache is keyed by taxo's modules,
    # so the runs that fill it and the in-process runs that read it below must be the same taxo.
    same_taxo = str(Path(taxonomy_cli.__file__).resolve().parent.parent)
    environment = base_env(
        PYTHONPATH=same_taxo, HOME=str(places["home"]), XDG_CACHE_HOME=str(places["cache"]), TMPDIR=str(places["tmp"])
    )
    command = [sys.executable, "-m", "taxonomy_cli"]
    alone = subprocess.run([*command, *argv[0]], capture_output=True, text=True, env={**environment,
                           "TAXO_NO_CACHE": "1"}, cwd=places["work"], timeout=120)  # fmt: skip
    processes = [
        subprocess.Popen([*command, *argv[i % 3]], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=environment, cwd=places["work"])  # fmt: skip
        for i in range(12)
    ]
    results = [(p.wait(timeout=120), *p.communicate(timeout=120)) for p in processes]
    assert all(code == 0 and err == "" for code, _, err in results), results
    assert {out for _, out, _ in results} == {alone.stdout}  # the same model card whichever run built the cache
    cached = sorted((places["cache"] / "taxo").iterdir())
    assert [p.name for p in cached if p.name.startswith(".tmp-")] == []
    assert len([p for p in cached if p.name.startswith("catalog-")]) == 3

    from taxonomy_cli import yamlfile
    from taxonomy_cli.cli import app
    from typer.testing import CliRunner

    def refuse(*_args, **_kwargs):
        raise AssertionError("the YAML was parsed")

    monkeypatch.setattr(yamlfile, "parse", refuse)
    monkeypatch.chdir(places["work"])
    monkeypatch.setenv("XDG_CACHE_HOME", str(places["cache"]))
    for args in argv:
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0 and result.stdout == alone.stdout, result.stderr


def test_a_corrupted_cache_in_a_real_run_is_rebuilt_quietly(places):
    """Damage every cache file between two real runs: the second answers the same, quietly, and repairs it."""
    environment = base_env(PYTHONPATH=str(ROOT), HOME=str(places["home"]), XDG_CACHE_HOME=str(places["cache"]))
    command = [sys.executable, "-m", "taxonomy_cli", "--catalog", str(places["user"]), "show", "evil-chat"]
    first = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=places["work"], timeout=120)
    files = sorted((places["cache"] / "taxo").glob("catalog-*.bin"))
    assert first.returncode == 0 and files
    whole = {path: path.read_bytes() for path in files}
    for path in files:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data[: len(data) - 7]))
    second = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=places["work"], timeout=120)
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    assert {path: path.read_bytes() for path in files} == whole  # rebuilt, whole again
