"""Typed, immutable records: what the catalogue knows, after validation (and, last, what is derived from it and cached).

Records are `typing.NamedTuple`s, not frozen dataclasses: every taxo run defines these classes before it can answer,
and a frozen slotted dataclass compiles six generated methods at definition (~0.6 ms a class, ~10 ms for this
module: most of `show`'s start-up budget, see issue 9), where a NamedTuple costs a fraction of that. They are just as
immutable, compare and hash by value, and are built in C when the catalogue cache (cache.py) reads them back.
Mind the tuple underneath: a record equals a plain tuple of the same values, and iterating one yields its fields.
"""

# No `from __future__ import annotations`: NamedTuple checks every field's annotation when the class is made, and a
# string annotation costs a compile each time. Only a record that names itself keeps a string (Quantity).
from enum import Enum
from typing import NamedTuple


class Status(str, Enum):
    """How trustworthy a number is."""

    OFFICIAL = "official"
    DERIVED = "derived"
    ESTIMATE = "estimate"
    UNDISCLOSED = "undisclosed"


class Weights(str, Enum):
    OPEN = "open"
    GATED = "gated"
    API = "api"
    UNRELEASED = "unreleased"
    LOCAL = "local"  # read from a user's disk by `taxo inspect`: who made them and on what terms is not known


CATALOGUE_WEIGHTS = tuple(w for w in Weights if w is not Weights.LOCAL)  # what a catalogue entry may say


class Stage(str, Enum):
    """The training-stage axis: base (pre-trained) -> instruct -> chat."""

    BASE = "base"
    INSTRUCT = "instruct"
    CHAT = "chat"


class SourceKind(str, Enum):
    PAPER = "paper"
    MODEL_CARD = "model-card"
    CONFIG = "config"
    ANNOUNCEMENT = "announcement"
    REPORT = "report"
    DOCS = "docs"
    REPOSITORY = "repository"


INPUT_MODALITIES = frozenset({"text", "code", "image", "audio", "video"})
OUTPUT_MODALITIES = INPUT_MODALITIES | {"embedding", "segmentation", "label"}


