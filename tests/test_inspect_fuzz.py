"""Property tests: no bytes, random or a mutated real header, ever make `taxo inspect` fail with a traceback."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelfiles import gguf_bytes, llama_gguf_tensors, llama_metadata, safetensors_bytes, tiny_llama_tensors
from taxonomy_cli import catalog, inspect_files, inspect_queries, output, render_inspect
from taxonomy_cli.errors import ModelFileError

CATALOG = catalog.load(catalog.bundled_files())
TINY = tiny_llama_tensors(layers=1, hidden=8, vocab=16, mlp=16, kv=8)
GGUF, GGUF_DATA = gguf_bytes(llama_metadata(vocab=16, **{"tokenizer.ggml.eos_token_id": 1}), llama_gguf_tensors(TINY))
SAFETENSORS, SAFETENSORS_DATA = safetensors_bytes(TINY, "F32")


def inspect_bytes(content: bytes, suffix: str) -> None:
    """Write `content` to a fresh file and inspect it all the way to both outputs: a card or one ModelFileError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"model{suffix}"
        path.write_bytes(content)
        try:
            files = inspect_files.read(path)
        except ModelFileError as exc:
            assert str(exc).startswith(str(path)) and "\n" not in str(exc)
            return
        finally:
            assert path.read_bytes() == content and os.listdir(folder) == [path.name]
        inspection = inspect_queries.identify(CATALOG, files)
        json.dumps(render_inspect.inspection_data(inspection), ensure_ascii=False).encode("utf-8")
        output.plain(render_inspect.inspection_document(inspection)).encode("utf-8")


def mutate(base: bytes, data: st.DataObject) -> bytes:
    content = bytearray(base)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(content) - 1))
        width = data.draw(st.sampled_from([1, 4, 8]))
        content[position : position + width] = data.draw(st.binary(min_size=width, max_size=width))
    cut = data.draw(st.one_of(st.none(), st.integers(0, len(content))))
    return bytes(content[:cut])


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(content=st.binary(max_size=256), suffix=st.sampled_from([".gguf", ".safetensors", ""]))
def test_random_bytes_never_give_a_traceback(content, suffix):
    inspect_bytes(content, suffix)


@FUZZ
@given(data=st.data())
def test_mutated_gguf_never_gives_a_traceback(data):
    inspect_bytes(mutate(GGUF, data) + b"\0" * GGUF_DATA, ".gguf")


@FUZZ
@given(data=st.data())
def test_mutated_safetensors_never_gives_a_traceback(data):
    inspect_bytes(mutate(SAFETENSORS, data) + b"\0" * SAFETENSORS_DATA, ".safetensors")


@FUZZ
@given(header=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
))  # fmt: skip
def test_any_json_header_never_gives_a_traceback(header):
    raw = json.dumps(header).encode()
    inspect_bytes(len(raw).to_bytes(8, "little") + raw, ".safetensors")


def test_the_unmutated_files_are_read():
    """The fuzzing starts from sound files: make sure they are (or the tests above prove little)."""
    sound = ((GGUF + b"\0" * GGUF_DATA, ".gguf"), (SAFETENSORS + b"\0" * SAFETENSORS_DATA, ".safetensors"))
    for content, suffix in sound:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"m{suffix}"
            path.write_bytes(content)
            assert inspect_files.read(path).parameters.value == 920  # 2*16*8 + 2*8*8 + 2*8*8 + 3*16*8 + 3*8


@pytest.mark.parametrize("suffix", [".gguf", ".safetensors"])
def test_every_truncation_is_one_clear_error(suffix):
    base = GGUF + b"\0" * GGUF_DATA if suffix == ".gguf" else SAFETENSORS + b"\0" * SAFETENSORS_DATA
    padding = 32 if suffix == ".gguf" else 0  # a GGUF may end with alignment padding after its last tensor
    for cut in range(0, len(base) - padding, max(1, len(base) // 200)):
        with pytest.raises(ModelFileError):
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"m{suffix}"
                path.write_bytes(base[:cut])
                inspect_files.read(path)
