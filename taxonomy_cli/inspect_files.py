"""Read what a model on disk says about itself into a `ModelFiles` record: headers and small JSON files only.

A Hugging Face folder (config.json, safetensors headers or their index, generation_config.json, the tokenizer's
chat template, the README's front matter), a single .safetensors file, or a .gguf file (split ones too). Weights
are never loaded and pickled checkpoints (*.bin, *.pt) are never unpickled. Every file is opened read-only.
The files that define the model (config.json, the weight headers, the index) must be sound, or reading stops
with a ModelFileError; the others (README, generation and tokenizer configs) only add notes when they are not.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from taxonomy_cli import hf_cache, model_headers
from taxonomy_cli.errors import ModelFileError, NotFound, TaxoError
from taxonomy_cli.model_headers import GGUF_FILE_TYPES, Tensor, clean
from taxonomy_cli.inspect_records import FOLDER_NAME, CachedModel, Fact, ModelFiles

MAX_JSON_BYTES = 16 * 1024 * 1024  # config.json and friends are kilobytes; tokenizer_config.json can be a few MB
MAX_JSON_VALUES = model_headers.MAX_HEADER_VALUES  # counted by commas before parsing, as for safetensors headers
MAX_FRONT_MATTER = 64 * 1024
MAX_FOLDER_ENTRIES = 10_000
MAX_TENSORS = 1_000_000  # across all the files of one model
MAX_NAME = 200

_SHARD = re.compile(r"^model-(\d{5})-of-(\d{5})\.safetensors$")
_GGUF_SPLIT = re.compile(r"^(?P<stem>.+)-(?P<part>\d{5})-of-(?P<total>\d{5})\.gguf$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_PICKLES = (".bin", ".pt", ".pth", ".ckpt")
# Quantisation bookkeeping that sits beside the weights: scales, zero points, group indices. Not parameters.
_QUANT_AUX = {"qzeros", "scales", "g_idx", "weight_scale", "weight_scale_inv", "input_scale", "weight_zero_point"}
_PACKED_INT = {"gptq", "awq"}  # 4-bit (or 2/3/8-bit) values packed into int32 `qweight` tensors
_ONE_TO_ONE = {"fp8", "fbgemm_fp8", "compressed-tensors"}  # one stored element per parameter
_UNQUANTISED = {"F32", "F16", "BF16", "F64"}


def _readable(function):  # noqa: ANN001, ANN202
    """Every OSError while reading (a name too long, a link loop, EACCES, EIO from a failing disk, EINVAL from a
    FUSE mount) becomes a ModelFileError naming the path, never a traceback or a 'cannot write' message."""
    import functools

    @functools.wraps(function)
    def reading(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        try:
            return function(*args, **kwargs)
        except OSError as exc:
            where = exc.filename if exc.filename is not None else (kwargs.get("display") or args[0])
            raise ModelFileError(f"{where}: cannot read: {exc.strerror or exc}") from None

    return reading


@_readable
def load(argument: str) -> ModelFiles:
    """A path (file or folder), or the id of a model in the local Hugging Face cache ('mistralai/Mistral-7B-v0.1')."""
    path = Path(argument).expanduser()
    if path.exists() or path.is_symlink():
        return read(path, display=argument)
    root = hf_cache.location()
    folder = hf_cache.find(argument, root)
    if folder is not None:
        return _read_repo_folder(folder, argument)
    hint = ""
    if hf_cache.looks_like_repo_id(argument):
        hint = f", and no model {argument!r} in the Hugging Face cache at {root}"
    raise NotFound(f"no such file or folder: {argument!r}{hint}")


@_readable
def read(path: Path, display: str | None = None, repo: str | None = None, revision: str | None = None) -> ModelFiles:
    """What the model at `path` (a folder, .safetensors or .gguf file) says about itself."""
    shown = display or str(path)
    if path.is_dir():
        if hf_cache.is_repo_folder(path):
            return _read_repo_folder(path, hf_cache.repo_id(path.name) or path.name, shown)
        return _read_folder(path, shown, repo, revision)
    if path.name == "config.json" or path.name.endswith(".safetensors.index.json"):
        return _read_folder(path.parent, str(path.parent), repo, revision)
    kind = model_headers.sniff(str(path))
    if kind is None and path.stat().st_size == 0:
        raise ModelFileError(f"{shown}: the file is empty")
    suffix = path.suffix.lower()
    if kind == "gguf" or (kind is None and suffix == ".gguf"):  # the reader names what is wrong with it
        return _read_gguf(path, shown, _Facts(shown, "gguf"))
    if kind == "safetensors" or (kind is None and suffix == ".safetensors"):
        return _read_safetensors_file(path, shown)
    raise ModelFileError(f"{shown}: not a model file: expected a model folder, a .safetensors or a .gguf file")


@_readable
def cached_repos(root: Path) -> tuple[tuple[str, Path], ...]:
    """The models of a Hugging Face cache (see hf_cache.repos), any OSError named."""
    return hf_cache.repos(root)


@_readable
def read_cache(repos: Sequence[tuple[str, Path]]) -> tuple[CachedModel, ...]:
    """The given models of a Hugging Face cache (hf_cache.repos), read; one that cannot be read carries its problem."""
    cached = []
    for repo, folder in repos:
        try:
            found = hf_cache.snapshot(folder)
        except OSError as exc:  # one unreadable model folder is that model's problem, not the listing's
            cached.append(CachedModel(repo, None, str(folder), None, f"cannot read: {exc.strerror or exc}"))
            continue
        if found is None:
            cached.append(CachedModel(repo, None, str(folder), None, "no snapshot: the download never completed"))
            continue
        snapshot, revision = found
        try:
            files = read(snapshot, repo=repo, revision=revision)
            cached.append(CachedModel(repo, revision, str(snapshot), files, None))
        except TaxoError as exc:  # named from the snapshot folder: the row already says which model
            cached.append(CachedModel(repo, revision, str(snapshot), None, str(exc).replace(f"{snapshot}/", "")))
    return tuple(cached)


def _read_repo_folder(folder: Path, repo: str, shown: str | None = None) -> ModelFiles:
    found = hf_cache.snapshot(folder)
    if found is None:
        raise ModelFileError(f"{shown or folder}: a cached model with no snapshot: the download never completed")
    snapshot, revision = found
    return _read_folder(snapshot, shown or str(snapshot), repo, revision)


class _Facts:
    """Collects facts while files are read, then freezes them into a ModelFiles record."""

    def __init__(self, path: str, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.version: str | None = None
        self.files: list[tuple[str, int]] = []
        self.names: list[Fact] = []
        self.values: dict[str, Fact | None] = {}
        self.tensor_count = 0
        self.stop_tokens: list[Fact] = []
        self.generation: list[tuple[str, Fact]] = []
        self.repo: str | None = None
        self.revision: str | None = None
        self.notes: list[str] = []

    def set(self, key: str, value: object, where: str) -> None:
        """Keep the first sound value found for a fact (files are read most authoritative first)."""
        if self.values.get(key) is None and value is not None:
            self.values[key] = Fact(value, where)

    def name(self, value: object, where: str) -> None:
        if isinstance(value, str) and value.strip() and all(f.value != value.strip() for f in self.names):
            self.names.append(Fact(clean(value.strip(), MAX_NAME), where))

    def finish(self) -> ModelFiles:
        get = self.values.get
        return ModelFiles(
            self.path, self.kind, self.version, tuple(self.files), tuple(self.names), get("parameters"),
            get("active_parameters"), self.tensor_count, get("architecture"), get("model_type"), get("layers"),
            get("hidden_size"), get("vocab_size"), get("context_length"), get("experts"), get("experts_used"),
            get("dtype"), get("quantisation"), get("organization"), get("license"), get("base_model"),
            get("base_model_relation"), get("chat_template"), tuple(self.stop_tokens), tuple(self.generation),
            self.revision, self.repo, tuple(dict.fromkeys(self.notes)),
        )  # fmt: skip


# -- Hugging Face folders --------------------------------------------------------------------------------------


def _read_folder(folder: Path, shown: str, repo: str | None, revision: str | None) -> ModelFiles:
    facts = _Facts(shown, "hf-folder")
    facts.repo, facts.revision = repo, revision
    entries = _entries(folder, shown)
    if repo:
        facts.name(repo.rsplit("/", 1)[-1], "Hugging Face cache: repository name")
        owner = clean(repo.split("/", 1)[0], MAX_NAME) if "/" in repo else None
        facts.set("organization", owner, "Hugging Face cache: repository owner")
    config = _json(folder / "config.json", f"{shown}/config.json") if "config.json" in entries else None
    if isinstance(config, dict):
        _config_facts(facts, config)
    elif config is not None:
        raise ModelFileError(f"{shown}/config.json: not a JSON object")
    weights = _weight_files(folder, entries, facts)
    ggufs = sorted(e for e in entries if e.endswith(".gguf"))
    gguf = None
    if weights:
        _count_safetensors(facts, [folder / w for w in weights], config if isinstance(config, dict) else {})
    elif ggufs:
        gguf = folder / _one_gguf(ggufs, shown)
    elif config is None:
        if any(hf_cache.repo_id(name) for name in entries):
            raise ModelFileError(f"{shown}: a Hugging Face cache, not a model folder: list it with taxo inspect --hf-cache")
        raise ModelFileError(f"{shown}: not a model folder: no config.json, *.safetensors or *.gguf file in it")
    pickles = sorted(e for e in entries if e.endswith(_PICKLES))
    if pickles and not weights:
        facts.notes.append(
            f"the weights are in PyTorch pickle files ({', '.join(pickles[:3])}): taxo never unpickles files, so "
            "the parameter count cannot come from the files"
        )
    if ggufs and weights:
        facts.notes.append(f"{len(ggufs)} GGUF file(s) here too: inspect one with taxo inspect {shown}/{ggufs[0]}")
    _auxiliary(facts, folder, entries, shown)
    if not repo and not _COMMIT.match(folder.name):
        facts.name(folder.resolve().name, FOLDER_NAME)
    return _read_gguf(gguf, shown, facts) if gguf else facts.finish()


def _entries(folder: Path, shown: str) -> set[str]:
    names: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                names.add(entry.name)
                if len(names) > MAX_FOLDER_ENTRIES:
                    raise ModelFileError(f"{shown}: more than {MAX_FOLDER_ENTRIES:,} entries: not a model folder")
    except OSError as exc:
        raise ModelFileError(f"{shown}: cannot read the folder: {exc.strerror or exc}") from None
    return names


def _config_facts(facts: _Facts, config: dict) -> None:
    text = config.get("text_config") if isinstance(config.get("text_config"), dict) else {}
    where = "config.json: "

    def first(*keys: str) -> tuple[object, str] | None:
        for source, prefix in ((config, ""), (text, "text_config.")):
            for key in keys:
                if _count(source.get(key)) is not None:
                    return source[key], prefix + key
        return None

    architectures = config.get("architectures")
    if isinstance(architectures, list) and architectures and isinstance(architectures[0], str):
        facts.set("architecture", clean(architectures[0], MAX_NAME), where + "architectures")
    if isinstance(config.get("model_type"), str):
        facts.set("model_type", clean(config["model_type"], MAX_NAME), where + "model_type")
    for fact, keys in (
        ("layers", ("num_hidden_layers", "n_layer", "num_layers", "n_layers")),
        ("hidden_size", ("hidden_size", "n_embd", "d_model", "dim")),
        ("vocab_size", ("vocab_size",)),
        ("context_length", ("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length", "n_ctx")),
        ("experts", ("num_local_experts", "num_experts", "n_routed_experts")),
        ("experts_used", ("num_experts_per_tok", "moe_top_k")),
    ):
        found = first(*keys)
        if found:
            facts.set(fact, found[0], where + found[1])
    for key in ("torch_dtype", "dtype"):
        if isinstance(config.get(key), str):
            facts.set("dtype", clean(config[key], 40), where + key)
    quant = config.get("quantization_config")
    if isinstance(quant, dict) and isinstance(quant.get("quant_method"), str):
        method = clean(quant["quant_method"], 40)
        bits = _count(quant.get("bits"))
        if bits is None and quant.get("load_in_4bit") is True:
            bits = 4
        if bits is None and quant.get("load_in_8bit") is True:
            bits = 8
        label = f"{method.upper() if len(method) <= 4 else method} {bits}-bit" if bits else method
        facts.set("quantisation", label, where + "quantization_config")
    facts.name(config.get("_name_or_path"), where + "_name_or_path")


def _weight_files(folder: Path, entries: set[str], facts: _Facts) -> list[str]:
    """The safetensors files that hold this model: from the index, else by Hugging Face's naming."""
    index_name = "model.safetensors.index.json"
    if index_name in entries:
        index = _json(folder / index_name, f"{facts.path}/{index_name}")
        weight_map = index.get("weight_map") if isinstance(index, dict) else None
        if not isinstance(weight_map, dict) or not all(isinstance(v, str) for v in weight_map.values()):
            raise ModelFileError(f"{facts.path}/{index_name}: malformed: no weight_map of tensor -> file")
        names = sorted(set(weight_map.values()))
        bad = [n for n in names if not _plain_file(n, ".safetensors")]
        if bad:
            raise ModelFileError(f"{facts.path}/{index_name}: names a file outside the folder: {clean(bad[0], 120)!r}")
        missing = [n for n in names if n not in entries]
        if missing:
            facts.notes.append(
                f"{len(missing)} of the {len(names)} weight files the index names are missing ({missing[0]}...): "
                "the parameter count needs them all"
            )
            return []
        return names
    safetensors = sorted(e for e in entries if e.endswith(".safetensors"))
    standard = [e for e in safetensors if e == "model.safetensors" or _SHARD.match(e)]
    if standard:
        totals = {int(m.group(2)) for e in standard if (m := _SHARD.match(e))}
        if len(totals) == 1 and len(standard) != totals.pop() and "model.safetensors" not in standard:
            facts.notes.append(
                "some model-XXXXX-of-YYYYY.safetensors shards are missing: the parameter count needs them all"
            )
            return []
        return standard
    others = [e for e in safetensors if not e.startswith("adapter_model")]
    if not others and safetensors:
        facts.notes.append("only a LoRA adapter (adapter_model.safetensors) is here: its tensors are not the model's")
    return others


