"""What `taxo inspect` reads from model files, and what it makes of them: records, as in records.py.

Apart from records.py because only `inspect` needs them: every other command would pay for defining these classes
at start-up (about a millisecond; see records.py on why records are NamedTuples).
"""

# No `from __future__ import annotations`, as in records.py: NamedTuple reads its annotations when the class is made.
from enum import Enum
from typing import NamedTuple

from taxonomy_cli.records import Catalog, Model, StageEvidence


class Origin(str, Enum):
    """Where a fact on an inspected model's card came from."""

    FILE = "file"
    CATALOGUE = "catalogue"


FOLDER_NAME = "folder name"  # where a name came from when only the folder gave it (the user's own label)


class Fact(NamedTuple):
    """One value read from a model file, and exactly where: 'config.json: max_position_embeddings'."""

    value: str | int | float | bool
    where: str


class ModelFiles(NamedTuple):
    """Everything taxo read from a model on disk (headers and small JSON files only, never weights)."""

    path: str
    format: str  # 'hf-folder' | 'safetensors' | 'gguf'
    format_version: str | None
    files: tuple[tuple[str, int], ...]  # (path, bytes) of every weight file read
    names: tuple[Fact, ...]  # what the files call the model, most specific first
    parameters: Fact | None  # exact: the sum of the tensors' element counts
    active_parameters: Fact | None  # mixture-of-experts: per token
    tensor_count: int
    architecture: Fact | None  # 'MistralForCausalLM' (config.json) or 'llama' (GGUF)
    model_type: Fact | None  # config.json model_type
    layers: Fact | None
    hidden_size: Fact | None
    vocab_size: Fact | None
    context_length: Fact | None
    experts: Fact | None
    experts_used: Fact | None
    dtype: Fact | None  # 'bfloat16', or a GGUF file's dominant tensor type
    quantisation: Fact | None  # 'Q4_K_M', 'GPTQ 4-bit'...
    organization: Fact | None
    license: Fact | None
    base_model: Fact | None  # as the files say it: 'mistralai/Mistral-7B-v0.1'
    base_model_relation: Fact | None  # README front matter: 'quantized', 'finetune', 'adapter', 'merge'
    chat_template: Fact | None  # value True when a chat template is present; `where` says in which file
    stop_tokens: tuple[Fact, ...]
    generation: tuple[tuple[str, Fact], ...]  # generation_config.json defaults: temperature, top_p...
    revision: str | None  # Hugging Face cache snapshot
    repo: str | None  # Hugging Face repository id, when known (cache layout)
    notes: tuple[str, ...]  # what could not be read or is worth knowing


class CatalogueMatch(NamedTuple):
    """The catalogue entry an inspected model was matched to, and how."""

    model: str
    how: str


class Inspection(NamedTuple):
    """An inspected model identified: file facts, the catalogue match, and a Model record to classify."""

    files: ModelFiles
    model: Model  # synthesised from file facts (and the catalogue entry, when matched)
    catalog: Catalog  # the catalogue plus this model (and its organisation), so queries work unchanged
    match: CatalogueMatch | None
    resembles: tuple[str, ...]  # catalogue ids with the same architecture and parameter count, not matched
    stage_evidence: StageEvidence | None
    stage_why: str
    facts_from: tuple[tuple[str, Origin], ...]  # card field -> where it came from
    notes: tuple[str, ...]


class CachedModel(NamedTuple):
    """One model in the local Hugging Face cache: its files read, or the problem that stopped that."""

    repo: str
    revision: str | None
    path: str
    files: ModelFiles | None
    error: str | None
