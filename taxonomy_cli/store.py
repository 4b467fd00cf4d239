"""The indexed store: a large catalogue looked up record by record, so `show ID` costs the same at 500 models or
10,000 (issue 19).

The compiled cache (cache.py) holds the whole catalogue in one pickle: reading it costs time in proportion to the
catalogue. Beside it, for a catalogue past STORE_FROM_BYTES of YAML, taxo writes a store: the small part every
command needs (organisations, terms, rules, licences …: the `core`) and every record and lookup index (models,
families, sources, myths; names, fine-tunes, family members, myths by subject) spread over hash buckets. A lookup
reads one bucket (a few dozen records); a command that walks every model asks the store for the whole catalogue,
which is the compiled cache, read once. Below STORE_FROM_BYTES the compiled cache alone is as fast, so there is
no store.

The store obeys the cache's rules, with its checks: the same key (so never stale), the same folder, written
atomically, refused unless it is ours and whole. Each bucket carries its CRC-32, checked when it is read (not the
whole file up front: that would be reading everything again); the unpickler is the cache's, which builds records
and calls nothing. Any problem at all: the compiled cache answers instead.

Layout: MAGIC, key length (4 bytes), key, bucket count n (4), then n + 1 entries of (offset 8, length 4, CRC 4):
the core's, then each bucket's; then the pickles. A bucket is a dict {(index, key): value}; the bucket of a key is
CRC-32 of its bytes modulo n (stable across runs, unlike Python's hash).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from taxonomy_cli import cache
from taxonomy_cli.records import Catalog

STORE_FROM_BYTES = 8 * 1024 * 1024  # of catalogue YAML (the bundled catalogue: ~2 MB; 10,000 rich models: ~20 MB)
PER_BUCKET = 32  # records per bucket, on average
_ENTRY = 16  # offset (8), length (4), CRC-32 (4)
_MISSING = object()
RECORDS = ("models", "families", "sources", "myths")  # looked up one by one; the rest of a Catalog is the core


class Store:
    """An open store file: buckets read on demand and kept; the whole catalogue only when a command walks it."""

    def __init__(self, files: Sequence[Path], descriptor: int, buckets: int, table: bytes, core: dict,
                 indexes: Mapping[str, Callable[[Catalog], Mapping]]) -> None:  # fmt: skip
        self.files = files
        self._indexes = indexes
        self._wholes: dict[str, Mapping] = {}
        self.broken = False
        self._descriptor = descriptor
        self._buckets = buckets
        self._table = table
        self._read: dict[int, dict] = {}
        self._full: Catalog | None = None
        self.core = core

    def get(self, index: str, key: str) -> object:
        """The value of `key` in `index` ('models', 'index:names', …), or _MISSING. A bucket that fails its check
        (a file damaged since it was opened) is not an error: the whole catalogue answers from then on."""
        if self._full is not None and self.broken:
            return self._whole(index).get(key, _MISSING)
        number = zlib.crc32(f"{index}\0{key}".encode("utf-8", "surrogatepass")) % self._buckets
        bucket = self._read.get(number)
        if bucket is None:
            try:
                bucket = self._read[number] = self._chunk(1 + number)
            except Exception:  # noqa: BLE001 - damaged: the compiled cache (or the YAML) answers instead
                self.broken = True
                self.full()
                return self._whole(index).get(key, _MISSING)
        return bucket.get((index, key), _MISSING)

    def _whole(self, index: str) -> Mapping:
        """An index of the whole catalogue, built from it (for a store found damaged while in use)."""
        if index not in self._wholes:
            name = index.removeprefix("index:")
            self._wholes[index] = self._indexes[name](self.full()) if index.startswith("index:") else getattr(
                self.full(), index)  # fmt: skip
        return self._wholes[index]

    def _chunk(self, entry: int) -> dict:
        offset = int.from_bytes(self._table[entry * _ENTRY : entry * _ENTRY + 8], "big")
        length = int.from_bytes(self._table[entry * _ENTRY + 8 : entry * _ENTRY + 12], "big")
        crc = int.from_bytes(self._table[entry * _ENTRY + 12 : entry * _ENTRY + 16], "big")
        data = os.pread(self._descriptor, length, offset)
        if len(data) != length or zlib.crc32(data) != crc:
            raise StoreError("a bucket of the store does not match its checksum")
        value = cache._unpickle(data, 0)
        if type(value) is not dict:
            raise StoreError("a bucket of the store is not a mapping")
        return value

    def full(self) -> Catalog:
        """The whole catalogue (the compiled cache), for commands that walk every record."""
        if self._full is None:
            self._full = cache.load(self.files)
        return self._full


class StoreError(Exception):
    """The store cannot be used: the compiled cache answers instead (never shown to a user)."""


class Lookup(Mapping):
    """One index of the store as a read-only mapping: a key is looked up in its bucket; walking it (iteration,
    len, values) is walking the whole catalogue's own index, built by `whole` from the full catalogue."""

    def __init__(self, store: Store, index: str, whole: Callable[[Catalog], Mapping],
                 resolve: Callable[[object], object] | None = None) -> None:  # fmt: skip
        self._store, self._index, self._whole, self._resolve = store, index, whole, resolve
        self._all: Mapping | None = None

    def __getitem__(self, key: str) -> object:
        value = self._store.get(self._index, key) if isinstance(key, str) else _MISSING
        if value is _MISSING:
            raise KeyError(key)
        return self._resolve(value) if self._resolve else value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._store.get(self._index, key) is not _MISSING

    def _everything(self) -> Mapping:
        if self._all is None:
            self._all = self._whole(self._store.full())
        return self._all

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())

    def keys(self):  # noqa: ANN201 - the whole index's own views: no lookup per key
        return self._everything().keys()

    def values(self):  # noqa: ANN201
        return self._everything().values()

    def items(self):  # noqa: ANN201
        return self._everything().items()