def _plain_file(name: str, suffix: str) -> bool:
    return name.endswith(suffix) and name == os.path.basename(name) and "\\" not in name and name not in (".", "..")


def _count_safetensors(facts: _Facts, paths: list[Path], config: dict) -> None:
    quant = config.get("quantization_config") if isinstance(config.get("quantization_config"), dict) else {}
    method = str(quant.get("quant_method", "")).lower() if quant else ""
    bits = _count(quant.get("bits")) if quant else None
    total, experts, countable = 0, 0, True
    dtypes: Counter[str] = Counter()
    for path in paths:
        header = model_headers.read_safetensors(str(path))
        facts.files.append((str(path), header.file_bytes))
        facts.tensor_count += len(header.tensors)
        if facts.tensor_count > MAX_TENSORS:
            raise ModelFileError(f"{facts.path}: more than {MAX_TENSORS:,} tensors in all: refused")
        for tensor in header.tensors:
            dtypes[tensor.dtype] += tensor.elements
            count = _parameters_of(tensor, method, bits)
            if count is None:
                countable = False
                continue
            total += count
            if ".experts." in tensor.name:
                experts += count
    what = f"{len(paths)} safetensors file{'s' if len(paths) > 1 else ''}, {facts.tensor_count:,} tensors"
    if not countable:
        facts.notes.append(
            f"the weights are packed by {method or 'a quantisation method'} in a way taxo cannot count: "
            "the parameter count cannot come from the files"
        )
    elif facts.tensor_count:
        how = " (packed 4-bit values unpacked, scales left out)" if method in _PACKED_INT else ""
        facts.set("parameters", total, f"the sum of the tensor shapes in the headers of {what}{how}")
        _active(facts, total, experts, "tensors named .experts.")
    if dtypes:
        dominant = dtypes.most_common(1)[0][0]
        facts.set("dtype", dominant, "the safetensors headers (the type of most elements)")


