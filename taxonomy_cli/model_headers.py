"""Read the headers of model weight files (safetensors, GGUF) with the standard library, never the weights.

Files are untrusted: every length is checked against the file's size and a cap before anything is read or
allocated, strings are decoded leniently and kept short, and every problem is one `ModelFileError` naming the file.
Files are only ever opened for reading; nothing is memory-mapped.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import struct
from typing import BinaryIO, NamedTuple

from taxonomy_cli.errors import ModelFileError

# The safetensors library refuses headers over 100 MB (its MAX_HEADER_SIZE); a real one is a few kilobytes to a
# few megabytes.
MAX_SAFETENSORS_HEADER = 100_000_000
MAX_TENSORS_PER_FILE = 100_000  # the largest real checkpoints have a few thousand per file
# A header's JSON values are counted (by its commas) before it is parsed: a hostile one could otherwise hold tens
# of millions of tiny values and take gigabytes as Python objects. A real tensor entry has about ten.
MAX_HEADER_VALUES = 20 * MAX_TENSORS_PER_FILE
MAX_DIMS = 16
MAX_DIM = 2**63 - 1
# GGUF keeps the whole vocabulary in its metadata (tokens, scores, merges): a few megabytes for a 256K vocabulary.
MAX_GGUF_HEADER = 64 * 1024 * 1024
MAX_GGUF_KEYS = 100_000
MAX_GGUF_ARRAY = 8_000_000
# Strings and arrays vary in length, so skipping them means walking them one by one: these bound that walk (a 256K
# vocabulary plus its merges is under a million strings; real files nest arrays rarely, if ever).
MAX_GGUF_STRINGS = 4_000_000
MAX_GGUF_ARRAYS = 100_000
MAX_GGUF_STRING = 16 * 1024 * 1024
MAX_GGUF_NESTING = 8
MAX_GGUF_ALIGNMENT = 1024 * 1024
KEEP_ARRAY = 64  # arrays up to this long are kept; longer ones are summarised as their length
MAX_KEPT_STRING = 4096  # metadata strings longer than this are cut (a chat template's presence is what matters)
CHUNK = 1024 * 1024

GGUF_MAGIC = b"GGUF"

# safetensors dtypes -> bits per element (sub-byte float formats included).
SAFETENSORS_BITS = {
    "BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8, "I16": 16, "U16": 16, "F16": 16,
    "BF16": 16, "I32": 32, "U32": 32, "F32": 32, "F64": 64, "I64": 64, "U64": 64, "C64": 64, "F4": 4,
    "F6_E2M3": 6, "F6_E3M2": 6,
}  # fmt: skip
_DTYPE_NAME = re.compile(r"^[A-Z0-9_]{1,16}$")

# ggml tensor types: number -> (name, elements per block, bytes per block). The block layouts are GGUF's
# (gguf-py GGML_QUANT_SIZES); they let taxo check that every tensor lies inside the file.
GGML_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20), 6: ("Q5_0", 32, 22),
    7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 40), 10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110),
    12: ("Q4_K", 256, 144), 13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
    16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98), 19: ("IQ1_S", 256, 50),
    20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110), 22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136),
    24: ("I8", 1, 1), 25: ("I16", 1, 2), 26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8),
    29: ("IQ1_M", 256, 56), 30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66),
    39: ("MXFP4", 32, 17), 40: ("NVFP4", 64, 36), 41: ("Q1_0", 128, 18), 42: ("Q2_0", 64, 18),
}  # fmt: skip

# GGUF general.file_type (llama.cpp's llama_ftype): what the file as a whole was quantised to.
GGUF_FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 4: "Q4_1_SOME_F16", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
    19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL",
    26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 33: "Q4_0_4_4",
    34: "Q4_0_4_8", 35: "Q4_0_8_8", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE", 39: "NVFP4", 40: "Q1_0",
    41: "Q2_0",
}  # fmt: skip

# GGUF metadata value types -> struct format (8 = string, 9 = array are read apart).
_GGUF_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "B", 10: "Q", 11: "q", 12: "d"}
_GGUF_BOOL = 7
_GGUF_STRING = 8
_GGUF_ARRAY = 9


class Tensor(NamedTuple):
    """One tensor as a header describes it: its element count is what parameter counts add up."""

    name: str
    dtype: str
    shape: tuple[int, ...]

    @property
    def elements(self) -> int:
        return math.prod(self.shape)


class SafetensorsHeader(NamedTuple):
    tensors: tuple[Tensor, ...]
    metadata: dict[str, str]
    file_bytes: int


class ArraySummary:
    """A long GGUF metadata array (a vocabulary, say), kept as its element type and length only.

    Deliberately not a tuple: short arrays are kept as tuples, and the two must not be confused."""

    __slots__ = ("type", "length")

    def __init__(self, type: int, length: int) -> None:  # noqa: A002 - GGUF's own word
        self.type = type
        self.length = length

    def __repr__(self) -> str:
        return f"ArraySummary(type={self.type}, length={self.length})"


class GGUFHeader(NamedTuple):
    version: int
    byte_order: str  # 'little' | 'big'
    metadata: dict[str, object]  # numbers, strings, short arrays as tuples, long ones as ArraySummary
    tensors: tuple[Tensor, ...]
    file_bytes: int


def clean(text: str, limit: int = MAX_KEPT_STRING) -> str:
    """Text from a file made safe to keep: no lone surrogates (they cannot be printed), at most `limit` characters."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def open_regular(path: str) -> tuple[BinaryIO, int]:
    """Open a file read-only, refusing what is not a regular file (a FIFO would block, a device never ends)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise ModelFileError(f"{path}: is a folder, expected a file")
        if not stat.S_ISREG(info.st_mode):
            raise ModelFileError(f"{path}: is not a regular file (a FIFO, device or socket?)")
        return os.fdopen(descriptor, "rb", buffering=0), info.st_size
    except BaseException:
        os.close(descriptor)
        raise


def read_small(path: str, limit: int, shown: str | None = None) -> bytes:
    """A whole small file (a config, a ref), refusing one over `limit` bytes."""
    handle, size = open_regular(path)
    with handle:
        if size > limit:
            raise ModelFileError(f"{shown or path}: {size:,} bytes is too large (limit {limit:,})")
        return _read_exactly(handle, size, shown or path)


def sniff(path: str) -> str | None:
    """'gguf', 'safetensors' or None, from the first bytes of a file (names and extensions are not trusted)."""
    handle, size = open_regular(path)
    with handle:
        head = _read_exactly(handle, min(size, 9), path)
    if head[:4] == GGUF_MAGIC:
        return "gguf"
    if len(head) == 9 and head[8:9] == b"{":
        return "safetensors"
    return None


# -- safetensors -----------------------------------------------------------------------------------------------


def read_safetensors(path: str) -> SafetensorsHeader:
    """The tensors a .safetensors file declares: 8-byte little-endian header length, then a JSON header."""
    handle, size = open_regular(path)
    with handle:
        if size < 8:
            raise ModelFileError(f"{path}: truncated: {size} bytes, too short for a safetensors file")
        (length,) = struct.unpack("<Q", _read_exactly(handle, 8, path))
        if length > MAX_SAFETENSORS_HEADER:
            raise ModelFileError(
                f"{path}: not a safetensors file, or a hostile one: its header claims {length:,} bytes "
                f"(the limit is {MAX_SAFETENSORS_HEADER:,})"
            )
        if length < 2 or 8 + length > size:
            raise ModelFileError(f"{path}: truncated: its header claims {length:,} bytes but the file has {size:,}")
        raw = _read_exactly(handle, length, path)
    if raw[:1] != b"{":
        raise ModelFileError(f"{path}: not a safetensors file: its header does not start with a JSON object")
    header = _parse_header_json(raw, path)
    data_bytes = size - 8 - length
    metadata: dict[str, str] = {}
    tensors: list[Tensor] = []
    spans: list[tuple[int, int, str]] = []
    for name, entry in header.items():
        if name == "__metadata__":
            if not isinstance(entry, dict):
                raise ModelFileError(f"{path}: malformed safetensors header: __metadata__ is not a mapping")
            metadata = {clean(str(k), 256): clean(str(v)) for k, v in list(entry.items())[:KEEP_ARRAY]}
            continue
        tensor, begin, end = _safetensors_tensor(name, entry, data_bytes, path)
        tensors.append(tensor)
        spans.append((begin, end, tensor.name))
    spans.sort()
    for (_, end, first), (begin, _, second) in zip(spans, spans[1:]):
        if begin < end:  # two tensors claiming the same bytes: counting both would invent parameters
            raise ModelFileError(
                f"{path}: malformed safetensors header: tensors {clean(first, 120)!r} and {clean(second, 120)!r} "
                "overlap in the file"
            )
    return SafetensorsHeader(tuple(tensors), metadata, size)


class _TensorEntry(tuple):
    """A tensor entry compacted while the JSON is parsed: keeps memory low for big headers."""


def _parse_header_json(raw: bytes, path: str) -> dict:
    if raw.count(b",") > MAX_HEADER_VALUES:
        raise ModelFileError(f"{path}: more than {MAX_HEADER_VALUES:,} values in the safetensors header: refused")
    count = 0

    def compact(pairs: list[tuple[str, object]]) -> object:
        nonlocal count
        count += 1
        if count > MAX_TENSORS_PER_FILE + 2:
            raise ModelFileError(f"{path}: more than {MAX_TENSORS_PER_FILE:,} tensors in one file: refused")
        values = dict(pairs)
        if len(values) != len(pairs):
            raise ModelFileError(f"{path}: malformed safetensors header: a key appears twice")
        if values.keys() == {"dtype", "shape", "data_offsets"}:
            return _TensorEntry((values["dtype"], values["shape"], values["data_offsets"]))
        return values

    try:
        text = raw.decode("utf-8")
        header = json.loads(text, object_pairs_hook=compact)
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"{path}: malformed safetensors header: not UTF-8 (byte {exc.start + 8})") from None
    except RecursionError:
        raise ModelFileError(f"{path}: malformed safetensors header: nested too deeply") from None
    except ValueError as exc:  # json.JSONDecodeError, and integers too long to convert
        raise ModelFileError(f"{path}: malformed safetensors header: {clean(str(exc), 200)}") from None
    if not isinstance(header, dict):
        raise ModelFileError(f"{path}: malformed safetensors header: not a JSON object")
    return header


def _safetensors_tensor(name: str, entry: object, data_bytes: int, path: str) -> tuple[Tensor, int, int]:
    """One declared tensor, checked against the bytes it claims (a dtype taxo does not know still stores each
    element in at least one bit), and where it lies in the data."""
    shown = clean(name, 120)
    if not isinstance(entry, _TensorEntry):
        raise ModelFileError(f"{path}: malformed safetensors header: tensor {shown!r} needs dtype, shape, data_offsets")
    dtype, shape, offsets = entry
    if not isinstance(dtype, str) or not _DTYPE_NAME.match(dtype):
        raise ModelFileError(f"{path}: malformed safetensors header: tensor {shown!r} has a bad dtype")
    if not isinstance(shape, list) or len(shape) > MAX_DIMS or not all(_whole(d, MAX_DIM) for d in shape):
        raise ModelFileError(f"{path}: malformed safetensors header: tensor {shown!r} has a bad shape")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(_whole(o, data_bytes) for o in offsets)):
        raise ModelFileError(
            f"{path}: truncated or malformed: tensor {shown!r} lies outside the file's {data_bytes:,} data bytes"
        )
    begin, end = offsets
    bits = SAFETENSORS_BITS.get(dtype)
    elements = math.prod(shape)
    if end < begin or (bits is not None and elements * bits != (end - begin) * 8) or elements > (end - begin) * 8:
        raise ModelFileError(f"{path}: malformed safetensors header: tensor {shown!r}'s size does not match its shape")
    return Tensor(clean(name, 1024), dtype, tuple(shape)), begin, end


def _whole(value: object, limit: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= limit


# -- GGUF ------------------------------------------------------------------------------------------------------


def read_gguf(path: str) -> GGUFHeader:
    """A GGUF file's metadata and tensor table (version 2 or 3, either byte order)."""
    handle, size = open_regular(path)
    with handle:
        cursor = _Cursor(handle, size, path)
        if size < 4 or cursor.take(4) != GGUF_MAGIC:
            raise ModelFileError(f"{path}: not a GGUF file: wrong magic number (a GGUF file starts with 'GGUF')")
        raw_version = cursor.take(4)
        order = "<"
        (version,) = struct.unpack("<I", raw_version)
        if version not in (1, 2, 3):
            (swapped,) = struct.unpack(">I", raw_version)
            if swapped not in (1, 2, 3):
                raise ModelFileError(f"{path}: unsupported GGUF version {version}")
            order, version = ">", swapped
        if version == 1:
            raise ModelFileError(f"{path}: GGUF version 1 (2023) is not supported: convert it again with llama.cpp")
        cursor.order = order
        tensor_count, key_count = cursor.unpack("QQ")
        if tensor_count > MAX_TENSORS_PER_FILE:
            raise ModelFileError(f"{path}: claims {tensor_count:,} tensors (the limit is {MAX_TENSORS_PER_FILE:,})")
        if key_count > MAX_GGUF_KEYS:
            raise ModelFileError(f"{path}: claims {key_count:,} metadata keys (the limit is {MAX_GGUF_KEYS:,})")
        metadata: dict[str, object] = {}
        token_array: tuple[int, int] | None = None  # (file offset, length) of the vocabulary's strings
        for _ in range(key_count):
            key = clean(cursor.string(), 256)
            (value_type,) = cursor.unpack("I")
            offset = cursor.pos
            value = _gguf_value(cursor, value_type, 0)
            if key in metadata:
                raise ModelFileError(f"{path}: malformed GGUF: metadata key {key!r} appears twice")
            metadata[key] = value
            if key == "tokenizer.ggml.tokens" and _string_array_length(value):
                token_array = (offset, _string_array_length(value))
        tensors, ends = [], 0
        for _ in range(tensor_count):
            tensor, end = _gguf_tensor(cursor, path)
            tensors.append(tensor)
            ends = max(ends, end)
        alignment = metadata.get("general.alignment", 32)
        if not isinstance(alignment, int) or isinstance(alignment, bool) or not 0 < alignment <= MAX_GGUF_ALIGNMENT \
                or alignment & (alignment - 1):
            raise ModelFileError(f"{path}: malformed GGUF: general.alignment {alignment!r} is not a power of two")
        data_start = -(-cursor.pos // alignment) * alignment
        if tensors and data_start + ends > size:
            raise ModelFileError(
                f"{path}: truncated: its tensors need {data_start + ends:,} bytes but the file has {size:,}"
            )
        for key in ("tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id"):
            index = metadata.get(key)
            if token_array and isinstance(index, int) and not isinstance(index, bool) and 0 <= index < token_array[1]:
                metadata[key.removesuffix("_id")] = _gguf_token(cursor, token_array[0], index)
    return GGUFHeader(version, "little" if order == "<" else "big", metadata, tuple(tensors), size)


def _string_array_length(value: object) -> int:
    if isinstance(value, ArraySummary):
        return value.length if value.type == _GGUF_STRING else 0
    return len(value) if isinstance(value, tuple) and all(isinstance(v, str) for v in value) else 0


def _gguf_value(cursor: _Cursor, value_type: int, depth: int) -> object:
    if value_type in _GGUF_SCALARS:
        (value,) = cursor.unpack(_GGUF_SCALARS[value_type])
        return bool(value) if value_type == _GGUF_BOOL else value
    if value_type == _GGUF_STRING:
        return cursor.string()
    if value_type != _GGUF_ARRAY:
        raise ModelFileError(f"{cursor.path}: malformed GGUF: unknown metadata value type {value_type}")
    if depth >= MAX_GGUF_NESTING:
        raise ModelFileError(f"{cursor.path}: malformed GGUF: arrays nested more than {MAX_GGUF_NESTING} deep")
    cursor.arrays += 1
    if cursor.arrays > MAX_GGUF_ARRAYS:
        raise ModelFileError(f"{cursor.path}: malformed GGUF: more than {MAX_GGUF_ARRAYS:,} metadata arrays")
    element_type, length = cursor.unpack("IQ")
    if length > MAX_GGUF_ARRAY:
        raise ModelFileError(f"{cursor.path}: malformed GGUF: an array of {length:,} items (limit {MAX_GGUF_ARRAY:,})")
    if length <= KEEP_ARRAY:
        return tuple(_gguf_value(cursor, element_type, depth + 1) for _ in range(length))
    if element_type in _GGUF_SCALARS:
        cursor.skip(length * struct.calcsize(cursor.order + _GGUF_SCALARS[element_type]))
    elif element_type == _GGUF_STRING:
        cursor.skip_strings(length)
    else:
        for _ in range(length):
            _gguf_value(cursor, element_type, depth + 1)
    return ArraySummary(element_type, length)


def _gguf_tensor(cursor: _Cursor, path: str) -> tuple[Tensor, int]:
    name = cursor.string()
    (dims,) = cursor.unpack("I")
    if dims > MAX_DIMS:
        raise ModelFileError(f"{path}: malformed GGUF: tensor {clean(name, 120)!r} has {dims} dimensions")
    shape = cursor.unpack("Q" * dims) if dims else ()
    type_number, offset = cursor.unpack("IQ")
    known = GGML_TYPES.get(type_number)
    elements = math.prod(shape)
    end = offset
    if known:
        _, block, block_bytes = known
        end = offset + -(-elements // block) * block_bytes
    return Tensor(name, known[0] if known else f"type {type_number}", tuple(shape)), end


def _gguf_token(cursor: _Cursor, array_offset: int, index: int) -> str:
    """The index-th string of the vocabulary array, found by walking it again (its strings vary in length)."""
    cursor.seek(array_offset + 12)  # past the element type and length
    cursor.skip_strings(index)
    return cursor.string()


class _Cursor:
    """Sequential reads through a window of the file, each one checked against the file size and the header cap."""

    def __init__(self, handle: BinaryIO, size: int, path: str) -> None:
        self.handle = handle
        self.size = size
        self.path = path
        self.order = "<"
        self.pos = 0  # file offset of the next read
        self.base = 0  # file offset of buffer[0]
        self.buffer = b""
        self.structs: dict[str, struct.Struct] = {}
        self.strings = 0  # strings walked past so far (bounded by MAX_GGUF_STRINGS)
        self.arrays = 0

    def _check(self, end: int) -> None:
        if end > self.size:
            raise ModelFileError(
                f"{self.path}: truncated: the header runs past the end of the file ({self.size:,} bytes)"
            )
        if end > MAX_GGUF_HEADER:
            raise ModelFileError(f"{self.path}: GGUF header larger than {MAX_GGUF_HEADER:,} bytes: refused")

    def _fill(self, end: int) -> None:
        self._check(end)
        have = self.base + len(self.buffer)
        if end <= have:
            return
        if self.pos >= have:
            self.buffer, self.base = b"", self.pos
        elif self.pos > self.base:
            self.buffer, self.base = self.buffer[self.pos - self.base :], self.pos
        start = self.base + len(self.buffer)
        want = min(max(end - start, CHUNK), self.size - start)
        self.handle.seek(start)
        self.buffer += _read_exactly(self.handle, want, self.path)

    def take(self, count: int) -> bytes:
        self._fill(self.pos + count)
        offset = self.pos - self.base
        self.pos += count
        return self.buffer[offset : offset + count]

    def unpack(self, fmt: str) -> tuple:
        packer = self.structs.get(fmt)
        if packer is None:
            packer = self.structs[fmt] = struct.Struct(self.order + fmt)
        self._fill(self.pos + packer.size)
        values = packer.unpack_from(self.buffer, self.pos - self.base)
        self.pos += packer.size
        return values

    def skip(self, count: int) -> None:
        self._check(self.pos + count)
        self.pos += count

    def seek(self, offset: int) -> None:
        self._check(offset)
        self.pos = offset
        if offset < self.base:  # back before the window: start a new one there
            self.buffer, self.base = b"", offset

    def skip_strings(self, count: int) -> None:
        """Walk past `count` strings: the hot loop for vocabularies, so it reads the buffer directly."""
        self.strings += count
        if self.strings > MAX_GGUF_STRINGS:
            raise ModelFileError(f"{self.path}: malformed GGUF: more than {MAX_GGUF_STRINGS:,} metadata strings")
        unpack = self.structs.setdefault("Q", struct.Struct(self.order + "Q")).unpack_from
        pos, limit = self.pos, min(self.size, MAX_GGUF_HEADER)
        buffer, base = self.buffer, self.base
        have = base + len(buffer)
        for _ in range(count):
            if pos + 8 > have:  # (pos is never before base: seek starts a new window there)
                self.pos = pos
                self._fill(pos + 8)
                buffer, base = self.buffer, self.base
                have = base + len(buffer)
            (length,) = unpack(buffer, pos - base)
            pos += 8 + length
            if pos > limit:
                self._check(pos)
        self.pos = pos

    def string(self) -> str:
        (length,) = self.unpack("Q")
        if length > MAX_GGUF_STRING:
            raise ModelFileError(f"{self.path}: malformed GGUF: a string of {length:,} bytes")
        if length > MAX_KEPT_STRING * 4:
            head = self.take(MAX_KEPT_STRING * 4)
            self.skip(length - len(head))
            return clean(head.decode("utf-8", "replace"))
        return clean(self.take(length).decode("utf-8", "replace"))


def _read_exactly(handle: BinaryIO, count: int, path: str) -> bytes:
    chunks, left = [], count
    while left > 0:
        chunk = handle.read(left)
        if not chunk:
            raise ModelFileError(f"{path}: truncated: the file ended early (it may have changed while being read)")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
