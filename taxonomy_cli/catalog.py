"""Load catalogue YAML into validated, immutable records.

Every problem is collected (not just the first) and named `file:line: what: field: problem`, so
`taxo validate` can list them all and other commands can refuse bad data without a traceback.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path

from taxonomy_cli import yamlfile
from taxonomy_cli.conditions import CONDITIONS, WORDING_FIELDS
from taxonomy_cli.errors import CatalogError, UsageError
from taxonomy_cli.wording import with_article
from taxonomy_cli.phrases import phrase_problem
from taxonomy_cli.records import (
    INPUT_MODALITIES,
    OUTPUT_MODALITIES,
    ArchitectureKind,
    ClaimCue,
    FINDING_FIELDS,
    REASON_FIELDS,
    Axis,
    Catalog,
    DatedFact,
    Family,
    ConditionWording,
    Judgement,
    License,
    LicenseTerms,
    Location,
    Model,
    Myth,
    Organization,
    ProductModel,
    Quantity,
    Relation,
    Rule,
    Source,
    SourceKind,
    Stage,
    StageEvidence,
    StageLabel,
    Status,
    Term,
    TermKind,
    Threshold,
    VerdictPolicy,
    VIEW_SITUATIONS,
    VERDICT_WORDS,
    Weights,
)

ENV_VAR = "TAXO_CATALOG"
SECTIONS = (
    "catalog",
    "sources",
    "organizations",
    "families",
    "models",
    "terms",
    "axes",
    "rules",
    "thresholds",
    "myths",
    "architectures",
    "stage_evidence",
    "licenses",
    "conditions",
    "stages",
    "verdicts",
    "check",
)
FIRST_YEAR, LAST_YEAR = 1950, 2100  # dates: timelines span at most these years
MAX_LINEAGE = 100  # generations of fine-tuning from a pre-trained base: cards and trees walk them all
MAX_TOTAL_CHARACTERS = 64 * 1024 * 1024  # all catalogue files of one run (the bundled ones: ~2 MB)
MAX_NAMES = 1000  # names one model, family or term may have (id, name, aliases, repositories, API ids)
MAX_QUANTITY = 10**18  # parameters, tokens, context: a billion times today's largest; later code may rely on it
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_PATTERN = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
RULE_CONDITIONS = {name: condition.kind for name, condition in CONDITIONS.items()}  # the one table: conditions.py
STAGE_EVIDENCE_CONDITIONS = {  # signs of the training stage in model files (`taxo inspect`)
    "name_words_any": list,
    "stop_tokens_any": list,
    "chat_template": bool,
}


def bundled_dir() -> Path:
    """The catalogue shipped with taxo: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "catalog"
    return installed if installed.is_dir() else here.parent / "catalog"