def _parameters_of(tensor: Tensor, method: str, bits: int | None) -> int | None:
    """How many model parameters one stored tensor holds; None when packing hides it."""
    last = tensor.name.rsplit(".", 1)[-1]
    if method and last in _QUANT_AUX:
        return 0
    if method in _PACKED_INT:
        if last == "qweight":
            return tensor.elements * 32 // bits if bits in (2, 4, 8) and tensor.dtype == "I32" else None
        return tensor.elements
    if method and method not in _ONE_TO_ONE and tensor.dtype in ("U8", "I8", "I32") and len(tensor.shape) > 1:
        return None  # bitsandbytes and others pack several values per byte
    if last == "weight_packed":
        return None
    return tensor.elements


def _active(facts: _Facts, total: int, expert_part: int, where: str) -> None:
    experts, used = facts.values.get("experts"), facts.values.get("experts_used")
    if experts and used and expert_part and 0 < used.value < experts.value:
        active = total - expert_part + expert_part * used.value // experts.value
        facts.set(
            "active_parameters", active,
            f"the non-expert tensors plus {used.value} of {experts.value} experts ({where}; {used.where})",
        )  # fmt: skip


def _auxiliary(facts: _Facts, folder: Path, entries: set[str], shown: str) -> None:
    """generation_config.json, the tokenizer's chat template and stop tokens, the README's front matter."""
    tokenizer = _optional_json(facts, folder, entries, "tokenizer_config.json", shown)
    added: dict[int, str] = {}
    if isinstance(tokenizer, dict):
        template = tokenizer.get("chat_template")
        if _has_template(template):
            facts.set("chat_template", True, "tokenizer_config.json: chat_template")
        decoder = tokenizer.get("added_tokens_decoder")
        if isinstance(decoder, dict):
            for key, token in list(decoder.items())[:1_000_000]:
                if isinstance(token, dict) and isinstance(token.get("content"), str) and key.isdigit():
                    added[int(key)] = token["content"]
        eos = tokenizer.get("eos_token")
        eos = eos.get("content") if isinstance(eos, dict) else eos
        if isinstance(eos, str) and eos:
            facts.stop_tokens.append(Fact(clean(eos, MAX_NAME), "tokenizer_config.json: eos_token"))
    if "chat_template.jinja" in entries:
        facts.set("chat_template", True, "chat_template.jinja")
    template_json = _optional_json(facts, folder, entries, "chat_template.json", shown)
    if isinstance(template_json, dict) and _has_template(template_json.get("chat_template")):
        facts.set("chat_template", True, "chat_template.json")
    generation = _optional_json(facts, folder, entries, "generation_config.json", shown)
    if isinstance(generation, dict):
        eos_ids = generation.get("eos_token_id")
        for token_id in eos_ids if isinstance(eos_ids, list) else [eos_ids]:
            if _count(token_id) is not None and token_id in added:
                where = f"generation_config.json: eos_token_id {token_id} (tokenizer_config.json names it)"
                facts.stop_tokens.append(Fact(clean(added[token_id], MAX_NAME), where))
        for key in ("temperature", "top_p", "top_k", "do_sample", "max_length", "max_new_tokens", "repetition_penalty"):
            value = generation.get(key)
            if isinstance(value, (bool, int, float)) and not (isinstance(value, int) and abs(value) >= 2**63):
                facts.generation.append((key, Fact(value, f"generation_config.json: {key}")))
    for name in ("README.md", "readme.md", "README.MD"):
        if name in entries:
            _front_matter(facts, folder / name, f"{shown}/{name}")
            break


