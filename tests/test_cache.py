"""The compiled catalogue cache: a user gets the same answers with it, without it, and whatever state it is in."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from conftest import DATA
from taxonomy_cli import cache, yamlfile

JSON_SHOW = ("show", "mistral-7b", "--format", "json")


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test here starts from an empty cache folder of its own (the rest of the suite shares one)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def cache_files(name: str = "catalog") -> list[Path]:
    return sorted((Path(os.environ["XDG_CACHE_HOME"]) / "taxo").glob(f"{name}-*.bin"))


def answer(result) -> tuple:
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def no_yaml(monkeypatch: pytest.MonkeyPatch):
    """From here on, reading any YAML fails loudly: whatever still works was answered from the cache."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the YAML was parsed")

    return lambda: monkeypatch.setattr(yamlfile, "parse", refuse)


@pytest.mark.parametrize(
    "args",
    [JSON_SHOW, ("show", "mistral-7b"), ("show", "llama-3"), ("explain", "foundation"), ("show", "gtp-4")],
)
def test_answers_are_the_same_with_and_without_the_cache(taxo, no_yaml, args):
    without = taxo(*args, env={"TAXO_NO_CACHE": "1"})
    assert cache_files() == []
    first = taxo(*args)  # reads the YAML and writes the cache
    assert len(cache_files()) == 1
    no_yaml()
    second = taxo(*args)  # answered from the cache alone
    assert answer(first) == answer(second) == answer(without)


DERIVED = {  # commands that read what is derived from the catalogue (cache.derived), and the file each one keeps
    "search": ("search", "mistrall", "--format", "json", "--limit", "50"),
    "models-json": ("list", "--format", "json"),
    "listing": ("list", "--params", "1B..", "--sort", "org", "--format", "json"),
}


def derived_files(name: str) -> list[Path]:
    return sorted((Path(os.environ["XDG_CACHE_HOME"]) / "taxo").glob(f"{name}-*.bin"))


@pytest.mark.parametrize(
    "args",
    [*DERIVED.values(), ("search", "small language model"), ("list", "--category", "slm", "--format", "json"),
     ("list", "--org", "meta", "--sort", "params", "--limit", "3", "--format", "json"), ("search", "zzzqqq")],
)  # fmt: skip
@pytest.mark.parametrize("blob_bytes", [cache.BLOB_BYTES, 1], ids=["large-bytes-after-the-pickle", "all-bytes-after"])
def test_what_is_derived_from_the_catalogue_answers_the_same_from_the_cache_without_reading_it(
    taxo, no_yaml, args, blob_bytes, monkeypatch
):
    """The same answers from the cache, whether a bytes value comes back from the pickle or as a view of the file."""
    monkeypatch.setattr(cache, "BLOB_BYTES", blob_bytes)
    without = taxo(*args, env={"TAXO_NO_CACHE": "1"})
    first = taxo(*args)
    no_yaml()
    second = taxo(*args)
    assert answer(first) == answer(second) == answer(without)
    if args[0] == "search" or "json" in args:  # answered from what was derived: the catalogue itself not needed
        for path in cache_files():
            path.unlink()
        assert answer(taxo(*args)) == answer(without)