def open_catalog(files: Sequence[Path], indexes: Mapping[str, Callable[[Catalog], Mapping]],
                 stamped: cache.Stamp | None = None) -> Catalog | None:  # fmt: skip
    """A catalogue whose records are read from the store as they are asked for, or None when there is to be no
    store (a small catalogue, no cache) or it cannot be used. `indexes` builds each lookup index (name -> mapping
    of key -> value) from a full catalogue, for writing the store and for walking an index."""
    try:
        if sum(os.stat(path).st_size for path in files) < STORE_FROM_BYTES:
            return None
        names, key = stamped or cache.stamp(files)
        place = cache._place(files, names, "store", key)
        if place is None:
            return None
        store = _open(files, *place, indexes) or _build(files, *place, indexes)
        if store is None:
            return None
    except (OSError, StoreError, ValueError):
        return None
    core = store.core
    lookups = {name: Lookup(store, name, lambda full, name=name: getattr(full, name)) for name in RECORDS}
    derived = {name: Lookup(store, f"index:{name}", build) for name, build in indexes.items()}
    return Catalog(**core, **lookups, store=derived)


def _open(files: Sequence[Path], path: Path, key: bytes,
          indexes: Mapping[str, Callable[[Catalog], Mapping]]) -> Store | None:  # fmt: skip
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not cache._ours(info) or info.st_size > cache.MAX_BYTES:
            raise StoreError("not a store of ours")
        head = os.pread(descriptor, len(cache.MAGIC) + 4 + len(key) + 4, 0)
        start = len(cache.MAGIC)
        if head[:start] != cache.MAGIC or int.from_bytes(head[start : start + 4], "big") != len(key):
            raise StoreError("not a store of this key")
        if head[start + 4 : start + 4 + len(key)] != key:
            raise StoreError("a store of other files")
        buckets = int.from_bytes(head[start + 4 + len(key) :], "big")
        table_at = len(head)
        table = os.pread(descriptor, (buckets + 1) * _ENTRY, table_at)
        if buckets < 1 or len(table) != (buckets + 1) * _ENTRY:
            raise StoreError("a store cut short")
        last = table[-_ENTRY:]
        end = int.from_bytes(last[:8], "big") + int.from_bytes(last[8:12], "big")
        if end != info.st_size:
            raise StoreError("a store of another size than its table says")
        store = Store(files, descriptor, buckets, table, {}, indexes)
        core = store._chunk(0)
        if set(core) != set(Catalog._fields) - {*RECORDS, "store"}:
            raise StoreError("a store of another layout")
        store.core = core
        return store
    except Exception:  # noqa: BLE001 - whatever is wrong with it, the compiled cache answers
        os.close(descriptor)
        return None


def _build(files: Sequence[Path], path: Path, key: bytes,
           indexes: Mapping[str, Callable[[Catalog], Mapping]]) -> Store | None:  # fmt: skip
    """Write the store of the full catalogue (atomically), then open it."""
    full = cache.load(files)
    entries: dict[tuple[str, str], object] = {}
    for name in RECORDS:
        for ident, record in getattr(full, name).items():
            entries[(name, ident)] = record
    for name, build in indexes.items():
        for index_key, value in build(full).items():
            entries[(f"index:{name}", index_key)] = value
    count = 1
    while count * PER_BUCKET < len(entries):
        count *= 2
    buckets: list[dict] = [{} for _ in range(count)]
    for (index, ident), value in entries.items():
        buckets[zlib.crc32(f"{index}\0{ident}".encode("utf-8", "surrogatepass")) % count][(index, ident)] = value
    core = {name: getattr(full, name) for name in Catalog._fields if name not in (*RECORDS, "store")}
    chunks = [cache._pickle(cache._shared(core)), *(cache._pickle(cache._shared(b)) for b in buckets)]
    head = cache.MAGIC + len(key).to_bytes(4, "big") + key + count.to_bytes(4, "big")
    offset = len(head) + len(chunks) * _ENTRY
    table = bytearray()
    for chunk in chunks:
        table += offset.to_bytes(8, "big") + len(chunk).to_bytes(4, "big") + zlib.crc32(chunk).to_bytes(4, "big")
        offset += len(chunk)
    try:
        cache._make_folder(path.parent)
        import tempfile

        descriptor, name = tempfile.mkstemp(prefix=".tmp-", suffix=".bin", dir=path.parent)  # mode 0600
        temporary = Path(name)
        try:
            with open(descriptor, "wb") as file:
                file.write(head)
                file.write(table)
                for chunk in chunks:
                    file.write(chunk)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except Exception:  # noqa: BLE001 - read-only or missing home, full disk: no store this time
        return None
    return _open(files, path, key, indexes)