def _has_template(template: object) -> bool:
    if isinstance(template, str):
        return bool(template.strip())
    if not isinstance(template, list):
        return False
    return any(isinstance(t, dict) and _has_template(t.get("template")) for t in template)


def _optional_json(facts: _Facts, folder: Path, entries: set[str], name: str, shown: str) -> object:
    if name not in entries:
        return None
    try:
        return _json(folder / name, f"{shown}/{name}")
    except TaxoError as exc:
        facts.notes.append(f"{name} could not be read and was left out: {str(exc).split(': ', 1)[-1]}")
        return None


def _json(path: Path, shown: str) -> object:
    """A small JSON file from a model folder, bounded in size and depth."""
    raw = model_headers.read_small(str(path), MAX_JSON_BYTES, shown)
    if raw.count(b",") > MAX_JSON_VALUES:
        raise ModelFileError(f"{shown}: more than {MAX_JSON_VALUES:,} values: refused")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"{shown}: not UTF-8 text (byte {exc.start})") from None
    except RecursionError:
        raise ModelFileError(f"{shown}: malformed JSON: nested too deeply") from None
    except ValueError as exc:
        raise ModelFileError(f"{shown}: malformed JSON: {clean(str(exc), 200)}") from None


def _front_matter(facts: _Facts, path: Path, shown: str) -> None:
    """license, base_model and base_model_relation from the README's YAML front matter (the model card metadata)."""
    from taxonomy_cli import yamlfile
    from taxonomy_cli.errors import CatalogError

    try:
        handle, _ = model_headers.open_regular(str(path))
        with handle:
            head = handle.read(MAX_FRONT_MATTER + 8).decode("utf-8-sig", "replace")
    except ModelFileError as exc:
        facts.notes.append(f"README.md could not be read: {str(exc).split(': ', 1)[-1]}")
        return
    lines = head.splitlines()
    if not lines or lines[0].strip() != "---":
        return
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        facts.notes.append(f"README.md front matter has no end within the first {MAX_FRONT_MATTER // 1024} KB: ignored")
        return
    try:
        data = yamlfile.parse("\n".join(lines[1:end]), "README.md")
    except CatalogError as exc:
        facts.notes.append(f"README.md front matter is not valid YAML and was ignored ({exc.problems[0]})")
        return
    if not isinstance(data, dict):
        return
    licence = data.get("license")
    if licence == "other" and isinstance(data.get("license_name"), str):
        licence = data["license_name"]
    if isinstance(licence, str) and licence.strip():
        facts.set("license", clean(licence.strip(), MAX_NAME), "README.md front matter: license")
    base = data.get("base_model")
    base = base[0] if isinstance(base, list) and base else base
    if isinstance(base, str) and base.strip():
        facts.set("base_model", clean(base.strip(), MAX_NAME), "README.md front matter: base_model")
    relation = data.get("base_model_relation")
    if isinstance(relation, str) and relation.strip():
        where = "README.md front matter: base_model_relation"
        facts.set("base_model_relation", clean(relation.strip().lower(), 40), where)


