"""Questions asked about a model read from disk: which catalogue entry it is, its stage, and a Model to classify.

The inspected model becomes an ordinary `records.Model` (from the catalogue entry it matches, with the files' own
facts on top, or from the files alone), so `queries.classify` applies exactly the rules `taxo show` applies.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

from taxonomy_cli import queries
from taxonomy_cli.names import normalise
from taxonomy_cli.wording import with_article
from taxonomy_cli.inspect_records import FOLDER_NAME, CachedModel, CatalogueMatch, Fact, Inspection, ModelFiles, Origin
from taxonomy_cli.records import (
    ArchitectureKind,
    Catalog,
    Family,
    Location,
    Model,
    Organization,
    Quantity,
    Stage,
    StageEvidence,
    Status,
    Weights,
)
from taxonomy_cli.units import short_count

# How far a file's exact count may be from the catalogue's figure for a name match to stand: official figures are
# rounded ('8B' for 8,030,261,248; '2.7B' for 2,779,683,840).
NEAR = 0.05
# Same architecture and a count this close, without the name: reported as a resemblance, never as a match. A
# derived catalogue figure is exact (a fine-tune differs by a few added tokens at most); an official one is rounded.
RESEMBLES_DERIVED = 0.001
RESEMBLES_ROUNDED = 0.01
# Suffixes that name a file's format or quantisation rather than the model: '.Q4_K_M', '-GGUF', '-hf', '-AWQ'.
_FORMAT_SUFFIX = re.compile(
    r"(?i)[-_. ](?:gguf|ggml|hf|awq|gptq|exl2|mlx|bnb|safetensors|[48]bit|int[48]|fp16|bf16|f16|f32|fp32|fp8"
    r"|i?q\d(?:_[a-z0-9]+)*|tq\d_\d)$"
)
_WORD = re.compile(r"[0-9a-z]+")
_UNKNOWN_ORG = Organization("unknown", "unknown (not named in the files)", (), None, Location("taxo inspect", 0))


def identify(catalog: Catalog, files: ModelFiles) -> Inspection:
    """Match the files to the catalogue when their names (and parameter count) allow, and build a Model to classify."""
    kind = architecture_kind(catalog, files)
    evidence, why = stage_evidence(catalog, files)
    notes: list[str] = []
    model, how = _match(catalog, files, notes)
    if model is not None:
        built, facts_from = _from_catalogue(model, files, evidence, notes)
        match = CatalogueMatch(model.id, how)
        resembles: tuple[str, ...] = ()
    else:
        resembles = _resembling(catalog, files, kind)
        built, facts_from, organization = _from_files(catalog, files, kind, evidence)
        match = None
        catalog = catalog._replace(organizations={**catalog.organizations, organization.id: organization})
    augmented = catalog._replace(models={**catalog.models, built.id: built}, store={})  # its indexes: rebuilt
    return Inspection(files, built, augmented, match, resembles, evidence, why, facts_from, tuple(notes))


def identify_cached(
    catalog: Catalog, cached: Iterable[CachedModel]
) -> tuple[tuple[CachedModel, Inspection | None], ...]:
    """Each cached model with its identification (None when its files could not be read)."""
    return tuple((entry, identify(catalog, entry.files) if entry.files else None) for entry in cached)


def summary(inspection: Inspection) -> str:
    """'Mistral 7B, quantised Q4_K_M': the model's name and how its weights are stored."""
    quantisation = inspection.files.quantisation
    return inspection.model.name + (f", quantised {quantisation.value}" if quantisation else "")


def architecture_kind(catalog: Catalog, files: ModelFiles) -> ArchitectureKind | None:
    """The catalogue's reading of the files' architecture name: the config class first, then model_type."""
    for fact in (files.architecture, files.model_type):
        if fact is None or not isinstance(fact.value, str):
            continue
        name = fact.value.casefold()
        for kind in catalog.architectures:
            if any(fnmatch.fnmatchcase(name, pattern.casefold()) for pattern in kind.names):
                return kind
    return None


def stage_evidence(catalog: Catalog, files: ModelFiles) -> tuple[StageEvidence | None, str]:
    """The first sign of a training stage the files show (catalog stage_evidence, in order), and why."""
    # A name the files record counts; the folder's name is whatever the user called it, not evidence of anything.
    words = {word for fact in files.names if fact.where != FOLDER_NAME
             for word in _WORD.findall(str(fact.value).casefold())}  # fmt: skip
    for evidence in catalog.stage_evidence:
        found = _evidence_found(evidence, files, words)
        if found is not None:
            try:
                return evidence, evidence.because.format(evidence=found)
            except (KeyError, IndexError, ValueError, AttributeError):  # a template from a user's catalogue
                return evidence, evidence.because
    return None, "No sign of a training stage was found in the files."