@pytest.mark.parametrize("name", DERIVED)
@pytest.mark.parametrize("how", ["empty", "truncated", "other magic", "longer"])
def test_a_damaged_derived_file_is_ignored_and_rebuilt(taxo, name, how):
    args = DERIVED[name]
    expected = answer(taxo(*args))
    [path] = derived_files(name)
    whole = path.read_bytes()
    path.write_bytes({"empty": b"", "truncated": whole[: len(whole) // 2], "other magic": b"other" + whole[5:],
                      "longer": whole + b"\x00"}[how])  # fmt: skip
    assert answer(taxo(*args)) == expected
    assert path.read_bytes() == whole  # rebuilt


def test_what_was_derived_from_a_catalogue_goes_when_its_catalogue_cache_goes(taxo, tmp_path):
    """Beyond cache.KEEP sets of catalogue files, the oldest catalogue cache is removed, and so is its search index."""
    for number in range(cache.KEEP + 1):
        mine = tmp_path / f"mine-{number}.yaml"
        mine.write_text("models: []\n", encoding="utf-8")
        assert taxo("--catalog", str(mine), "search", "mistral").exit_code == 0
    assert len(cache_files()) == cache.KEEP
    kept = {p.name.removeprefix("catalog-") for p in cache_files()}
    assert {p.name.removeprefix("search-") for p in derived_files("search")} == kept


def test_each_set_of_catalogue_files_has_its_own_cache(taxo, no_yaml):
    mine = ("--catalog", str(DATA / "user"), "show", "acme-tiny-chat", "--format", "json")
    first_mine, first_bundled = taxo(*mine), taxo(*JSON_SHOW)
    assert first_mine.exit_code == 0, first_mine.stderr
    assert len(cache_files()) == 2
    no_yaml()
    assert answer(taxo(*mine)) == answer(first_mine)
    assert answer(taxo(*JSON_SHOW)) == answer(first_bundled)


def test_an_edited_catalogue_file_is_read_again_even_with_the_same_size_and_mtime(taxo, tmp_path):
    mine = tmp_path / "mine.yaml"
    text = (DATA / "user" / "my-models.yaml").read_text(encoding="utf-8")
    mine.write_text(text, encoding="utf-8")
    args = ("--catalog", str(mine), "show", "acme-tiny-chat")
    assert taxo.json(*args)["description"] == "A user's own fine-tune of Mistral 7B."
    before = mine.stat()
    mine.write_text(text.replace("own fine-tune", "own tune-fine"), encoding="utf-8")
    os.utime(mine, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert mine.stat().st_size == before.st_size and mine.stat().st_mtime_ns == before.st_mtime_ns
    assert taxo.json(*args)["description"] == "A user's own tune-fine of Mistral 7B."


def test_a_file_added_to_or_removed_from_a_catalogue_folder_is_seen(taxo, tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "other.yaml").write_text("models: []\n", encoding="utf-8")
    args = ("--catalog", str(folder), "show", "acme-tiny-chat", "--format", "json")
    assert taxo(*args).exit_code == 3
    (folder / "acme.yaml").write_bytes((DATA / "user" / "my-models.yaml").read_bytes())
    assert taxo(*args).exit_code == 0
    (folder / "acme.yaml").unlink()
    assert taxo(*args).exit_code == 3


def test_taxo_no_cache_writes_nothing(taxo):
    assert taxo(*JSON_SHOW, env={"TAXO_NO_CACHE": "1"}).exit_code == 0
    assert cache_files() == []


def _damage(data: bytes, how: str) -> bytes:
    middle = len(data) // 2
    text = data.index(b"first model")  # in mistral-7b's description: a flip here still unpickles, differently
    return {
        "empty": b"",
        "garbage": b"\x00 not a taxo cache \xff" * 100,
        "truncated": data[:middle],
        "flipped byte": data[:text] + b"F" + data[text + 1 :],
        "other magic": b"other" + data[5:],
        "longer": data + b"\x00",
    }[how]


@pytest.mark.parametrize("how", ["empty", "garbage", "truncated", "flipped byte", "other magic", "longer"])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(taxo, no_yaml, how):
    expected = answer(taxo(*JSON_SHOW))
    [path] = cache_files()
    path.write_bytes(_damage(path.read_bytes(), how))
    assert answer(taxo(*JSON_SHOW)) == expected
    no_yaml()
    assert answer(taxo(*JSON_SHOW)) == expected  # rebuilt: good enough to answer from again


def test_a_folder_where_the_cache_file_should_be_is_no_error(taxo):
    expected = answer(taxo(*JSON_SHOW))
    [path] = cache_files()
    path.unlink()
    path.mkdir()
    assert answer(taxo(*JSON_SHOW)) == expected


def _replace_body(path: Path, body: bytes) -> None:
    """A cache file with its header (magic, this key) kept and a different, well-formed body."""
    data = path.read_bytes()
    start = len(cache.MAGIC) + cache._LENGTHS
    key = data[start : start + int.from_bytes(data[len(cache.MAGIC) : len(cache.MAGIC) + 4], "big")]
    lengths = b"".join(n.to_bytes(size, "big") for n, size in ((len(key), 4), (cache._crc(body), 4), (len(body), 8),
                                                                (len(body), 8)))  # fmt: skip
    path.write_bytes(cache.MAGIC + lengths + key + body)


class _Blob:
    """Pickled as a reference to bytes kept after the pickle, as cache files hold a listing's JSON."""

    def __init__(self, start: int, end: int) -> None:
        self.where = (start, end)


def _pickled_with_blob(value: object, start: int, end: int) -> bytes:
    import io

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = lambda obj: obj.where if isinstance(obj, _Blob) else None
    pickler.dump(value)
    return buffer.getvalue()


@pytest.mark.parametrize("where", [(0, 10**9), (-5, 3)])
def test_a_cache_file_pointing_outside_itself_is_rebuilt(taxo, where):
    """A large value is kept after the pickle and read as a view of the file: a reference to bytes the file does
    not have is refused (the listing is rebuilt from the catalogue), never read past the file's end."""
    expected = taxo("list", "--format", "json").stdout
    [path] = cache_files("models-json")
    _replace_body(path, _pickled_with_blob((_Blob(*where), (), {}), *where))
    assert taxo("list", "--format", "json").stdout == expected


def test_a_listing_kept_after_the_pickle_is_checked_too(taxo):
    """The bytes after the pickle count in the file's CRC: one flipped byte there and the listing is rebuilt."""
    expected = taxo("list", "--format", "json").stdout
    [path] = cache_files("models-json")
    data = bytearray(path.read_bytes())
    at = data.rindex(b"mistral-7b")
    data[at] = ord("M")
    path.write_bytes(bytes(data))
    assert taxo("list", "--format", "json").stdout == expected


class _Trap:
    """Unpickling this would call open(path, 'w'): proof that a cache file ran code."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return open, (str(self.path), "w")


def test_a_cache_file_cannot_run_code(taxo, tmp_path):
    expected = answer(taxo(*JSON_SHOW))
    [path] = cache_files()
    trap = tmp_path / "trap"
    _replace_body(path, pickle.dumps(_Trap(trap)))
    assert answer(taxo(*JSON_SHOW)) == expected
    assert not trap.exists()


def test_a_cache_file_others_could_have_written_is_not_trusted(taxo):
    from taxonomy_cli import catalog

    taxo(*JSON_SHOW)
    [path] = cache_files()
    real = catalog.load(catalog.bundled_files())
    tampered = real.models["mistral-7b"]._replace(description="tampered")
    _replace_body(path, cache._pickle(real._replace(models={**real.models, "mistral-7b": tampered})))
    path.chmod(0o620)  # group-writable
    assert taxo.json(*JSON_SHOW[:2])["description"] != "tampered"
    _replace_body(path, cache._pickle(real._replace(models={**real.models, "mistral-7b": tampered})))
    path.chmod(0o600)  # the same file, ours alone: read (so the refusal above was the permission check)
    assert taxo.json(*JSON_SHOW[:2])["description"] == "tampered"


@pytest.mark.parametrize("variable", ["XDG_CACHE_HOME", "HOME"])
def test_no_writable_cache_folder_is_no_error(taxo, tmp_path, monkeypatch, variable):
    expected = answer(taxo(*JSON_SHOW, env={"TAXO_NO_CACHE": "1"}))
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    if variable == "HOME":
        monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv(variable, str(blocker / "home"))  # a folder can never be made under a file
    assert answer(taxo(*JSON_SHOW)) == expected
    assert answer(taxo(*JSON_SHOW)) == expected


def test_an_empty_home_puts_no_cache_in_the_working_directory(taxo, tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "")
    monkeypatch.chdir(tmp_path)
    assert taxo(*JSON_SHOW).exit_code == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="permissions do not bind root")
def test_a_read_only_cache_folder_is_read_but_not_written(taxo, no_yaml):
    expected = answer(taxo(*JSON_SHOW))
    [path] = cache_files()
    path.parent.chmod(0o500)
    try:
        no_yaml()
        assert answer(taxo(*JSON_SHOW)) == expected
    finally:
        path.parent.chmod(0o700)


def test_no_temporary_files_are_left_behind(taxo):
    taxo(*JSON_SHOW)
    [path] = cache_files()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


# -- the cache folder may hold a user's files (or be a link to a user's folder): taxo removes only its own ---------


def _crowd(folder: Path) -> dict[Path, bytes]:
    """Files a user might keep in (or link to) the cache folder, some named like taxo's own."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        folder / "pytorch_model.bin": b"weights",
        folder / "notes.txt": b"mine",
        folder / f"catalog-{os.sys.implementation.cache_tag}-0000abcd.bin": b"not taxo's header",
        folder / f"search-{os.sys.implementation.cache_tag}-0000abcd.bin": b"not taxo's header either",
        folder / ".tmp-abcdefgh.bin": b"a user's temporary file",
    }
    for path, content in files.items():
        path.write_bytes(content)
        os.utime(path, (1, 1))  # old: the pruner would take it first if it were taxo's
    return files


def test_taxo_never_removes_files_it_did_not_write(taxo):
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "taxo"
    files = _crowd(folder)
    for number in range(cache.KEEP + 2):  # enough runs to make the pruner remove what it may
        assert taxo("search", "mistral", env={"COLUMNS": str(80 + number)}).exit_code == 0
        assert taxo("show", "phi-2").exit_code == 0
    for path, content in files.items():
        assert path.read_bytes() == content, path


def test_a_cache_folder_linked_to_a_user_folder_loses_nothing(taxo, tmp_path):
    users = tmp_path / "my-models"
    files = _crowd(users)
    (Path(os.environ["XDG_CACHE_HOME"]) / "taxo").symlink_to(users, target_is_directory=True)
    for mine in range(cache.KEEP + 2):
        catalogue = tmp_path / f"mine-{mine}.yaml"
        catalogue.write_text("models: []\n", encoding="utf-8")
        assert taxo("--catalog", str(catalogue), "show", "phi-2").exit_code == 0
    for path, content in files.items():
        assert path.read_bytes() == content, path


def test_taxo_s_own_old_temporary_files_are_removed(taxo):
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "taxo"
    folder.mkdir(parents=True)
    left = folder / ".tmp-k3j4h5g6.bin"
    left.write_bytes(cache.MAGIC + b"interrupted")
    left.chmod(0o600)
    os.utime(left, (1, 1))
    assert taxo("show", "phi-2").exit_code == 0
    assert not left.exists()


def test_a_fifo_under_the_cache_file_s_name_does_not_hang(taxo):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    assert taxo("show", "phi-2").exit_code == 0
    [path] = cache_files()
    path.unlink()
    os.mkfifo(path)
    assert answer(taxo("show", "phi-2")) == answer(taxo("show", "phi-2", env={"TAXO_NO_CACHE": "1"}))


def test_a_huge_file_under_the_cache_file_s_name_is_not_read(taxo, monkeypatch):
    assert taxo("show", "phi-2").exit_code == 0
    [path] = cache_files()
    monkeypatch.setattr(cache, "MAX_BYTES", 1000)
    read = []
    monkeypatch.setattr(cache, "_unpickle", lambda *args: read.append(args))
    assert taxo("show", "phi-2").exit_code == 0
    assert read == []
    assert path.exists()


@pytest.mark.parametrize("which", ["XDG_CACHE_HOME", "HOME"])
def test_a_missing_home_means_no_cache_and_is_not_created(taxo, tmp_path, which):
    missing = tmp_path / "gone"
    env = ({"XDG_CACHE_HOME": str(missing / "cache")} if which == "XDG_CACHE_HOME"
           else {"XDG_CACHE_HOME": "", "HOME": str(missing)})  # fmt: skip
    result = taxo("show", "phi-2", env=env)
    assert result.exit_code == 0
    assert not missing.exists()


def test_the_cache_key_covers_modules_in_sub_packages_too(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    (package / "deeper" / "__pycache__").mkdir(parents=True)
    for name in ("a.py", "deeper/b.py", "deeper/__pycache__/b.cpython-311.pyc", "deeper/notes.txt"):
        (package / name).write_text("", encoding="utf-8")
    assert sorted(cache._modules(package)) == [str(package / "a.py"), str(package / "deeper" / "b.py")]
    key = cache._key([], [])
    taxo_modules = cache._modules(Path(cache.__file__).parent)
    assert all(module.encode() in key for module in taxo_modules)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts descriptors in /proc")
def test_a_long_lived_process_keeps_only_a_few_cache_files_open(taxo):
    """Each run's listing JSON is a view of its mapped cache file, kept open to be sent from it; a process that runs
    taxo again and again (tests, an editor plugin) keeps only the last few open (a mapping and a descriptor each,
    and the few mapped since the last tidy), however many runs."""
    expected = taxo("list", "--format", "json").stdout
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(60):
        assert taxo("list", "--format", "json").stdout == expected
        assert len(os.listdir("/proc/self/fd")) - before <= 3 * cache._KEEP_SPANS