# -- single safetensors files ----------------------------------------------------------------------------------


def _read_safetensors_file(path: Path, shown: str) -> ModelFiles:
    facts = _Facts(shown, "safetensors")
    _count_safetensors(facts, [path], {})
    facts.name(path.name.removesuffix(".safetensors"), "file name")
    folder = path.parent
    if (folder / "config.json").is_file() or (folder / "model.safetensors.index.json").is_file():
        facts.notes.append(
            f"this file is part of a model folder: taxo inspect {folder} reads the whole model and its config.json"
        )
    return facts.finish()


# -- GGUF ------------------------------------------------------------------------------------------------------


def _one_gguf(names: list[str], shown: str) -> str:
    firsts = [n for n in names if not (m := _GGUF_SPLIT.match(n)) or int(m.group("part")) == 1]
    if len(firsts) != 1:
        listed = ", ".join(firsts[:5]) + ("..." if len(firsts) > 5 else "")
        raise ModelFileError(
            f"{shown}: holds {len(firsts)} GGUF models ({listed}): name one, e.g. taxo inspect {shown}/{firsts[0]}"
        )
    return firsts[0]


def _read_gguf(path: Path, shown: str, facts: _Facts) -> ModelFiles:
    facts.kind = "gguf"
    header = model_headers.read_gguf(str(path))
    facts.version = str(header.version)
    facts.files.append((str(path), header.file_bytes))
    tensors = list(header.tensors)
    meta = header.metadata
    if header.byte_order == "big":
        facts.notes.append("a big-endian GGUF file")
    parts = _count(meta.get("split.count"))
    if parts and parts > 1:
        tensors.extend(_gguf_splits(facts, path, parts))
    _gguf_facts(facts, meta, path)
    facts.tensor_count = len(tensors)
    if tensors and not (parts and parts > 1 and len(facts.files) < parts):
        total = sum(t.elements for t in tensors)
        where = f"the sum of the tensor shapes in the GGUF tensor table ({len(tensors):,} tensors)"
        facts.set("parameters", total, where)
        experts = sum(t.elements for t in tensors if "_exps." in t.name)
        _active(facts, total, experts, "tensors named _exps")
    kinds = Counter()
    for tensor in tensors:
        if len(tensor.shape) > 1:
            kinds[tensor.dtype] += tensor.elements
    if kinds:
        dominant = kinds.most_common(1)[0][0]
        facts.set("dtype", dominant, "the GGUF tensor table (the type of most weights)")
        if dominant not in _UNQUANTISED:
            facts.set("quantisation", dominant, "the GGUF tensor table (the type of most weights)")
    return facts.finish()


