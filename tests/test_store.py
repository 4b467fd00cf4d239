"""The indexed store of a large catalogue (issue 19): lookups read only the records they need, and a user gets the
same answers with it, without it, and whatever state its file is in. The store is used past a size of catalogue
YAML; these tests lower that size to nothing so the bundled catalogue goes through it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from taxonomy_cli import cache, store

LOOKUPS = [
    ("show", "mistral-7b"),
    ("show", "mistral-7b", "--format", "json"),
    ("show", "llama-3"),  # a family: its members from the members index
    ("show", "llama-2-7b", "--format", "json"),  # fine-tunes from the children index, myths by subject
    ("show", "Qwen/Qwen3-8B"),  # a pasted repository id, through the name index
    ("show", "gpt-4o-2024-08-06", "--format", "json"),
    ("show", "gtp-4"),  # not found: 'did you mean' walks every name
    ("show", "kimi-k2-thinking-x"),
    ("sources", "mistral-7b", "--format", "json"),
    ("compare", "mistral-7b", "phi-2", "--format", "json"),
    ("compare", "bert", "llm", "slm"),
    ("explain", "slm", "--format", "json"),  # walks every model for the category's figures
    ("list", "--org", "mistral"),
    ("search", "mistral"),
    ("tree", "--depth", "2"),
]


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "STORE_FROM_BYTES", 0)


def store_files() -> list[Path]:
    return sorted((Path(os.environ["XDG_CACHE_HOME"]) / "taxo").glob("store-*.bin"))


def answer(result) -> tuple:
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("args", LOOKUPS, ids=" ".join)
def test_answers_are_the_same_through_the_store(taxo, monkeypatch, always, args):
    monkeypatch.setattr(store, "STORE_FROM_BYTES", 1 << 60)
    without = taxo(*args)
    monkeypatch.setattr(store, "STORE_FROM_BYTES", 0)
    first = taxo(*args)  # writes the store (unless everything came from what is derived and cached already)
    assert len(store_files()) <= 1
    second = taxo(*args)  # reads it
    assert answer(first) == answer(second) == answer(without)


def test_a_lookup_reads_only_the_buckets_it_needs(taxo, monkeypatch, always):
    taxo("show", "mistral-7b")
    assert len(store_files()) == 1
    loaded = []
    real = cache.load
    monkeypatch.setattr(cache, "load", lambda files: loaded.append(files) or real(files))
    read = []
    chunk = store.Store._chunk
    monkeypatch.setattr(store.Store, "_chunk", lambda self, entry: read.append(entry) or chunk(self, entry))
    result = taxo("show", "mistral-7b", "--format", "json")
    assert result.exit_code == 0
    assert loaded == []  # the whole catalogue was never read
    assert 1 < len(read) < 60  # the core and a few dozen buckets, of hundreds


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "others-can-write"])
def test_a_damaged_store_is_ignored_and_the_answer_unchanged(taxo, always, damage):
    good = taxo("show", "mistral-7b", "--format", "json")
    (path,) = store_files()
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        data[-100] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "garbage":
        path.write_bytes(b"not a store at all")
    else:
        path.chmod(0o666)
    assert answer(taxo("show", "mistral-7b", "--format", "json")) == answer(good)


def test_no_home_means_no_store_and_no_error(taxo, monkeypatch, always, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "missing" / "deeper"))
    result = taxo("show", "mistral-7b")
    assert result.exit_code == 0 and "Mistral 7B" in result.stdout and result.stderr == ""


def test_taxo_no_cache_turns_the_store_off_too(taxo, always):
    assert taxo("show", "mistral-7b", env={"TAXO_NO_CACHE": "1"}).exit_code == 0
    assert store_files() == []


def test_buckets_damaged_after_the_store_was_checked_are_not_an_error(taxo, always):
    """The header, table and core are whole, every bucket fails its checksum: found only while answering."""
    good = taxo("show", "llama-2-7b", "--format", "json")
    (path,) = store_files()
    data = bytearray(path.read_bytes())
    magic = len(cache.MAGIC)
    key_length = int.from_bytes(data[magic : magic + 4], "big")
    count_at = magic + 4 + key_length
    buckets = int.from_bytes(data[count_at : count_at + 4], "big")
    table = count_at + 4
    for entry in range(1, buckets + 1):
        offset = int.from_bytes(data[table + entry * 16 : table + entry * 16 + 8], "big")
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    assert answer(taxo("show", "llama-2-7b", "--format", "json")) == answer(good)


@pytest.mark.parametrize("prefix", ["", "m", "mistral-7", "llama-3", "nosuch", "MISTRAL-7"])
def test_completing_an_id_gives_the_same_ids_through_the_store(monkeypatch, prefix):
    from taxonomy_cli.cli import _complete_names

    monkeypatch.setattr(store, "STORE_FROM_BYTES", 1 << 60)
    without = _complete_names(prefix)
    monkeypatch.setattr(store, "STORE_FROM_BYTES", 0)
    assert _complete_names(prefix) == _complete_names(prefix) == without
    assert prefix.lower() != "mistral-7" or "mistral-7b" in without
