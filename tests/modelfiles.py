"""Build tiny, real-format model files for tests: safetensors, GGUF v3, Hugging Face folders and caches.

Shapes are real; the data is zeros. A test that needs a 7B-parameter header makes a sparse file (a few kilobytes on
disk) so that every tensor lies inside the file, as a real one's would.
"""

from __future__ import annotations

import json
import math
import os
import struct
from pathlib import Path

SAFETENSORS_BYTES = {"F32": 4, "F16": 2, "BF16": 2, "I32": 4, "I8": 1, "U8": 1, "F8_E4M3": 1}

# ggml type -> (number, elements per block, bytes per block)
GGML = {"F32": (0, 1, 4), "F16": (1, 1, 2), "Q8_0": (8, 32, 34), "Q4_K": (12, 256, 144), "Q6_K": (14, 256, 210)}


def tiny_llama_tensors(layers: int = 2, hidden: int = 64, vocab: int = 128, mlp: int = 128, kv: int = 32,
                       tied: bool = False) -> dict[str, tuple[int, ...]]:  # fmt: skip
    """The tensor shapes of a Llama-style decoder (what transformers would save)."""
    shapes: dict[str, tuple[int, ...]] = {"model.embed_tokens.weight": (vocab, hidden), "model.norm.weight": (hidden,)}
    for i in range(layers):
        prefix = f"model.layers.{i}."
        shapes.update(
            {
                prefix + "self_attn.q_proj.weight": (hidden, hidden),
                prefix + "self_attn.k_proj.weight": (kv, hidden),
                prefix + "self_attn.v_proj.weight": (kv, hidden),
                prefix + "self_attn.o_proj.weight": (hidden, hidden),
                prefix + "mlp.gate_proj.weight": (mlp, hidden),
                prefix + "mlp.up_proj.weight": (mlp, hidden),
                prefix + "mlp.down_proj.weight": (hidden, mlp),
                prefix + "input_layernorm.weight": (hidden,),
                prefix + "post_attention_layernorm.weight": (hidden,),
            }
        )
    if not tied:
        shapes["lm_head.weight"] = (vocab, hidden)
    return shapes


def count(shapes: dict[str, tuple[int, ...]]) -> int:
    return sum(math.prod(shape) for shape in shapes.values())


def safetensors_bytes(shapes: dict[str, tuple[int, ...]], dtype: str = "BF16", metadata: dict | None = None,
                      data: bool = True) -> tuple[bytes, int]:  # fmt: skip
    """(header bytes, data length): the header is real; write zeros (or a sparse tail) for the data."""
    header: dict = {"__metadata__": metadata or {"format": "pt"}}
    offset = 0
    for name, shape in shapes.items():
        size = math.prod(shape) * SAFETENSORS_BYTES[dtype]
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw, offset


def write_safetensors(path: Path, shapes: dict[str, tuple[int, ...]], dtype: str = "BF16",
                      metadata: dict | None = None) -> Path:  # fmt: skip
    head, length = safetensors_bytes(shapes, dtype, metadata)
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(len(head) + length)  # sparse: zeros that take no disk space
    return path


def write_raw_safetensors(path: Path, header: dict | bytes, declared: int | None = None, tail: bytes = b"") -> Path:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    length = len(raw) if declared is None else declared
    path.write_bytes(struct.pack("<Q", length) + raw + tail)
    return path


# -- GGUF --------------------------------------------------------------------------------------------------------


def _string(value: str | bytes, order: str = "<") -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return struct.pack(order + "Q", len(raw)) + raw


def _value(value: object, order: str = "<") -> tuple[int, bytes]:
    if isinstance(value, bool):
        return 7, struct.pack(order + "B", value)
    if isinstance(value, int):
        return (4, struct.pack(order + "I", value)) if 0 <= value < 2**32 else (11, struct.pack(order + "q", value))
    if isinstance(value, float):
        return 6, struct.pack(order + "f", value)
    if isinstance(value, (str, bytes)):
        return 8, _string(value, order)
    if isinstance(value, list):
        element_type = _value(value[0], order)[0] if value else 4
        body = b"".join(_value(v, order)[1] for v in value)
        return 9, struct.pack(order + "IQ", element_type, len(value)) + body
    raise TypeError(value)