def _gguf_splits(facts: _Facts, path: Path, parts: int) -> list[Tensor]:
    match = _GGUF_SPLIT.match(path.name)
    if not match or parts > 1000:
        facts.notes.append(f"a split GGUF ({parts} parts) whose other parts cannot be found by name")
        return []
    tensors: list[Tensor] = []
    for part in range(1, parts + 1):
        sibling = path.with_name(f"{match.group('stem')}-{part:05d}-of-{parts:05d}.gguf")
        if sibling.name == path.name:
            continue
        if not sibling.exists():
            facts.notes.append(f"split part {sibling.name} is missing: the parameter count needs every part")
            continue
        header = model_headers.read_gguf(str(sibling))
        facts.files.append((str(sibling), header.file_bytes))
        tensors.extend(header.tensors)
        if len(tensors) > MAX_TENSORS:
            raise ModelFileError(f"{facts.path}: more than {MAX_TENSORS:,} tensors in all: refused")
    return tensors


def _gguf_facts(facts: _Facts, meta: dict[str, object], path: Path) -> None:
    where = "GGUF metadata: "

    def text(key: str) -> str | None:
        value = meta.get(key)
        return clean(value.strip(), MAX_NAME) if isinstance(value, str) and value.strip() else None

    arch = text("general.architecture")
    facts.set("architecture", arch, where + "general.architecture")
    facts.name(text("general.name"), where + "general.name")
    parts = [text(k) for k in ("general.basename", "general.size_label", "general.finetune", "general.version")]
    if parts[0]:
        facts.name("-".join(p for p in parts if p), where + "general.basename, size_label, finetune, version")
    stem = path.name.removesuffix(".gguf")
    match = _GGUF_SPLIT.match(path.name)
    facts.name(match.group("stem") if match else stem, "file name")
    facts.set("organization", text("general.organization"), where + "general.organization")
    facts.set("license", text("general.license"), where + "general.license")
    if _count(meta.get("general.base_model.count")):
        for key in ("general.base_model.0.repo_url", "general.base_model.0.name"):
            value = text(key)
            if value and key.endswith("repo_url"):
                value = value.removeprefix("https://huggingface.co/")
            facts.set("base_model", value, where + key)
    if text("general.type") == "adapter":
        facts.notes.append("a LoRA adapter (general.type: adapter): its tensors are not a whole model")
    file_type = meta.get("general.file_type")
    if isinstance(file_type, int) and not isinstance(file_type, bool) and 0 <= file_type < 2**32:
        name = GGUF_FILE_TYPES.get(file_type, f"file type {file_type}")
        if name not in _UNQUANTISED:
            facts.set("quantisation", name, where + "general.file_type")
        else:
            facts.set("dtype", name, where + "general.file_type")
    if arch:
        for fact, key in (
            ("context_length", "context_length"),
            ("layers", "block_count"),
            ("hidden_size", "embedding_length"),
            ("vocab_size", "vocab_size"),
            ("experts", "expert_count"),
            ("experts_used", "expert_used_count"),
        ):
            value = meta.get(f"{arch}.{key}")
            facts.set(fact, value if _count(value) is not None else None, f"{where}{arch}.{key}")
    tokens = meta.get("tokenizer.ggml.tokens")
    length = len(tokens) if isinstance(tokens, tuple) else 0
    length = tokens.length if isinstance(tokens, model_headers.ArraySummary) else length
    facts.set("vocab_size", length or None, where + "tokenizer.ggml.tokens (its length)")
    if _has_template(meta.get("tokenizer.chat_template")):
        facts.set("chat_template", True, where + "tokenizer.chat_template")
    for key in ("tokenizer.ggml.eos_token", "tokenizer.ggml.eot_token"):
        if isinstance(meta.get(key), str):
            facts.stop_tokens.append(Fact(clean(meta[key], MAX_NAME), f"{where}{key}_id (its token)"))


def _count(value: object) -> int | None:
    """A positive whole number below 2**63, or None (booleans, floats, negatives and huge values are not counts)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    return None