def _evidence_found(evidence: StageEvidence, files: ModelFiles, words: set[str]) -> str | None:
    """What satisfied every condition (the last one's finding), or None when one fails."""
    found = ""
    for key, expected in evidence.when:
        if key == "name_words_any":
            hit = next((str(w) for w in expected if str(w).casefold() in words), None)
            if hit is None:
                return None
            found = hit
        elif key == "stop_tokens_any":
            hit = next((t for t in files.stop_tokens if t.value in expected), None)
            if hit is None:
                return None
            found = str(hit.value)
        elif key == "chat_template":
            if (files.chat_template is not None) != expected:
                return None
            found = files.chat_template.where if files.chat_template else "none"
    return found


# -- matching ----------------------------------------------------------------------------------------------------


def name_keys(raw: str) -> list[str]:
    """Normalised forms of a name as files give it, also without an owner ('mistralai/', or GGUF's 'mistralai_')
    and without format suffixes ('.Q4_K_M', '-GGUF', '-hf'). A match still needs the parameter count to agree."""
    forms = []
    for text in (raw, raw.rsplit("/", 1)[-1]):
        while (shorter := _FORMAT_SUFFIX.sub("", text)) != text:
            text = shorter
        forms.append(text)
        owner, separator, rest = text.partition("_")
        if separator and owner and rest:
            forms.append(rest)
    return [key for key in dict.fromkeys(normalise(f) for f in forms) if key]


def _match(catalog: Catalog, files: ModelFiles, notes: list[str]) -> tuple[Model | None, str]:
    """The catalogue model the files name, confirmed by the parameter count when both are known."""
    index = queries.name_index(catalog)
    names = list(files.names)
    if files.base_model and files.base_model_relation and files.base_model_relation.value == "quantized":
        names.append(files.base_model)  # a quantised copy: the model is the one it was made from
    count = files.parameters.value if files.parameters else None
    for fact in names:
        for key in name_keys(str(fact.value)):
            record = index.get(key)
            candidates = [record] if isinstance(record, Model) else _near_members(catalog, record, count)
            for model in candidates:
                verdict = _count_agrees(model, count)
                if verdict is None:
                    how = f"by name: {fact.value!r} ({fact.where}); the files give no parameter count to confirm it"
                    return model, how
                if verdict:
                    expected = model.parameters.value
                    exact = "the same"
                    if expected != count:
                        exact = f"{short_count(count)} vs the catalogue's {short_count(expected)}"
                    return model, f"by name: {fact.value!r} ({fact.where}), confirmed by the parameter count ({exact})"
                notes.append(
                    f"the name {fact.value!r} is the catalogue's {model.name}, but the files hold {short_count(count)} "
                    f"parameters, not {short_count(model.parameters.value)}: not matched"
                )
    return None, ""


def _near_members(catalog: Catalog, record: Family | None, count: int | None) -> list[Model]:
    """A family named by the files: its one member of the files' size, if there is exactly one."""
    if not isinstance(record, Family) or count is None:
        return []
    members = [m for m in queries.family_members(catalog, record) if _count_agrees(m, count)]
    return members if len(members) == 1 else []


def _count_agrees(model: Model, count: int | None) -> bool | None:
    known = model.parameters and model.parameters.status is not Status.UNDISCLOSED and model.parameters.value
    if count is None or not known:
        return None
    return abs(count - model.parameters.value) <= NEAR * model.parameters.value


def _resembling(catalog: Catalog, files: ModelFiles, kind: ArchitectureKind | None) -> tuple[str, ...]:
    """Catalogue models of the same architecture with (nearly) the same parameter count: maybe its base."""
    if files.parameters is None or kind is None:
        return ()
    count = files.parameters.value
    found = []
    for model in catalog.models.values():
        if model.architecture != kind.architecture or not (model.parameters and model.parameters.value):
            continue
        tolerance = RESEMBLES_DERIVED if model.parameters.status is Status.DERIVED else RESEMBLES_ROUNDED
        if abs(count - model.parameters.value) <= tolerance * model.parameters.value:
            found.append(model.id)
    return tuple(found)


# -- the Model record -----------------------------------------------------------------------------------------------


def _file_quantity(fact: Fact | None, catalogued: Quantity | None = None) -> Quantity | None:
    """A number read from the files; the catalogue's figure (with its sources) rides along as an alternative."""
    if fact is None:
        return None
    alternatives = (catalogued,) if catalogued else ()
    method = f"read by taxo inspect: {fact.where}"
    return Quantity(fact.value, Status.DERIVED, (), method=method, alternatives=alternatives)