def gguf_bytes(metadata: dict[str, object], tensors: dict[str, tuple[tuple[int, ...], str]], version: int = 3,
               order: str = "<", alignment: int = 32) -> tuple[bytes, int]:  # fmt: skip
    """(header bytes padded to the alignment, data length) of a GGUF file; shapes are in GGUF order."""
    out = [b"GGUF", struct.pack(order + "IQQ", version, len(tensors), len(metadata))]
    for key, value in metadata.items():
        value_type, raw = _value(value, order)
        out.append(_string(key, order) + struct.pack(order + "I", value_type) + raw)
    offset = 0
    for name, (shape, kind) in tensors.items():
        number, block, block_bytes = GGML[kind]
        out.append(_string(name, order) + struct.pack(order + "I", len(shape)))
        out.append(struct.pack(order + "Q" * len(shape), *shape) + struct.pack(order + "IQ", number, offset))
        size = -(-math.prod(shape) // block) * block_bytes
        offset += -(-size // alignment) * alignment
    head = b"".join(out)
    head += b"\0" * (-len(head) % alignment)
    return head, offset


def write_gguf(path: Path, metadata: dict[str, object], tensors: dict[str, tuple[tuple[int, ...], str]],
               **options: object) -> Path:  # fmt: skip
    head, length = gguf_bytes(metadata, tensors, **options)
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(len(head) + length)
    return path


def llama_gguf_tensors(
    shapes: dict[str, tuple[int, ...]], kind: str = "Q8_0"
) -> dict[str, tuple[tuple[int, ...], str]]:
    """The same model in GGUF naming: 2-D weights quantised, 1-D norms in F32 (as llama.cpp writes them)."""
    return {name: (tuple(reversed(shape)), kind if len(shape) > 1 else "F32") for name, shape in shapes.items()}


def llama_metadata(name: str = "Tiny Llama Test", context: int = 2048, vocab: int = 128, file_type: int = 7,
                   **extra: object) -> dict[str, object]:  # fmt: skip
    data: dict[str, object] = {
        "general.architecture": "llama",
        "general.name": name,
        "general.file_type": file_type,
        "llama.context_length": context,
        "llama.block_count": 2,
        "llama.embedding_length": 64,
        "tokenizer.ggml.tokens": [f"tok{i}" for i in range(vocab)],
    }
    data.update(extra)
    return data


# -- Hugging Face folders and cache ----------------------------------------------------------------------------


def llama_config(**extra: object) -> dict:
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": 64,
        "num_hidden_layers": 2,
        "vocab_size": 128,
        "max_position_embeddings": 4096,
        "torch_dtype": "bfloat16",
    }
    config.update(extra)
    return config


def write_hf_folder(folder: Path, shapes: dict[str, tuple[int, ...]], config: dict | None = None, shards: int = 1,
                    files: dict[str, str | dict] | None = None) -> Path:  # fmt: skip
    """A Hugging Face model folder: config.json, weights (one file or shards with an index) and any extra files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config if config is not None else llama_config()))
    if shards == 1:
        write_safetensors(folder / "model.safetensors", shapes)
    else:
        names = list(shapes)
        weight_map = {}
        for index in range(shards):
            part = {n: shapes[n] for n in names[index::shards]}
            file = f"model-{index + 1:05d}-of-{shards:05d}.safetensors"
            write_safetensors(folder / file, part)
            weight_map.update({n: file for n in part})
        index_data = {"metadata": {"total_size": 0}, "weight_map": weight_map}
        (folder / "model.safetensors.index.json").write_text(json.dumps(index_data))
    for name, content in (files or {}).items():
        (folder / name).write_text(content if isinstance(content, str) else json.dumps(content))
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below a folder with its bytes and modification time: to prove nothing was written."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = os.stat(path)
            with open(path, "rb") as handle:
                head = handle.read(1 << 20)
            result[str(path)] = (head, info.st_size, info.st_mtime_ns)
        elif path.is_symlink():
            result[str(path)] = (os.readlink(path).encode(), 0, 0)
        else:
            result[str(path)] = (b"", 0, 0)
    return result
