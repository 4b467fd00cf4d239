"""The compiled catalogue cache: a validated catalogue read back in milliseconds instead of parsed from YAML.

Parsing and validating the YAML takes about 110 ms for the bundled catalogue (seconds for 10,000 extra models);
finding and reading the cache takes about 5. The cache is only ever a copy of what the YAML says:

- Never stale. The key holds every input file's path, display name, size, mtime and ctime (nanoseconds), inode and
  device, and the same for each of taxo's own modules, plus taxo's and Python's versions. Any change to any
  of them (an edited --catalog file, a new file in a --catalog folder, an upgrade) means the YAML is read again.
- Never trusted blindly. A cache file must be ours (owned by this user, writable by no one else), start with
  MAGIC, carry exactly this key, its body must match its CRC-32, and it must unpickle into a Catalog. Anything
  else, or any exception at all while reading it: the file is ignored and rebuilt.
- Pickle, safely. It is the one standard format that rebuilds taxo's records in C (they are NamedTuples), which
  matters at 10,000 models (marshal or JSON would need a Python-level rebuild of every record). Its danger is
  that a crafted file can call any importable function; here the unpickler resolves only the record and enum
  classes of records.py (and tuple.__new__), so a file can build records and enum values and call nothing else.
  And the file lives in the user's own cache folder, written by taxo, refused if anyone else could write it.
- Never an error. A missing or read-only home, a full disk, a corrupt or foreign file: taxo reads the YAML.
- Written atomically: a temporary file in the same folder, then os.replace, so no reader sees half a file.

Beside each catalogue, what is derived from it alone and costs too much to compute on every run at scale (the
search index, every model's JSON): same key, same checks, read without reading the catalogue (`derived`).

Where: $XDG_CACHE_HOME/taxo (when set to an absolute path), else ~/.cache/taxo. TAXO_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TypeVar

from taxonomy_cli import __version__, catalog, records
from taxonomy_cli.records import Catalog

ENV_VAR = "TAXO_NO_CACHE"
MAGIC = b"taxo catalogue cache\n"
FORMAT = 2  # bump when the file layout changes (a change to the records is caught by the modules' stamps)
T = TypeVar("T")
KEEP = 16  # cache files kept: one per distinct set of catalogue files (bundled alone, with --catalog x, ...)
MAX_BYTES = 1 << 30  # a cache file larger than this is not one taxo wrote (10,000 rich models: ~60 MB)
_LENGTHS = 24  # after MAGIC: key length (4 bytes), CRC-32 of the body (4), body length (8), pickle length (8)
# A bytes value this large (every model's JSON: 43 MB at 10,000 models) is kept after the pickle, raw, and read back
# as a view of the mapped file: neither read into memory nor copied out of the pickle, only written out.
BLOB_BYTES = 1 << 20


Stamp = tuple[list[str], "bytes | None"]  # the catalogue files' display names and key (see stamp)


def stamp(files: Sequence[Path]) -> Stamp:
    """What every cache file of these catalogue files is named and keyed by: their display names and the key (None
    when there is none to be had). A run works it out once (Session) and hands it to each read."""
    names = catalog.display_names(files)
    try:
        return names, _key(files, names)
    except Exception:  # noqa: BLE001 - no usable key: no cache, never an error
        return names, None


def load(files: Sequence[Path], stamped: Stamp | None = None) -> Catalog:
    """The catalogue of `files`: from the cache when it matches them exactly, else from the YAML (then cached)."""
    names, key = stamped or stamp(files)
    place = _place(files, names, "catalog", key)
    cached = _read(*place) if place else None
    if type(cached) is Catalog:
        return cached
    loaded = catalog.load(files, names)  # a catalogue with problems raises here: nothing is cached
    if place:
        _write(*place, loaded)
    return loaded


def derived(files: Sequence[Path], name: str, build: Callable[[], T], kind: type[T],
            stamped: Stamp | None = None) -> T:  # fmt: skip
    """Something computed from the catalogue of `files` alone (a search index, every model's JSON), as a `kind`:
    from the cache when it was computed from exactly these files by this taxo, else built (and cached).

    `build` is only called on a miss: it loads the catalogue itself, so a hit never reads the catalogue at all (at
    10,000 models that alone takes ~50 ms). The key is the catalogue's own key, so a derived file is exactly as
    fresh as the catalogue cache beside it. Built of plain values and records only: the same safe unpickler reads it."""
    names, key = stamped or stamp(files)
    place = _place(files, names, name, key)
    cached = _read(*place) if place else None
    if type(cached) is kind:
        return cached
    value = build()
    if place:
        _write(*place, value)
    return value


def _place(files: Sequence[Path], names: Sequence[str], name: str,
           key: bytes | None = None) -> tuple[Path, bytes] | None:  # fmt: skip
    """(cache file, key) for what is called `name` and computed from `files` (whose key may be given: see stamp);
    None when there is to be no cache."""
    if os.environ.get(ENV_VAR, "") not in ("", "0"):
        return None
    try:
        key = (key if key is not None else _key(files, names)) + b"\n" + name.encode()
        path = _folder() / f"{name}-{sys.implementation.cache_tag}-{_crc(repr(names).encode()):08x}.bin"
    except Exception:  # noqa: BLE001 - no usable key or folder: no cache, never an error
        return None
    return path, key


def _folder() -> Path:
    """$XDG_CACHE_HOME/taxo, or ~/.cache/taxo; a relative setting is ignored (XDG says so) and no home is no cache."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    if not root.is_absolute():  # HOME="": never a cache in whatever the working directory happens to be
        raise OSError("no home folder for the cache")
    return root / "taxo"


def _make_folder(folder: Path) -> None:
    """Create the cache folder, and the folder it sits in ($XDG_CACHE_HOME, ~/.cache) when that one's own parent
    exists; never a chain of folders: a missing home (or a $XDG_CACHE_HOME under a missing folder) means no cache."""
    if folder.is_dir():
        return
    root = folder.parent  # $XDG_CACHE_HOME, or ~/.cache
    if not root.is_dir():
        if not root.parent.is_dir():
            raise OSError(f"{root.parent} does not exist: no cache")
        root.mkdir(mode=0o700)
    folder.mkdir(mode=0o700, exist_ok=True)


def _key(files: Sequence[Path], names: Sequence[str]) -> bytes:
    """Everything the cached catalogue depends on, as bytes compared whole."""
    # All of taxo's own modules, however deep, not just today's loader: whatever it comes to import is covered too.
    code = sorted(_modules(Path(__file__).parent))
    stamps = [(str(path), name, *_stamp(path)) for path, name in zip(files, names)]
    stamps += [(path, "", *_stamp(path)) for path in code]
    return repr((FORMAT, __version__, sys.version, stamps)).encode()


def _modules(package: Path) -> list[str]:
    """Every .py file of the package, in sub-packages too (not bytecode caches, not the bundled catalogue's YAML)."""
    found, pending = [], [os.fspath(package)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                    pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    found.append(entry.path)
    return found


def _stamp(path: Path) -> tuple[int, ...]:
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


def _crc(data: bytes | memoryview, start: int = 0) -> int:
    import zlib

    return zlib.crc32(data, start)


def _read(path: Path, key: bytes) -> object:
    """What the file holds, or None for anything short of a file that is ours, whole and of this key.

    Checked before it is read whole: opened without following a link and without waiting (a FIFO planted under
    its name is refused, not waited on), a regular file of ours of a sane size, its header and key first."""
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags)
        with open(descriptor, "rb") as file:
            info = os.fstat(descriptor)
            if not _ours(info) or info.st_size > MAX_BYTES:
                return None
            start = len(MAGIC) + _LENGTHS
            head = file.read(start + len(key))
            if len(head) < start or head[: len(MAGIC)] != MAGIC:
                return None
            key_length = int.from_bytes(head[len(MAGIC) : len(MAGIC) + 4], "big")
            crc = int.from_bytes(head[len(MAGIC) + 4 : len(MAGIC) + 8], "big")
            body_length = int.from_bytes(head[len(MAGIC) + 8 : len(MAGIC) + 16], "big")
            pickle_length = int.from_bytes(head[len(MAGIC) + 16 : start], "big")
            if key_length != len(key) or head[start:] != key or start + key_length + body_length != info.st_size:
                return None
            if pickle_length > body_length:
                return None
            body = file.read(pickle_length)  # read on its own: no copy to join it to the head
            if len(body) != pickle_length:
                return None
            blobs_at = start + key_length + pickle_length
            blobs = _mapped(descriptor, blobs_at, body_length - pickle_length)
            if _crc(blobs, _crc(body)) != crc:
                return None
            return _unpickle(body, 0, blobs, (descriptor, blobs_at))
    except Exception:  # noqa: BLE001 - whatever is wrong with a cache file, the YAML is the answer
        return None


def _mapped(descriptor: int, offset: int, length: int) -> memoryview:
    """The file's bytes from `offset` on, mapped (read-only, and populated at once where the system can)."""
    if not length:
        return memoryview(b"")
    import mmap

    global _mapped_since_tidy
    _mapped_since_tidy += 1
    if hasattr(mmap, "MAP_POPULATE"):
        mapped = mmap.mmap(descriptor, 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
    else:  # pragma: no cover - not Linux
        mapped = mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)[offset : offset + length]
    if len(view) != length:
        raise ValueError("cache file shorter than its header says")
    return view


def _ours(info: os.stat_result) -> bool:
    """A regular file owned by this user that no one else can write: the only kind taxo reads or removes."""
    import stat

    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o022:
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


# Each bytes value read back as a view of a cache file (id -> the view itself, kept alive so that the id stays its
# own; a descriptor of the file; where the value begins in it): what file_span answers from. The last few only: a
# run reads one or two, and a long-lived process (tests) must not keep a descriptor open for every read.
_SPANS: dict[int, tuple[memoryview, int, int]] = {}
_KEEP_SPANS = 8


_mapped_since_tidy = 0  # cache files mapped since the last tidy (each mapping holds the file open)


def tidy() -> None:
    """After a run, in a process that runs taxo again and again: once more files are mapped than the last few
    kept, collect what earlier runs left in cycles, so that their mappings (and open files) are let go. One run
    maps one or two files: a command-line run never collects."""
    global _mapped_since_tidy
    if _mapped_since_tidy > _KEEP_SPANS:
        import gc

        _mapped_since_tidy = 0
        gc.collect()


def _remember_span(view: memoryview, descriptor: int, offset: int) -> None:
    _SPANS[id(view)] = (view, descriptor, offset)
    while len(_SPANS) > _KEEP_SPANS:
        _, old, _ = _SPANS.pop(next(iter(_SPANS)))
        if old != descriptor and all(entry[1] != old for entry in _SPANS.values()):
            os.close(old)


def file_span(value: object) -> tuple[int, int, int] | None:
    """(descriptor, offset, length) in its cache file of a bytes value read back as a view of it, so that it can
    be sent to the output by the system (os.sendfile) without passing through this process; else None."""
    entry = _SPANS.get(id(value))
    if entry is None or entry[0] is not value:
        return None
    return entry[1], entry[2], len(value)


def _unpickle(data: bytes, offset: int, blobs: memoryview | None = None,
              origin: tuple[int, int] | None = None) -> object:  # fmt: skip
    """Records and plain values only: any other class or function named in the file stops the load. A large bytes
    value kept after the pickle (see _pickle) comes back as a view of `blobs`, which begin at origin[1] in the file
    open as origin[0].

    tuple.__new__ is safe to hand out: it can only make a tuple, or an instance of a tuple subclass it is given,
    and the only classes a file can give it are the allowed record classes."""
    import gc
    import io

    try:
        from _pickle import Unpickler, UnpicklingError  # the C unpickler itself, without pickle.py's imports
    except ImportError:  # pragma: no cover - an interpreter without the C accelerator
        from pickle import Unpickler, UnpicklingError

    kept: list[int] = []  # the descriptor kept for this file's views, once one is handed out
    allowed = {(records.__name__, name): value for name, value in _record_classes().items()}
    allowed[(__name__, _new_record.__name__)] = tuple.__new__  # the same, in C

    class RecordsOnly(Unpickler):
        def find_class(self, module: str, name: str) -> object:
            if (module, name) in allowed:
                return allowed[(module, name)]
            raise UnpicklingError(f"{module}.{name} is not a taxo record")

        def persistent_load(self, pid: object) -> memoryview:
            if blobs is None or type(pid) is not tuple or len(pid) != 2 or not all(type(n) is int for n in pid):
                raise UnpicklingError("not a blob of this file")
            start, end = pid
            if not 0 <= start <= end <= len(blobs):
                raise UnpicklingError("a blob outside the file")
            view = blobs[start:end]
            if origin is not None:  # the file stays open for file_span (a descriptor of its own: this one closes)
                if not kept:
                    kept.append(os.dup(origin[0]))
                _remember_span(view, kept[0], origin[1] + start)
            return view

    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new tuples would trigger many useless collections
    try:
        stream = io.BytesIO(data)  # shares the bytes (a memoryview slice would be copied: 12 MB at 10,000 models)
        stream.seek(offset)
        loaded = RecordsOnly(stream).load()
        # What is cached lives as long as the command and holds no cycles: spare the collector scanning it again
        # and again (a full collection over 10,000 models takes ~20 ms). Refcounting still frees it.
        gc.freeze()
        return loaded
    finally:
        if collecting:
            gc.enable()


def _record_classes() -> dict[str, type]:
    """The classes a cache file may name: records.py's records (NamedTuples) and enums."""
    return {
        name: value
        for name, value in vars(records).items()
        if isinstance(value, type) and (issubclass(value, Enum) or hasattr(value, "_fields"))
    }


def _new_record(cls: type, values: tuple) -> tuple:
    """How a cached record is rebuilt (the unpickler calls tuple.__new__ itself for this name: the same, in C)."""
    return tuple.__new__(cls, values)


def _shared(value: T) -> T:
    """The same value (a catalogue, an index) with each distinct string and record held once (YAML gives every
    `text` or `Apache-2.0` its own copy): pickle then writes a repeat as a back-reference, which reads back ~40%
    faster at 10,000 models. Records are immutable, so sharing equal ones changes nothing a reader can see."""
    seen: dict = {}

    def share(value):  # noqa: ANN001, ANN202
        kind = type(value)
        if kind is str:
            return seen.setdefault(value, value)
        if kind is dict:
            return {share(k): share(v) for k, v in value.items()}
        if isinstance(value, tuple):
            values = tuple(share(v) for v in value)
            rebuilt = values if kind is tuple else tuple.__new__(kind, values)
            try:
                return seen.setdefault((kind, values), rebuilt)
            except TypeError:  # holds a dict: not hashable, kept as it is
                return rebuilt
        return value  # numbers, None, enum members: already shared or cheap

    return share(value)


def _pickle(value: object, blobs: list[bytes] | None = None) -> bytes:
    """Records pickled as `_new_record(cls, values)`, not through each NamedTuple's Python-level __new__. Given a
    `blobs` list, each bytes value of BLOB_BYTES or more is appended to it instead, and pickled as where it will
    lie after the pickle: (start, end), counted from the end of the pickle."""
    import copyreg
    import io
    import pickle

    def reduce(record: tuple) -> tuple:
        return _new_record, (type(record), tuple(record))

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    records_only = {cls: reduce for cls in _record_classes().values() if not issubclass(cls, Enum)}
    pickler.dispatch_table = {**copyreg.dispatch_table, **records_only}
    if blobs is not None:
        at = [0]

        def blob(value: object) -> tuple[int, int] | None:
            if type(value) is not bytes or len(value) < BLOB_BYTES:
                return None
            blobs.append(value)
            at[0] += len(value)
            return at[0] - len(value), at[0]

        pickler.persistent_id = blob
    pickler.dump(value)
    return buffer.getvalue()


def _write(path: Path, key: bytes, value: object) -> None:
    """Store atomically; a cache that cannot be written is no cache, never an error."""
    try:
        blobs: list[bytes] = []
        body = _pickle(_shared(value), blobs)
        crc = _crc(body)
        for blob in blobs:
            crc = _crc(blob, crc)
        length = len(body) + sum(map(len, blobs))
        sizes = ((len(key), 4), (crc, 4), (length, 8), (len(body), 8))
        lengths = b"".join(n.to_bytes(size, "big") for n, size in sizes)
        _make_folder(path.parent)
        import tempfile

        descriptor, name = tempfile.mkstemp(prefix=".tmp-", suffix=".bin", dir=path.parent)  # mode 0600
        temporary = Path(name)
        try:
            with open(descriptor, "wb") as file:
                file.write(MAGIC + lengths + key)
                file.write(body)
                for blob in blobs:
                    file.write(blob)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _prune(path.parent)
    except Exception:  # noqa: BLE001, S110 - read-only or missing home, full disk: just no cache this time
        pass


def _prune(folder: Path) -> None:
    """Keep the KEEP most recently written catalogue caches (each distinct set of catalogue files has its own) and
    what was derived from them; remove temporary files that an interrupted taxo left behind over an hour ago.

    Only files taxo wrote are ever removed: a name of taxo's pattern, a regular file (not a link) owned by this
    user, and taxo's header inside. Anything else in the folder (it may be a user's folder, linked) is left alone."""
    import re
    import time

    pattern = re.compile(rf"(?:[a-z][a-z-]*-{re.escape(sys.implementation.cache_tag)}-[0-9a-f]{{8}}|\.tmp-\w+)\.bin")
    mine: list[tuple[Path, os.stat_result]] = []
    for entry in os.scandir(folder):
        if pattern.fullmatch(entry.name) and _ours(info := entry.stat(follow_symlinks=False)) and _has_magic(entry.path):
            mine.append((Path(entry.path), info))
    mine.sort(key=lambda item: item[1].st_mtime_ns, reverse=True)
    catalogues = [path for path, _ in mine if path.name.startswith("catalog-")]
    kept = {path.name.removeprefix("catalog-") for path in catalogues[:KEEP]}  # "<python tag>-<crc of names>.bin"
    derived = [path for path, _ in mine if not path.name.startswith((".", "catalog-"))]
    orphans = [path for path in derived if not any(path.name.endswith("-" + suffix) for suffix in kept)]
    stale = [path for path, info in mine if path.name.startswith(".tmp-") and info.st_mtime < time.time() - 3600]
    for old in [*catalogues[KEEP:], *orphans, *stale]:
        old.unlink(missing_ok=True)


def _has_magic(path: str) -> bool:
    """Whether a file starts with taxo's cache header (read without waiting or following a link)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        return os.read(descriptor, len(MAGIC)) == MAGIC
    finally:
        os.close(descriptor)