def _from_catalogue(
    model: Model, files: ModelFiles, evidence: StageEvidence | None, notes: list[str]
) -> tuple[Model, tuple[tuple[str, Origin], ...]]:
    """The catalogue entry, with what the files measure exactly (parameters, context length, licence) on top."""
    origins = {field: Origin.CATALOGUE for field in _CARD_FIELDS if getattr(model, field, None)}
    changes: dict[str, object] = {}
    if files.parameters:
        changes["parameters"] = _file_quantity(files.parameters, model.parameters)
        origins["parameters"] = Origin.FILE
    if files.active_parameters:
        changes["active_parameters"] = _file_quantity(files.active_parameters, model.active_parameters)
        origins["active_parameters"] = Origin.FILE
    if files.context_length:
        changes["context_length"] = _file_quantity(files.context_length, model.context_length)
        origins["context_length"] = Origin.FILE
    if files.license:
        changes["license"] = str(files.license.value)
        origins["license"] = Origin.FILE
    if evidence and evidence.when and evidence.stage is not model.stage:
        notes.append(
            f"the catalogue says {model.name} is {with_article(model.stage.value)} model, and the files show a sign of "
            f"{evidence.stage.value} ({evidence.id}): the catalogue's stage is used"
        )
    return model._replace(**changes), tuple(origins.items())


# The facts of a model card, in the card's order: `facts_from` says for each where it came from.
_CARD_FIELDS = (
    "name", "organization", "family", "released", "parameters", "active_parameters", "architecture",
    "context_length", "training_tokens", "knowledge_cutoff", "weights", "license", "stage", "base_model",
    "lineage_note",
)  # fmt: skip


def _from_files(
    catalog: Catalog, files: ModelFiles, kind: ArchitectureKind | None, evidence: StageEvidence | None
) -> tuple[Model, tuple[tuple[str, Origin], ...], Organization]:
    """A Model from the files' facts alone: what the files cannot show stays empty."""
    name = str(files.names[0].value) if files.names else files.path.rstrip("/").rsplit("/", 1)[-1]
    ident = _slug(name)
    if ident in catalog.models:
        ident += "-local"
    organization = _organization(catalog, files.organization)
    base, lineage = _base_model(catalog, files)
    found = {
        "name": files.names, "organization": files.organization, "parameters": files.parameters,
        "active_parameters": files.active_parameters, "architecture": files.architecture,
        "context_length": files.context_length, "weights": files.files, "license": files.license, "stage": True,
        "base_model": files.base_model,
    }  # fmt: skip
    origins = {field: Origin.FILE for field in _CARD_FIELDS if found.get(field)}
    model = Model(
        id=ident,
        name=name,
        organization=organization.id,
        family=None,
        aliases=(),
        description="",
        released=None,
        parameters=_file_quantity(files.parameters),
        active_parameters=_file_quantity(files.active_parameters),
        architecture=kind.architecture if kind else str(files.architecture.value) if files.architecture else "unknown",
        architecture_notes=None,
        inputs=kind.inputs if kind else (),
        outputs=kind.outputs if kind else (),
        context_length=_file_quantity(files.context_length),
        training_tokens=None,
        knowledge_cutoff=None,
        weights=Weights.LOCAL,  # on the user's disk: not evidence that anyone else may download or use them
        license=str(files.license.value) if files.license else None,
        stage=evidence.stage if evidence else Stage.BASE,
        base_model=base,
        lineage_note=lineage,
        # How it was pre-trained is what makes a foundation model; files cannot show that, so taxo does not claim it.
        broad_pretraining=False,
        classification=(),
        sources=(),
        location=Location(files.path, 0),
    )
    return model, tuple(origins.items()), organization


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", name.casefold()).strip("-.") or "local-model"


def _organization(catalog: Catalog, fact: Fact | None) -> Organization:
    if fact is None:
        return _UNKNOWN_ORG
    wanted = normalise(str(fact.value))
    for org in catalog.organizations.values():
        if wanted in {normalise(n) for n in (org.id, org.name, *org.aliases)}:
            return org
    return Organization("local-" + _slug(str(fact.value)), str(fact.value), (), None, Location(fact.where, 0))


def _base_model(catalog: Catalog, files: ModelFiles) -> tuple[str | None, str | None]:
    """The catalogue id of the declared base model, or a note naming it when the catalogue does not know it."""
    if files.base_model is None:
        return None, None
    index = queries.name_index(catalog)
    for key in name_keys(str(files.base_model.value)):
        if isinstance(index.get(key), Model):
            return index[key].id, None
    return None, f"fine-tuned from {files.base_model.value} ({files.base_model.where}), which is not in the catalogue"