class Location(NamedTuple):
    """Where a record was defined, for error messages and `taxo sources`."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Source(NamedTuple):
    id: str
    title: str
    url: str
    kind: SourceKind
    date: str | None
    location: Location


class LicenseTerms(str, Enum):
    """What a licence lets people do with the weights (the vocabulary: catalog/licenses.yaml's header)."""

    OSI = "osi"  # an OSI-approved open-source licence
    COMMERCIAL = "commercial"  # commercial use allowed; attribution or notice at most
    CONDITIONAL = "commercial-conditions"  # commercial use allowed under conditions (use policy, user or revenue caps)
    NON_COMMERCIAL = "non-commercial"  # research or non-commercial use only


class License(NamedTuple):
    """A licence that model weights are released under."""

    id: str
    name: str
    aliases: tuple[str, ...]  # how model entries write it ('Apache-2.0', 'Llama 3.1 Community License')
    terms: LicenseTerms
    summary: str
    url: str
    sources: tuple[str, ...]
    location: Location


class Organization(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    url: str | None
    location: Location
    parent: str | None = None  # the organisation it is part of (Google DeepMind -> Google): `--org google` finds both


class Quantity(NamedTuple):
    """A sourced number: parameters, context length, training tokens."""

    value: int | None
    status: Status
    sources: tuple[str, ...]
    method: str | None = None
    estimate_by: str | None = None
    note: str | None = None
    alternatives: "tuple[Quantity, ...]" = ()


class DatedFact(NamedTuple):
    """A sourced date (ISO `YYYY-MM-DD`, or `YYYY-MM` for a knowledge cutoff)."""

    date: str
    sources: tuple[str, ...]


class Judgement(NamedTuple):
    """An explicit, sourced classification call that overrides the rules."""

    category: str
    include: bool
    judgement: str
    by: str
    sources: tuple[str, ...]


class Family(NamedTuple):
    id: str
    name: str
    organization: str
    description: str
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    location: Location


class Model(NamedTuple):
    """A model card's facts, each sourced; `product_models` makes the entry a product whose model has changed."""

    id: str
    name: str
    organization: str
    family: str | None
    aliases: tuple[str, ...]
    description: str
    released: DatedFact | None
    parameters: Quantity | None
    active_parameters: Quantity | None
    architecture: str
    architecture_notes: str | None
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    context_length: Quantity | None
    training_tokens: Quantity | None
    knowledge_cutoff: DatedFact | None
    weights: Weights
    license: str | None
    stage: Stage
    base_model: str | None
    lineage_note: str | None
    broad_pretraining: bool
    classification: tuple[Judgement, ...]
    sources: tuple[str, ...]
    location: Location
    hf_repos: tuple[str, ...] = ()  # Hugging Face repositories the makers publish it under ('Qwen/Qwen3-8B')
    api_ids: tuple[str, ...] = ()  # the makers' API model ids and snapshots ('gpt-4o-2024-08-06')
    product_models: "tuple[ProductModel, ...]" = ()  # a product (ChatGPT): the models behind it over time


class ProductModel(NamedTuple):
    """One model a product has run on, from a date, as its maker says (`note` quotes it and says what for)."""

    model: str
    since: str
    note: str
    sources: tuple[str, ...]


class ConditionWording(NamedTuple):
    """What `taxo compare MODEL CATEGORY` says when a rule's condition does not hold (a template), and, for a size
    condition, when it cannot be applied (the count is unknown)."""

    id: str  # a condition of conditions.CONDITIONS
    why_not: str
    unknown: str | None = None


class Threshold(NamedTuple):
    """A parameter line that a source draws between kinds of model."""

    id: str
    parameters: int
    label: str
    note: str
    sources: tuple[str, ...]


class Rule(NamedTuple):
    """Facts that put a model in a category in one holder's view (`by`: the source whose line or definition it
    applies); `because` is a template for the reason (fields: REASON_FIELDS)."""

    id: str
    category: str
    when: tuple[tuple[str, object], ...]
    because: str
    sources: tuple[str, ...]
    by: str = ""


class VerdictPolicy(NamedTuple):
    """How the views on a model and a category combine into a verdict (catalog/rules.yaml `verdicts`): the verdict
    word for each situation of the views (VIEW_SITUATIONS), and what it means in plain words."""

    id: str  # yes | no | contested | unknown
    when: str  # one of VIEW_SITUATIONS
    means: str


# What the views that can decide may look like: none of them, all yes, all no, or some of each.
VIEW_SITUATIONS = ("no-view", "all-yes", "all-no", "split")
VERDICT_WORDS = ("yes", "no", "contested", "unknown")


# The {placeholders} a rule's `because` may use, filled from the model's facts (queries._reason).
REASON_FIELDS = ("name", "organization", "parameters", "threshold", "stage", "inputs", "outputs", "base")


class TermKind(str, Enum):
    CATEGORY = "category"  # models are classified into these (rules.yaml)
    STAGE = "stage"
    TECHNIQUE = "technique"
    CONCEPT = "concept"


class Relation(NamedTuple):
    relation: str  # read as "<term> <relation> <other>", e.g. "llm" "is a kind of" "foundation"
    term: str


class Term(NamedTuple):
    """Something taxo explains; terms of kind `category` are also what models are classified into."""

    id: str
    kind: TermKind
    name: str
    aliases: tuple[str, ...]
    summary: str
    parent: str | None
    analogy: str
    plain: str
    technical: str
    technical_sources: tuple[str, ...]
    characteristics: tuple[tuple[str, str], ...]
    axes: tuple[tuple[str, str], ...]  # (axis id, text) for `taxo compare`
    relations: tuple[Relation, ...]
    sources: tuple[str, ...]
    location: Location


class StageLabel(NamedTuple):
    """How a card names a training stage ('base (pre-trained only)'), and the term that explains it."""

    id: str  # a Stage value: base | instruct | chat
    label: str
    term: str | None = None


class Axis(NamedTuple):
    """A row of the category comparison (scope, training data...)."""

    id: str
    label: str


class Myth(NamedTuple):
    id: str
    claim: str
    correction: str
    about: tuple[str, ...]
    sources: tuple[str, ...]
    location: Location
    patterns: tuple[str, ...] = ()  # phrases that state the myth in an article (`taxo check`; see catalog/README.md)
    verdict: str = "wrong"  # what `taxo check` calls a sentence stating it: wrong, unsupported or imprecise


class ClaimCue(NamedTuple):
    """Words that tell `taxo check` what a sentence claims (catalog/check.yaml): a field's cue words and how close
    a figure must be to count as right (`right_within`, percent) or imprecise (`imprecise_within`); or a phrase
    that names a category, an architecture or an output; or words that mark a sentence as debunking a claim; or,
    with `says` and no words, how a kind of finding is worded."""

    id: str
    words: tuple[str, ...]
    category: str | None = None
    architecture: str | None = None
    output: str | None = None
    right_within: int | None = None
    imprecise_within: int | None = None
    says: str | None = None  # how a finding is worded (a template of FINDING_FIELDS), for the `says-…` cues


# The facts a finding's wording (a `says` template in catalog/check.yaml) can name.
FINDING_FIELDS = ("model", "field", "fact", "said", "how", "maker", "weights", "licence", "summary", "inputs",
                  "outputs", "family", "family_id", "finding")

# The verdicts of `taxo check`, most serious first (--fail-on takes one of them, or 'never').
FINDING_VERDICTS = ("wrong", "unsupported", "imprecise", "contested")


class Stance(NamedTuple):
    """One holder's view on whether a model is in a category: a rule applying a source's line or definition, or a
    sourced judgement in someone's own words. `verdict` is yes or no, or unknown when the rule cannot be applied
    (the model's size is undisclosed)."""

    verdict: str
    by: str
    why: str
    sources: tuple[str, ...]
    rule: str | None  # the rule applied, or None for a judgement


class Membership(NamedTuple):
    """A model and a category: the verdict (yes, no, contested or unknown), why, and every view behind it."""

    category: str
    why: str
    rule: str | None  # the first rule that says yes, if any
    judged_by: str | None  # the holders of the judgements among the views, if any
    sources: tuple[str, ...]
    verdict: str = "yes"
    views: tuple[Stance, ...] = ()


class ArchitectureKind(NamedTuple):
    """What an architecture name found in model files (config.json, GGUF metadata) says about the model."""

    id: str
    names: tuple[str, ...]  # case-insensitive glob patterns: 'MistralForCausalLM', '*ForCausalLM', 'llama'
    architecture: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    sources: tuple[str, ...]


class StageEvidence(NamedTuple):
    """A sign in model files of the training stage; the first that applies decides (`taxo inspect`)."""

    id: str
    stage: Stage
    when: tuple[tuple[str, object], ...]
    because: str  # a template: {evidence} is what was found
    sources: tuple[str, ...]


class Catalog(NamedTuple):
    """The whole merged catalogue, indexed by id."""

    data_as_of: str
    sources: dict[str, Source]
    organizations: dict[str, Organization]
    families: dict[str, Family]
    models: dict[str, Model]
    terms: dict[str, Term]
    axes: tuple[Axis, ...]
    rules: tuple[Rule, ...]
    thresholds: dict[str, Threshold]
    myths: dict[str, Myth]
    architectures: tuple[ArchitectureKind, ...] = ()
    stage_evidence: tuple[StageEvidence, ...] = ()
    licenses: dict[str, License] = {}  # noqa: RUF012 - never mutated: NamedTuple defaults are shared
    wording: dict[str, ConditionWording] = {}  # noqa: RUF012 - the same
    stages: dict[str, StageLabel] = {}  # noqa: RUF012 - the same
    verdicts: dict[str, VerdictPolicy] = {}  # noqa: RUF012 - the same; keyed by situation (VIEW_SITUATIONS)
    store: dict = {}  # noqa: RUF012 - the same; a large catalogue's lookup indexes, read from its store (store.py)
    cues: dict[str, ClaimCue] = {}  # noqa: RUF012 - the same; what `taxo check` reads articles with (check.yaml)

    @property
    def categories(self) -> dict[str, Term]:
        """The terms models are classified into, in catalogue order."""
        return {k: t for k, t in self.terms.items() if t.kind is TermKind.CATEGORY}


# -- derived from a catalogue, and cached with it (cache.derived) ------------------------------------------------


class Listed(NamedTuple):
    """A model as `list`, `chart` and `timeline` filter and sort it: just the facts they read, categories included
    (the rules applied once), so that choosing among 10,000 models needs neither the catalogue nor the rules."""

    id: str
    name: str
    organization: str
    organization_name: str
    family: str | None
    weights: str
    stage: str
    modalities: tuple[str, ...]  # in and out
    categories: tuple[str, ...]
    parameters: int | None  # a disclosed count
    parameters_missing: str | None  # "undisclosed" | "unknown" when there is no disclosed count
    released: str | None  # ISO date
    organizations: tuple[str, ...] = ()  # its organisation and those that one is part of (`--org google`)
    license: str | None = None  # the id of its licence in the catalogue (catalog/licenses.yaml), if known
    license_terms: str | None = None  # records.LicenseTerms value: osi, commercial, commercial-conditions, ...
    active_parameters: int | None = None  # a disclosed active count (mixture of experts); None for dense models


class Listing(NamedTuple):
    """Every model as Listed, in catalogue order, and the names the filter options accept (normalised -> id)."""

    models: tuple[Listed, ...]
    category_names: dict[str, str]
    organization_names: dict[str, str]
    family_names: dict[str, str]
    license_names: dict[str, str] = {}  # noqa: RUF012 - never mutated: normalised licence name or alias -> id