def user_paths(cli_paths: Sequence[str] = (), environ: dict[str, str] | None = None) -> list[Path]:
    """Extra catalogue paths: those in TAXO_CATALOG first, then --catalog ones, in order given."""
    env = os.environ if environ is None else environ
    from_env = [p for p in env.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    if any(not p.strip() for p in cli_paths):
        raise UsageError("an empty catalogue path was given: name a YAML file or a folder of them")
    return [Path(p) for p in [*from_env, *cli_paths]]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every *.yaml / *.yml below named folders, sorted for a stable merge order."""
    files: list[Path] = []
    for path in paths:
        try:
            is_dir = path.is_dir()
        except OSError as exc:  # a name too long, a loop of links, a failing disk
            raise CatalogError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
        if is_dir:
            found = sorted(_yaml_below(path))
            if not found:  # most likely the wrong folder: say so rather than quietly add nothing
                raise CatalogError([f"{path}: a folder with no .yaml or .yml files in it (given with --catalog or {ENV_VAR})"])
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise CatalogError([f"{path}: no such file or folder (given with --catalog or {ENV_VAR})"])
    return _once(files)


def _once(files: list[Path]) -> list[Path]:
    """Each file once, however often it was named (directly, through a folder, through a link): a file given
    twice is the same catalogue, not every id defined twice."""
    seen: set = set()
    unique = []
    for path in files:
        try:
            info = os.stat(path)
            identity: object = (info.st_dev, info.st_ino)
        except OSError:  # unreadable: kept, so that reading it reports the problem
            identity = str(path)
        if identity not in seen:
            seen.add(identity)
            unique.append(path)
    return unique


def _yaml_below(folder: Path) -> list[Path]:
    """Every *.yaml / *.yml file below a folder, like `rglob` (symlinked folders not followed), at a third of
    its cost: this runs at every start-up, before the cache can answer."""
    found: list[Path] = []
    pending = [os.fspath(folder)]
    while pending:
        folder_path = pending.pop()
        try:
            entries = list(os.scandir(folder_path))
        except PermissionError:  # as rglob: an unreadable folder adds nothing
            continue
        except OSError as exc:  # a failing disk, a network mount gone: say so rather than read half a catalogue
            raise CatalogError([f"{folder_path}: cannot read: {exc.strerror or exc}"]) from None
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif os.path.splitext(entry.name)[1] in (".yaml", ".yml"):
                try:
                    regular = entry.is_file()
                except OSError:  # a loop of links named *.yaml: kept, so that reading it names the problem
                    regular = True
                if regular:
                    found.append(Path(entry.path))
    return found


def files(extra: Sequence[str] = ()) -> list[Path]:
    """The files of one invocation's catalogue: bundled, TAXO_CATALOG, then `extra` (--catalog), each file once."""
    return _once(bundled_files() + expand(user_paths(extra)))


def bundled_files() -> list[Path]:
    """The bundled catalogue's YAML files."""
    return expand([bundled_dir()])


def display_name(path: Path) -> str:
    """A short path for messages: relative to the bundled folder's parent or the working directory."""
    return display_names([path])[0]


def display_names(paths: Sequence[Path]) -> list[str]:
    """display_name of each path; the two bases are resolved once (the cache keys on these names too)."""
    bases = [os.path.realpath(bundled_dir().parent), os.path.realpath(os.getcwd())]
    real_folders: dict[str, str] = {}
    names = []
    for path in paths:
        folder, file_name = os.path.split(path)  # not abspath: '..' must be taken after symlinks, as realpath does
        if folder not in real_folders:
            real_folders[folder] = os.path.realpath(folder)
        real = os.path.join(real_folders[folder], file_name)
        if os.path.islink(real):
            real = os.path.realpath(real)
        for base in bases:
            if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
                names.append(os.path.relpath(real, base))
                break
        else:
            names.append(str(path))
    return names


def load(files: Sequence[Path], names: Sequence[str] | None = None) -> Catalog:
    """Read and validate the given files as one catalogue; raise CatalogError listing every problem."""
    builder = _Builder()
    total = 0
    for path, name in zip(files, names or display_names(files)):
        try:
            text = yamlfile.read_text(path)
            total += len(text)
            if total > MAX_TOTAL_CHARACTERS:  # each file is bounded; so is what one run may read in all
                raise CatalogError([f"{name}: the catalogue files add up to more than {MAX_TOTAL_CHARACTERS:,} "
                                    "characters: taxo reads at most that much in one run"])  # fmt: skip
            document = yamlfile.parse(text, name)
        except CatalogError as exc:
            builder.problems.extend(exc.problems)
            if total > MAX_TOTAL_CHARACTERS:
                break
            continue
        builder.add_document(document, name)
    return builder.finish()


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The most similar candidate, for 'did you mean' hints."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


class _Fields:
    """Reads one YAML mapping into typed values, collecting problems instead of raising."""

    def __init__(self, mapping: yamlfile.Mapping, file: str, what: str, problems: list[str]) -> None:
        self.mapping = mapping
        self.file = file
        self.what = what
        self.problems = problems
        self.used: set[str] = set()
        self.ok = True

    def problem(self, key: str | None, message: str) -> None:
        line = self.mapping.line_of(key) if key else self.mapping.line
        field = f"{key}: " if key else ""
        self.problems.append(f"{self.file}:{line}: {self.what}: {field}{message}")
        self.ok = False

    def location(self) -> Location:
        return Location(self.file, self.mapping.line)

    def raw(self, key: str, required: bool) -> object:
        self.used.add(key)
        if key not in self.mapping or self.mapping[key] is None:
            if required:
                self.problem(None, f"missing required field '{key}'")
            return None
        return self.mapping[key]

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(key, f"expected text, got {_kind(value)}")
            return None
        text = str(value).strip()
        if required and not text:
            self.problem(key, "must not be empty")
            return None
        return text

    def ident(self, key: str, required: bool = True) -> str | None:
        value = self.text(key, required)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(key, f"{value!r} is not a valid id (lowercase letters, digits, '.' and '-')")
            return None
        return value

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.raw(key, required)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            self.problem(key, f"expected a list of text, got {_kind(value)}")
            return ()
        return tuple(str(v).strip() for v in value)

    def choice(self, key: str, enum: type[Enum], default: Enum | None = None) -> Enum | None:
        value = self.text(key, required=default is None)
        if value is None:
            return default
        try:
            return enum(value.lower())
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self.problem(key, f"{value!r} is not one of {allowed}")
            return default

    def boolean(self, key: str, default: bool | None) -> bool | None:
        value = self.raw(key, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(key, f"expected true or false, got {value!r}")
            return default
        return value

    def date(self, key: str, pattern: re.Pattern[str] = DATE_PATTERN) -> str | None:
        value = self.text(key, required=True)
        if value is None:
            return None
        if not pattern.match(value) or not _real_date(value):
            self.problem(key, f"{value!r} is not a date (YYYY-MM-DD)")
            return None
        if not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
            self.problem(key, f"{value!r} is outside {FIRST_YEAR}..{LAST_YEAR}: not a date in the history of AI models")
            return None
        return value

    def sub(self, key: str, required: bool = False) -> _Fields | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if not isinstance(value, yamlfile.Mapping):
            self.problem(key, f"expected a mapping, got {_kind(value)}")
            return None
        return _Fields(value, self.file, f"{self.what}: {key}", self.problems)

    def items(self, key: str) -> list[_Fields]:
        value = self.raw(key, required=False)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"expected a list, got {_kind(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, yamlfile.Mapping):
                self.problem(key, f"item {index + 1}: expected a mapping, got {_kind(item)}")
                continue
            result.append(_Fields(item, self.file, f"{self.what}: {key}[{index + 1}]", self.problems))
        return result

    def finish(self, allowed: Sequence[str]) -> bool:
        """Report unknown keys (typos) with a suggestion; True when the mapping had no problems."""
        for key in self.mapping:
            if key not in allowed:
                hint = closest(key, allowed)
                suggestion = f"; did you mean '{hint}'?" if hint else f"; known fields: {', '.join(allowed)}"
                self.problem(key, f"unknown field '{key}'{suggestion}")
        return self.ok


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    return f"{type(value).__name__} {value!r}"


def _real_date(value: str) -> bool:
    import datetime as dt

    parts = [int(p) for p in value.split("-")] + [1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


_QUANTITY_FIELDS = ("value", "status", "method", "estimate_by", "note", "sources", "alternatives")
_DATED_FIELDS = ("date", "sources")


class _Builder:
    """Accumulates records from documents, then checks references across all of them."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.data_as_of = ""
        self.sources: dict[str, Source] = {}
        self.organizations: dict[str, Organization] = {}
        self.families: dict[str, Family] = {}
        self.models: dict[str, Model] = {}
        self.terms: dict[str, Term] = {}
        self.axes: dict[str, Axis] = {}
        self.rules: list[Rule] = []
        self.thresholds: dict[str, Threshold] = {}
        self.myths: dict[str, Myth] = {}
        self.licenses: dict[str, License] = {}
        self.wording: dict[str, ConditionWording] = {}
        self.stages: dict[str, StageLabel] = {}
        self.verdicts: dict[str, VerdictPolicy] = {}
        self.cues: dict[str, ClaimCue] = {}
        self.architectures: dict[str, ArchitectureKind] = {}
        self.stage_evidence: dict[str, StageEvidence] = {}
        # (what refers, file:line, kind of target, target id) checked once everything is loaded
        self.references: list[tuple[str, str, str, str]] = []
        self.names: dict[str, str] = {}  # normalised name or alias -> "model 'x'" that claims it
        self.id_lines: dict[str, str] = {}

    # -- documents -------------------------------------------------------------------------------------------

    def add_document(self, document: object, file: str) -> None:
        if document is None:
            return
        if not isinstance(document, yamlfile.Mapping):
            self.problems.append(f"{file}:1: expected a mapping of sections ({', '.join(SECTIONS)})")
            return
        top = _Fields(document, file, "file", self.problems)
        meta = top.sub("catalog")
        if meta is not None:
            self.data_as_of = meta.date("data_as_of") or self.data_as_of
            meta.text("version", required=False)
            meta.finish(("data_as_of", "version"))
        readers = {
            "sources": self.add_source,
            "organizations": self.add_organization,
            "families": self.add_family,
            "models": self.add_model,
            "terms": self.add_term,
            "axes": self.add_axis,
            "rules": self.add_rule,
            "thresholds": self.add_threshold,
            "myths": self.add_myth,
            "architectures": self.add_architecture,
            "stage_evidence": self.add_stage_evidence,
            "licenses": self.add_license,
            "conditions": self.add_condition_wording,
            "stages": self.add_stage_label,
            "verdicts": self.add_verdict,
            "check": self.add_cue,
        }
        for section, reader in readers.items():
            for fields in top.items(section):
                fields.what = {"axes": "axis", "stage_evidence": "stage evidence", "check": "cue"}.get(section, section[:-1])
                reader(fields)
        top.finish(SECTIONS)

    def claim_id(self, fields: _Fields, kind: str, table: dict) -> str | None:
        ident = fields.ident("id")
        if ident is None:
            return None
        fields.what = f"{kind} '{ident}'"
        if ident in table:
            fields.problem("id", f"duplicate {kind} id '{ident}' (first defined at {self.id_lines[kind + ident]})")
            return None
        self.id_lines[kind + ident] = f"{fields.file}:{fields.mapping.line}"
        return ident

    def refer(self, fields: _Fields, key: str, kind: str, targets: Iterable[str]) -> None:
        line = f"{fields.file}:{fields.mapping.line_of(key)}"
        for target in targets:
            self.references.append((f"{fields.what}: {key}", line, kind, target))

    def source_ids(self, fields: _Fields, key: str = "sources", required: bool = True) -> tuple[str, ...]:
        ids = fields.texts(key, required=required)
        if required and not ids and key in fields.mapping:
            fields.problem(key, "needs at least one source id")
        self.refer(fields, key, "source", ids)
        return ids

    # -- record constructors ---------------------------------------------------------------------------------

    def add_source(self, f: _Fields) -> None:
        ident = self.claim_id(f, "source", self.sources)
        title, url = f.text("title"), f.text("url")
        kind = f.choice("kind", SourceKind)
        date = f.date("date") if "date" in f.mapping else None
        if url and not re.match(r"^https?://\S+$", url):
            f.problem("url", f"{url!r} is not an http(s) URL")
        if f.finish(("id", "title", "url", "kind", "date")) and ident:
            self.sources[ident] = Source(ident, title, url, kind, date, f.location())

    def add_organization(self, f: _Fields) -> None:
        ident = self.claim_id(f, "organization", self.organizations)
        name, aliases, url = f.text("name"), f.texts("aliases"), f.text("url", required=False)
        parent = f.ident("parent", required=False)
        if parent == ident:
            f.problem("parent", "an organisation cannot be part of itself")
        self.refer(f, "parent", "organization", [parent] if parent else [])
        if f.finish(("id", "name", "aliases", "url", "parent")) and ident:
            self.organizations[ident] = Organization(ident, name, aliases, url, f.location(), parent=parent)

    def add_family(self, f: _Fields) -> None:
        ident = self.claim_id(f, "family", self.families)
        name, org = f.text("name"), f.ident("organization")
        description = f.text("description", required=False) or ""
        aliases = f.texts("aliases")
        sources = self.source_ids(f)
        self.refer(f, "organization", "organization", [org] if org else [])
        if f.finish(("id", "name", "organization", "description", "aliases", "sources")) and ident:
            self.claim_names(f, ident, "family", (ident, name, *aliases))
            self.families[ident] = Family(ident, name, org, description, aliases, sources, f.location())

    def add_model(self, f: _Fields) -> None:
        ident = self.claim_id(f, "model", self.models)
        name, org = f.text("name"), f.ident("organization")
        family = f.ident("family", required=False)
        aliases = f.texts("aliases")
        description = f.text("description", required=False) or ""
        released = self.dated(f, "released", DATE_PATTERN)
        parameters = self.quantity(f, "parameters")
        active = self.quantity(f, "active_parameters")
        architecture = f.text("architecture")
        notes = f.text("architecture_notes", required=False)
        inputs, outputs = self.modalities(f)
        context = self.quantity(f, "context_length")
        tokens = self.quantity(f, "training_tokens")
        cutoff = self.dated(f, "knowledge_cutoff", MONTH_PATTERN, required=False)
        weights = f.choice("weights", Weights)
        if weights is Weights.LOCAL:
            f.problem("weights", "'local' is what taxo inspect says of files on a disk; a catalogue entry says "
                      "open, gated, api or unreleased")
        license_ = f.text("license", required=False)
        stage = f.choice("stage", Stage)
        base = f.ident("base_model", required=False)
        lineage = f.text("lineage_note", required=False)
        broad = f.boolean("broad_pretraining", default=base is None and lineage is None)
        judgements = tuple(j for j in (self.judgement(jf) for jf in f.items("classification")) if j)
        hf_repos, api_ids = f.texts("hf_repos"), f.texts("api_ids")
        product = tuple(p for p in (self.product_model(pf) for pf in f.items("product_models")) if p)
        for repo in hf_repos:
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*", repo):
                f.problem("hf_repos", f"{repo!r} is not a Hugging Face repository id (owner/name)")
        sources = self.source_ids(f)
        self.refer(f, "organization", "organization", [org] if org else [])
        self.refer(f, "family", "family", [family] if family else [])
        self.refer(f, "base_model", "model", [base] if base else [])
        if active and parameters and active.value and parameters.value and active.value > parameters.value:
            f.problem("active_parameters", f"{active.value} active is more than the {parameters.value} total")
        if released and cutoff and cutoff.date[:7] > released.date[:7]:
            f.problem("knowledge_cutoff", f"{cutoff.date} is after the release {released.date}")
        if base and base == ident:
            f.problem("base_model", "a model cannot be its own base model")
        allowed = (
            "id", "name", "organization", "family", "aliases", "description", "released", "parameters",
            "active_parameters", "architecture", "architecture_notes", "modalities", "context_length",
            "training_tokens", "knowledge_cutoff", "weights", "license", "stage", "base_model", "lineage_note",
            "broad_pretraining", "classification", "sources", "hf_repos", "api_ids", "product_models",
        )  # fmt: skip
        if f.finish(allowed) and ident:
            self.claim_names(f, ident, "model", (ident, name, *aliases, *hf_repos, *api_ids))
            self.models[ident] = Model(
                id=ident, name=name, organization=org, family=family, aliases=aliases, description=description,
                released=released, parameters=parameters, active_parameters=active, architecture=architecture,
                architecture_notes=notes, inputs=inputs, outputs=outputs, context_length=context,
                training_tokens=tokens, knowledge_cutoff=cutoff, weights=weights, license=license_, stage=stage,
                base_model=base, lineage_note=lineage, broad_pretraining=broad, classification=judgements,
                sources=sources, location=f.location(), hf_repos=hf_repos, api_ids=api_ids, product_models=product,
            )  # fmt: skip

    def add_term(self, f: _Fields) -> None:
        ident = self.claim_id(f, "term", self.terms)
        kind = f.choice("kind", TermKind)
        name, summary = f.text("name"), f.text("summary")
        aliases = f.texts("aliases")
        parent = f.ident("parent", required=False)
        analogy, plain, technical = f.text("analogy"), f.text("plain"), f.text("technical")
        technical_sources = self.source_ids(f, "technical_sources")
        characteristics = tuple(
            (c.text("name"), c.text("text")) for c in f.items("characteristics") if c.finish(("name", "text"))
        )
        axes: list[tuple[str, str]] = []
        axes_fields = f.sub("axes")
        if axes_fields is not None:
            for axis in axes_fields.mapping:
                axes.append((axis, axes_fields.text(axis)))
                self.references.append((f"{f.what}: axes", f"{f.file}:{axes_fields.mapping.line_of(axis)}", "axis", axis))
        relations = []
        for r in f.items("relations"):
            relation, other = r.text("relation"), r.ident("term")
            self.refer(r, "term", "term", [other] if other else [])
            if r.finish(("relation", "term")):
                relations.append(Relation(relation, other))
        sources = self.source_ids(f)
        self.refer(f, "parent", "term", [parent] if parent else [])
        allowed = (
            "id", "kind", "name", "aliases", "summary", "parent", "analogy", "plain", "technical",
            "technical_sources", "characteristics", "axes", "relations", "sources",
        )  # fmt: skip
        if f.finish(allowed) and ident:
            self.claim_names(f, ident, "term", (ident, name, *aliases))
            self.terms[ident] = Term(
                id=ident, kind=kind, name=name, aliases=aliases, summary=summary, parent=parent, analogy=analogy,
                plain=plain, technical=technical, technical_sources=technical_sources,
                characteristics=characteristics, axes=tuple(axes), relations=tuple(relations), sources=sources,
                location=f.location(),
            )  # fmt: skip

    def add_stage_label(self, f: _Fields) -> None:
        stage = f.choice("id", Stage)
        label = f.text("label")
        term = f.ident("term", required=False)
        self.refer(f, "term", "term", [term] if term else [])
        if stage is not None and stage.value in self.stages:
            f.problem("id", f"the label of stage '{stage.value}' is given twice")
        elif f.finish(("id", "label", "term")) and stage is not None and label:
            self.stages[stage.value] = StageLabel(stage.value, label, term)

    def add_axis(self, f: _Fields) -> None:
        ident = self.claim_id(f, "axis", self.axes)
        label = f.text("label")
        if f.finish(("id", "label")) and ident:
            self.axes[ident] = Axis(ident, label)

    def add_rule(self, f: _Fields) -> None:
        ident = f.ident("id")
        category = f.ident("category")
        by = f.text("by")
        because = f.text("because")
        if because is not None:
            because = self.reason_template(f, because)
        sources = self.source_ids(f)
        when = self.conditions(f, RULE_CONDITIONS)
        for key, value in when:
            if key.startswith("parameters_") and isinstance(value, str):
                self.refer(f.sub("when"), key, "threshold", [value])
        self.refer(f, "category", "category", [category] if category else [])
        if any(r.id == ident for r in self.rules):
            f.problem("id", f"duplicate rule id '{ident}'")
        if f.finish(("id", "category", "by", "when", "because", "sources")) and ident:
            self.rules.append(Rule(ident, category, when, because, sources, by))

    def add_verdict(self, f: _Fields) -> None:
        ident = f.text("id")
        when, means = f.text("when"), f.text("means")
        if ident is not None and ident not in VERDICT_WORDS:
            f.problem("id", f"unknown verdict '{ident}': use one of {', '.join(VERDICT_WORDS)}")
        if when is not None and when not in VIEW_SITUATIONS:
            f.problem("when", f"unknown situation '{when}': use one of {', '.join(VIEW_SITUATIONS)}")
        elif when in self.verdicts:
            f.problem("when", f"the verdict for '{when}' is given twice")
        if f.finish(("id", "when", "means")) and ident and when and means:
            self.verdicts[when] = VerdictPolicy(ident, when, means)

    def add_condition_wording(self, f: _Fields) -> None:
        ident = f.text("id")
        if ident in self.wording:
            f.problem("id", f"the wording of condition '{ident}' is given twice")
        elif ident and ident not in CONDITIONS:
            hint = closest(ident, CONDITIONS)
            f.problem("id", f"unknown condition '{ident}'" + (f"; did you mean '{hint}'?" if hint else ""))
        why_not = f.text("why_not")
        unknown = f.text("unknown", required=False)
        why_not = self.reason_template(f, why_not, WORDING_FIELDS, "why_not") if why_not else None
        unknown = self.reason_template(f, unknown, WORDING_FIELDS, "unknown") if unknown else None
        if f.finish(("id", "why_not", "unknown")) and ident and why_not:
            self.wording[ident] = ConditionWording(ident, why_not, unknown)

    def reason_template(self, f: _Fields, template: str, allowed: Sequence[str] = REASON_FIELDS,
                        key: str = "because") -> str | None:  # fmt: skip
        """A template may name the facts `allowed` ({name}), nothing else: no attributes, indexes or format specs,
        which from a user's file could fail at display time or ask for a gigabyte of padding."""
        import string

        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)]
        except ValueError as exc:
            f.problem(key, f"not a valid template: {exc} (write {{{{ and }}}} for literal braces)")
            return None
        for name, spec, conversion in fields:
            if name is not None and (name not in allowed or spec or conversion):
                f.problem(key, f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}} "
                          f"is not a fact this text can name: use one of {', '.join('{' + n + '}' for n in allowed)}")
                return None
        return template

    def add_threshold(self, f: _Fields) -> None:
        ident = self.claim_id(f, "threshold", self.thresholds)
        parameters = f.raw("parameters", required=True)
        if parameters is not None and (isinstance(parameters, bool) or not isinstance(parameters, int) or parameters <= 0):
            f.problem("parameters", f"expected a positive whole number, got {parameters!r}")
        label, note = f.text("label"), f.text("note", required=False) or ""
        sources = self.source_ids(f)
        if f.finish(("id", "parameters", "label", "note", "sources")) and ident:
            self.thresholds[ident] = Threshold(ident, parameters, label, note, sources)

    def add_myth(self, f: _Fields) -> None:
        ident = self.claim_id(f, "myth", self.myths)
        claim, correction = f.text("claim"), f.text("correction")
        about = f.texts("about", required=True)
        sources = self.source_ids(f)
        patterns = f.texts("patterns")
        for pattern in patterns:
            problem = phrase_problem(pattern)
            if problem:
                f.problem("patterns", f"{pattern!r}: {problem}")
        verdict = f.text("verdict", required=False) or "wrong"
        if verdict not in ("wrong", "unsupported", "imprecise"):
            f.problem("verdict", f"{verdict!r}: use wrong, unsupported or imprecise")
        self.refer(f, "about", "subject", about)
        if f.finish(("id", "claim", "correction", "about", "sources", "patterns", "verdict")) and ident:
            self.myths[ident] = Myth(ident, claim, correction, about, sources, f.location(), patterns, verdict)

    def add_cue(self, f: _Fields) -> None:
        ident = self.claim_id(f, "cue", self.cues)
        template = f.text("says", required=False)
        says = self.reason_template(f, template, FINDING_FIELDS, "says") if template else None
        words = f.texts("words", required=template is None)
        category = f.ident("category", required=False)
        self.refer(f, "category", "category", [category] if category else [])
        architecture, output = f.text("architecture", required=False), f.text("output", required=False)
        if output is not None and output not in OUTPUT_MODALITIES:
            f.problem("output", f"{output!r} is not an output modality ({', '.join(sorted(OUTPUT_MODALITIES))})")
        within = {}
        for key in ("right_within", "imprecise_within"):
            value = f.raw(key, required=False)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100):
                f.problem(key, f"expected a whole percentage from 0 to 100, got {value!r}")
                value = None
            within[key] = value
        for word in words:
            if len(word) > 100:
                f.problem("words", "a cue word or phrase is at most 100 characters")
        allowed = ("id", "words", "category", "architecture", "output", "right_within", "imprecise_within", "says")
        if f.finish(allowed) and ident:
            self.cues[ident] = ClaimCue(ident, words, category, architecture, output, **within, says=says)

    def add_license(self, f: _Fields) -> None:
        ident = self.claim_id(f, "license", self.licenses)
        name, aliases = f.text("name"), f.texts("aliases")
        terms = f.choice("terms", LicenseTerms)
        summary, url = f.text("summary"), f.text("url")
        sources = self.source_ids(f)
        if url and not re.match(r"^https?://\S+$", url):
            f.problem("url", f"{url!r} is not an http(s) URL")
        if f.finish(("id", "name", "aliases", "terms", "summary", "url", "sources")) and ident:
            self.claim_names(f, ident, "license", (ident, name, *aliases))
            self.licenses[ident] = License(ident, name, aliases, terms, summary, url, sources, f.location())

    def add_architecture(self, f: _Fields) -> None:
        ident = self.claim_id(f, "architecture", self.architectures)
        names = f.texts("names", required=True)
        architecture = f.text("architecture")
        inputs, outputs = self.modalities(f)
        sources = self.source_ids(f)
        if not names and "names" in f.mapping:
            f.problem("names", "needs at least one name pattern")
        if f.finish(("id", "names", "architecture", "modalities", "sources")) and ident:
            self.architectures[ident] = ArchitectureKind(ident, names, architecture, inputs, outputs, sources)

    def add_stage_evidence(self, f: _Fields) -> None:
        ident = self.claim_id(f, "stage evidence", self.stage_evidence)
        stage = f.choice("stage", Stage)
        because = f.text("because")
        sources = self.source_ids(f, required=False)
        when = self.conditions(f, STAGE_EVIDENCE_CONDITIONS)
        if f.finish(("id", "stage", "when", "because", "sources")) and ident and stage:
            self.stage_evidence[ident] = StageEvidence(ident, stage, when, because, sources)

    def conditions(self, f: _Fields, allowed: dict[str, type | tuple[type, ...]]) -> tuple[tuple[str, object], ...]:
        """A `when` mapping of known conditions with values of the right type (lists become tuples)."""
        conditions = f.sub("when", required=True)
        when: list[tuple[str, object]] = []
        if conditions is None:
            return ()
        for key, value in conditions.mapping.items():
            expected = allowed.get(key)
            if expected is None:
                hint = closest(key, allowed)
                conditions.problem(key, f"unknown condition '{key}'" + (f"; did you mean '{hint}'?" if hint else ""))
            elif isinstance(value, bool) and expected is not bool or not isinstance(value, expected):
                conditions.problem(key, f"bad value {value!r}")
            else:
                when.append((key, tuple(value) if isinstance(value, list) else value))
        return tuple(when)

    # -- value helpers ---------------------------------------------------------------------------------------

    def quantity(self, parent: _Fields, key: str) -> Quantity | None:
        f = parent.sub(key)
        return self.read_quantity(f) if f is not None else None

    def read_quantity(self, f: _Fields) -> Quantity | None:
        value = f.raw("value", required=False)
        status = f.choice("status", Status)
        method = f.text("method", required=False)
        estimate_by = f.text("estimate_by", required=False)
        note = f.text("note", required=False)
        sources = self.source_ids(f)
        alternatives = tuple(q for q in (self.read_quantity(a) for a in f.items("alternatives")) if q)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            f.problem("value", f"expected a positive whole number, got {value!r}")
            value = None
        elif value is not None and value > MAX_QUANTITY:
            f.problem("value", f"{value:.3g} is beyond any real model (the limit is {MAX_QUANTITY:.0e})")
            value = None
        if status is Status.UNDISCLOSED and value is not None:
            f.problem("value", "an undisclosed number has no value: use status official/derived/estimate, or drop it")
        if status is not None and status is not Status.UNDISCLOSED and value is None and "value" not in f.mapping:
            f.problem("value", f"missing: {with_article(status.value)} number needs a value (or status: undisclosed)")
        if status is Status.DERIVED and not method:
            f.problem("method", "a derived number must say how it was computed ('method')")
        if status is Status.ESTIMATE and not estimate_by:
            f.problem("estimate_by", "an estimate must say whose it is ('estimate_by')")
        if f.finish(_QUANTITY_FIELDS) and status is not None:
            return Quantity(value, status, sources, method, estimate_by, note, alternatives)
        return None

    def dated(self, parent: _Fields, key: str, pattern: re.Pattern[str], required: bool = False) -> DatedFact | None:
        f = parent.sub(key, required=required)
        if f is None:
            return None
        date = f.date("date", pattern)
        sources = self.source_ids(f)
        if f.finish(_DATED_FIELDS) and date:
            return DatedFact(date, sources)
        return None

    def modalities(self, parent: _Fields) -> tuple[tuple[str, ...], tuple[str, ...]]:
        f = parent.sub("modalities", required=True)
        if f is None:
            return (), ()
        inputs, outputs = f.texts("input", required=True), f.texts("output", required=True)
        for key, values, allowed in (("input", inputs, INPUT_MODALITIES), ("output", outputs, OUTPUT_MODALITIES)):
            for value in values:
                if value not in allowed:
                    f.problem(key, f"{value!r} is not one of {', '.join(sorted(allowed))}")
        f.finish(("input", "output"))
        return inputs, outputs

    def product_model(self, f: _Fields) -> ProductModel | None:
        model, since, note = f.ident("model"), f.date("since"), f.text("note")
        sources = self.source_ids(f)
        self.refer(f, "model", "model", [model] if model else [])
        if f.finish(("model", "since", "note", "sources")) and model and since and note:
            return ProductModel(model, since, note, sources)
        return None

    def judgement(self, f: _Fields) -> Judgement | None:
        category = f.ident("category")
        include = f.boolean("include", default=True)
        text, by = f.text("judgement"), f.text("by")
        sources = self.source_ids(f)
        self.refer(f, "category", "category", [category] if category else [])
        if f.finish(("category", "include", "judgement", "by", "sources")):
            return Judgement(category, include, text, by, sources)
        return None

    def claim_names(self, f: _Fields, ident: str, kind: str, names: Iterable[str]) -> None:
        """Every normalised name or alias must lead to exactly one model or family."""
        from taxonomy_cli.names import normalise

        # A model and its family may share a name (gpt-4): lookups prefer the model, and the family is also
        # found as "<name> family". Two models, or two families, may not share one.
        owner = f"{kind} '{ident}'"
        names = tuple(names)
        if len(names) > MAX_NAMES:
            f.problem("aliases", f"{len(names):,} names is more than a model needs (the limit is {MAX_NAMES:,})")
            return
        for name in names:
            if not normalise(name):
                f.problem("aliases", f"the name {name!r} has no letter or digit: it could never be looked up")
                continue
            key = kind + ":" + normalise(name)
            other = self.names.get(key)
            if other is not None and other != owner:
                f.problem("aliases", f"the name {name!r} is already used by {other}")
            self.names[key] = owner

    # -- cross-file checks -----------------------------------------------------------------------------------

    def finish(self) -> Catalog:
        tables = {
            "source": self.sources,
            "organization": self.organizations,
            "family": self.families,
            "model": self.models,
            "category": {k: t for k, t in self.terms.items() if t.kind is TermKind.CATEGORY},
            "term": self.terms,
            "axis": self.axes,
            "threshold": self.thresholds,
        }
        subjects = {**self.models, **self.families, **self.terms}
        for what, line, kind, target in self.references:
            table = subjects if kind == "subject" else tables[kind]
            if target not in table:
                hint = closest(target, table)
                suggestion = f"; did you mean '{hint}'?" if hint else ""
                self.problems.append(f"{line}: {what}: unknown {kind} '{target}'{suggestion}")
        self.check_lineage()
        missing = [situation for situation in VIEW_SITUATIONS if situation not in self.verdicts]
        if self.rules and missing:
            self.problems.append(f"verdicts: no verdict is given for {', '.join(repr(m) for m in missing)} "
                                 "(the rules' views need one for each situation)")
        if self.problems:
            raise CatalogError(self.problems)
        return Catalog(
            self.data_as_of or "unknown",
            self.sources,
            self.organizations,
            self.families,
            self.models,
            self.terms,
            tuple(self.axes.values()),
            tuple(self.rules),
            self.thresholds,
            self.myths,
            tuple(self.architectures.values()),
            tuple(self.stage_evidence.values()),
            self.licenses,
            self.wording,
            self.stages,
            self.verdicts,
            {},
            self.cues,
        )

    def check_lineage(self) -> None:
        for org in self.organizations.values():
            seen, current = {org.id}, org.parent
            while current and current in self.organizations:
                if current in seen:
                    self.problems.append(f"{org.location}: organization '{org.id}': parent: the chain loops back")
                    break
                seen.add(current)
                current = self.organizations[current].parent
        for model in self.models.values():
            seen = {model.id}
            current = model.base_model
            while current and current in self.models:
                if current in seen:
                    self.problems.append(f"{model.location}: model '{model.id}': base_model: lineage loops back")
                    break
                if len(seen) > MAX_LINEAGE:
                    self.problems.append(f"{model.location}: model '{model.id}': base_model: lineage is more than "
                                         f"{MAX_LINEAGE} generations deep")  # fmt: skip
                    break
                seen.add(current)
                current = self.models[current].base_model
