"""Questions for browsing the catalogue: filter, sort, search, a release timeline and scale-chart data.

Pure functions over records. User words (`--org meta`, `--params 1B..10B`, `--since 2023-06`) are parsed and
resolved here, so a typo is a usage error with a hint, never an empty list that looks like an answer.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from heapq import heappush, heappushpop
from collections.abc import Iterable, Sequence
from itertools import accumulate
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from taxonomy_cli import queries
from taxonomy_cli.errors import UsageError
from taxonomy_cli.names import normalise
from taxonomy_cli.records import (
    INPUT_MODALITIES, OUTPUT_MODALITIES, Catalog, Listed, Listing, Model, Quantity, Stage, Status, CATALOGUE_WEIGHTS,
)  # fmt: skip

# -- parsing user words ----------------------------------------------------------------------------------------

_UNITS = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([kmbt]?)\s*$", re.IGNORECASE)
RANGE_HELP = "LOW..HIGH with units K, M, B or T, either end optional (1B..10B, 7B.., ..500M), or undisclosed or unknown"


@dataclass(frozen=True, slots=True)
class SizeRange:
    """Inclusive bounds on a parameter count; `None` is open. `missing` selects models without a figure."""

    low: int | None = None
    high: int | None = None
    missing: str | None = None  # "undisclosed" (the makers withhold it) or "unknown" (not in the catalogue)

    def __contains__(self, value: int) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


def parse_size(text: str) -> int:
    """'7B' -> 7_000_000_000, '1.5b' -> 1_500_000_000, '500M', '7_000', '2,048' (units K M B T)."""
    match = _SIZE.match(text.replace("_", "").replace(",", ""))
    if not match:
        raise UsageError(f"{text!r} is not a size: use a number with an optional unit K, M, B or T (e.g. 7B, 500M)")
    try:
        value = Decimal(match.group(1)) * _UNITS[match.group(2).lower()]
    except InvalidOperation:  # pragma: no cover - the pattern only lets decimals through
        raise UsageError(f"{text!r} is not a size") from None
    if value > 10**18:
        raise UsageError(f"{text!r} is too large a size")
    return int(value.to_integral_value())


def parse_size_range(text: str) -> SizeRange:
    """'1B..10B', '1B..', '..10B' (inclusive), or 'undisclosed' / 'unknown' for models without a figure."""
    word = text.strip().lower()
    if word in ("undisclosed", "unknown"):
        return SizeRange(missing=word)
    if ".." not in text:
        raise UsageError(f"--params {text!r}: expected {RANGE_HELP}")
    low_text, high_text = (part.strip() for part in text.split("..", 1))
    if not low_text and not high_text:
        raise UsageError(f"--params {text!r}: give at least one end ({RANGE_HELP})")
    low = parse_size(low_text) if low_text else None
    high = parse_size(high_text) if high_text else None
    if low is not None and high is not None and low > high:
        raise UsageError(f"--params {text!r}: the low end is above the high end")
    return SizeRange(low, high)


_PERIOD = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?|\s*-?\s*[qQ]([1-4]))?\s*$")


def parse_period(text: str, end: bool) -> str:
    """A date bound as a comparable ISO string: '2023' -> '2023-01-01' (start) or '2023-99-99' (end, inclusive).

    Accepts YYYY, YYYY-MM, YYYY-MM-DD and YYYY-Qn; an end bound covers the whole period it names.
    """
    import datetime as dt

    match = _PERIOD.match(text)
    if not match:
        raise UsageError(f"{text!r} is not a date: use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn (e.g. 2023, 2024-06)")
    year, month, day, quarter = match.groups()
    if quarter:
        first = (int(quarter) - 1) * 3 + 1
        return f"{year}-{first + 2:02d}-99" if end else f"{year}-{first:02d}-01"
    if month is None:
        return f"{year}-99-99" if end else f"{year}-01-01"
    try:
        dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        raise UsageError(f"{text!r} is not a real date") from None
    if day is None:
        return f"{year}-{int(month):02d}-99" if end else f"{year}-{int(month):02d}-01"
    return f"{year}-{int(month):02d}-{int(day):02d}"


_MODALITIES = {m: m for m in INPUT_MODALITIES | OUTPUT_MODALITIES}


def split_words(values: Iterable[str] | None) -> tuple[str, ...]:
    """Repeated options and comma lists alike: ('meta,google', 'openai') -> ('meta', 'google', 'openai')."""
    return tuple(part.strip() for value in values or () for part in value.split(",") if part.strip())


# -- filters ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """What `list`, `chart` and `timeline` keep: ids resolved, ranges parsed. Empty means any."""

    categories: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    weights: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    parameters: SizeRange | None = None
    since: str | None = None  # inclusive ISO bound, see parse_period
    until: str | None = None
    licenses: tuple[str, ...] = ()  # licence ids
    commercial: bool = False  # the licence allows commercial use, with or without conditions
    moe: bool = False  # mixture-of-experts models only (those with an active-parameter count)
    active: SizeRange | None = None  # parameters active per token (a dense model's are all of them)


def listing(catalog: Catalog) -> Listing:
    """What filters and sorts read, for every model (see records.Listed): made once, cached (cache.derived)."""
    models = []
    for m in catalog.models.values():
        size = size_of(m.parameters)
        models.append(Listed(
            m.id, m.name, m.organization, catalog.organizations[m.organization].name, m.family, m.weights.value,
            m.stage.value, (*m.inputs, *m.outputs), tuple(c for c, _ in queries.categories_of(catalog, m)), size,
            None if size is not None else "unknown" if m.parameters is None else "undisclosed",
            m.released.date if m.released else None, _organization_line(catalog, m.organization),
            license_.id if (license_ := queries.license_of(catalog, m)) else None,
            license_.terms.value if license_ else None, size_of(m.active_parameters),
        ))  # fmt: skip
    return Listing(
        tuple(models),
        _names(((t.id, t.name, *t.aliases), t.id) for t in catalog.categories.values()),
        _names(((o.id, o.name, *o.aliases), o.id) for o in catalog.organizations.values()),
        _names(((f.id, f.name, *f.aliases), f.id) for f in catalog.families.values()),
        _names(((lic.id, lic.name, *lic.aliases), lic.id) for lic in catalog.licenses.values()),
    )


def _organization_line(catalog: Catalog, organization: str) -> tuple[str, ...]:
    """An organisation and every one it is part of: google-deepmind -> (google-deepmind, google)."""
    line = [organization]
    while (parent := catalog.organizations[line[-1]].parent) and parent not in line:
        line.append(parent)
    return tuple(line)


def make_filters(
    listed: Listing,
    *,
    categories: Iterable[str] | None = None,
    organizations: Iterable[str] | None = None,
    families: Iterable[str] | None = None,
    weights: Iterable[str] | None = None,
    stages: Iterable[str] | None = None,
    modalities: Iterable[str] | None = None,
    parameters: str | None = None,
    since: str | None = None,
    until: str | None = None,
    licenses: Iterable[str] | None = None,
    commercial: bool = False,
    moe: bool = False,
    active: str | None = None,
) -> Filters:
    """Resolve what a user typed (names, aliases, comma lists) to ids; a typo is a UsageError with a hint."""
    low = parse_period(since, end=False) if since else None
    high = parse_period(until, end=True) if until else None
    if low and high and low > high:
        raise UsageError(f"--since {since} is after --until {until}")
    return Filters(
        categories=_resolve("--category", split_words(categories), listed.category_names),
        organizations=_resolve("--org", split_words(organizations), listed.organization_names),
        families=_resolve("--family", split_words(families), listed.family_names),
        weights=_resolve("--weights", split_words(weights), {w.value: w.value for w in CATALOGUE_WEIGHTS}),
        stages=_resolve("--stage", split_words(stages), {s.value: s.value for s in Stage}),
        modalities=_resolve("--modality", split_words(modalities), _MODALITIES),
        parameters=parse_size_range(parameters) if parameters else None,
        since=low,
        until=high,
        licenses=_resolve("--license", split_words(licenses), listed.license_names),
        commercial=commercial,
        moe=moe,
        active=_active_range(active) if active else None,
    )


def _active_range(text: str) -> SizeRange:
    """--active-params: a range only (a dense model's active parameters are all its parameters)."""
    found = parse_size_range(text)
    if found.missing:
        raise UsageError(f"--active-params takes a range such as 1B..20B, not {text!r}")
    return found


def _names(entries: Iterable[tuple[tuple[str, ...], str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for names, ident in entries:
        for name in names:
            if key := normalise(name):
                index.setdefault(key, ident)
    return index


def _resolve(option: str, words: Sequence[str], index: dict[str, str]) -> tuple[str, ...]:
    resolved: list[str] = []
    for word in words:
        ident = index.get(normalise(word)) or _unique_prefix(normalise(word), index)
        if ident is None:
            hints = queries.suggest(word, index, index)
            if hints:
                raise UsageError(f"{option}: unknown value {word!r}; did you mean {' or '.join(map(repr, hints))}?")
            raise UsageError(f"{option}: unknown value {word!r}; known: {', '.join(sorted(set(index.values())))}")
        if ident not in resolved:
            resolved.append(ident)
    return tuple(resolved)


def _unique_prefix(word: str, index: dict[str, str]) -> str | None:
    """'mistral' -> 'mistral-ai' when only one name starts with it (three letters at least)."""
    found = {ident for name, ident in index.items() if name.startswith(word)} if len(word) >= 3 else set()
    return found.pop() if len(found) == 1 else None


# Why a model that passes every other filter was left out: machine key -> what a person reads.
EXCLUSION_REASONS = {
    "undisclosed_parameters": "their makers have not disclosed the parameter count",
    "unknown_parameters": "the catalogue has no parameter count for them",
    "unknown_release": "the catalogue has no release date for them",
}


@dataclass(frozen=True, slots=True)
class Selection:
    """The models a filter kept, and those it left out only for lack of a number (never silently)."""

    models: tuple[Listed, ...]
    excluded: dict[str, tuple[Listed, ...]]  # reason (EXCLUSION_REASONS key) -> models, only non-empty reasons


def select(listed: Listing, filters: Filters) -> Selection:
    """The models that pass every filter, in catalogue order."""
    if filters == Filters():
        return Selection(listed.models, {})
    kept: list[Listed] = []
    excluded: dict[str, list[Listed]] = {}
    for model in listed.models:
        if not _passes(filters, model):
            continue
        reason = _missing(filters, model)
        if reason is None:
            kept.append(model)
        elif reason != "drop":
            excluded.setdefault(reason, []).append(model)
    return Selection(tuple(kept), {reason: tuple(models) for reason, models in excluded.items()})


def _passes(f: Filters, model: Listed) -> bool:
    """Every filter that a model's known facts can answer."""
    if f.organizations and not any(org in f.organizations for org in model.organizations or (model.organization,)):
        return False
    if f.families and model.family not in f.families:
        return False
    if f.weights and model.weights not in f.weights:
        return False
    if f.stages and model.stage not in f.stages:
        return False
    if f.modalities and not set(f.modalities) & set(model.modalities):
        return False
    if f.categories and not set(f.categories) & set(model.categories):
        return False
    if f.licenses and model.license not in f.licenses:
        return False
    if f.commercial and model.license_terms not in COMMERCIAL_TERMS:
        return False
    if f.moe and model.active_parameters is None:
        return False
    if f.active:
        active = model.active_parameters if model.active_parameters is not None else model.parameters
        if active is None or active not in f.active:
            return False
    return True


COMMERCIAL_TERMS = ("osi", "commercial", "commercial-conditions")  # licence terms that allow commercial use


def _missing(f: Filters, model: Listed) -> str | None:
    """None when the size and date filters pass; a reason key when the number they need is missing; 'drop'."""
    if f.parameters is not None:
        if f.parameters.missing:
            if model.parameters_missing != f.parameters.missing:
                return "drop"
        elif model.parameters_missing is not None:
            return f"{model.parameters_missing}_parameters"
        elif model.parameters not in f.parameters:
            return "drop"
    if f.since or f.until:
        if model.released is None:
            return "unknown_release"
        if (f.since and model.released < f.since) or (f.until and model.released > f.until):
            return "drop"
    return None


def size_of(quantity: Quantity | None) -> int | None:
    """A disclosed number, or None (undisclosed, or not in the catalogue)."""
    if quantity is None or quantity.status is Status.UNDISCLOSED:
        return None
    return quantity.value


# -- sorting ---------------------------------------------------------------------------------------------------

SORT_KEYS = ("name", "released", "params", "org")


def sort_models(models: Iterable[Listed], key: str = "name", reverse: bool = False) -> tuple[Listed, ...]:
    """Models ordered by name, release, size or organisation; those missing the sort key always come last."""
    if key not in SORT_KEYS:
        raise UsageError(f"--sort {key!r}: use one of {', '.join(SORT_KEYS)}")
    models = tuple(models)

    def name(m: Listed) -> tuple[str, str]:
        return (m.name.casefold(), m.id)

    if key == "name":
        return tuple(sorted(models, key=name, reverse=reverse))
    if key == "org":
        return tuple(sorted(models, key=lambda m: (m.organization_name.casefold(), name(m)), reverse=reverse))
    value = (lambda m: m.released) if key == "released" else (lambda m: m.parameters)
    known = sorted((m for m in models if value(m) is not None), key=lambda m: (value(m), name(m)), reverse=reverse)
    rest = sorted((m for m in models if value(m) is None), key=name)
    return tuple(known + rest)


# -- search ----------------------------------------------------------------------------------------------------

# How much a match in each field counts: a name outranks the same word in a description.
_WEIGHTS = {
    "id": 1.0, "name": 1.0, "alias": 0.95, "organization": 0.7, "family": 0.75, "architecture": 0.6,
    "summary": 0.55, "description": 0.5, "explanation": 0.4, "myth": 0.5, "correction": 0.4, "analogy": 0.45,
    "technical": 0.35, "title": 0.6, "url": 0.5,
}  # fmt: skip
_NAME_FIELDS = frozenset({"id", "name", "alias", "organization", "family"})
_STRONG = frozenset({"id", "name"})  # the fields that weigh most
_FIELD_GROUPS = (_STRONG, _NAME_FIELDS - _STRONG, frozenset(_WEIGHTS) - _NAME_FIELDS)  # see _bound
_KIND_ORDER = {"model": 0, "family": 1, "term": 2, "myth": 3, "organization": 4, "source": 5}
_STOP_WORDS = frozenset({"a", "an", "and", "for", "in", "is", "of", "on", "the", "to", "what"})
_WORD = re.compile(r"[0-9a-z]+")
TYPO = 0.8  # the most a typo scores (times difflib's ratio, itself at most 1)
NAME_PART = 0.92  # the score of a whole name that begins with the query (below 1: the name itself)
FUZZY = 0.75  # difflib ratio at or above which two words count as a typo of each other


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: what was found, where it matched, and the command that shows it."""

    kind: str  # model | family | term | myth | organization | source
    id: str
    name: str
    field: str  # where it matched: name, alias, organization, architecture, summary, myth...
    matched: str  # the text that matched (a snippet for long text)
    score: float
    command: str


@dataclass(frozen=True, slots=True)
class Found:
    """What a search found: its best hits (all, or the first `limit`) and how many records match in all."""

    hits: tuple[Hit, ...]
    matched: int


def search(index: dict, query: str, limit: int | None = None) -> Found:
    """Ranked, typo-tolerant matches over models, families, terms, myths, organisations and sources.

    `index` is `search_index(catalog)`. Only the documents it says can match are looked at; of those, only the ones
    whose best possible score could still place them among the first `limit` are scored in full (the rest are only
    counted), so the hits are exactly the first `limit` of scoring every document."""
    words = [w for w in _WORD.findall(query.casefold()) if w not in _STOP_WORDS] or _WORD.findall(query.casefold())
    target = normalise(query)
    if not target:
        raise UsageError("search for a word, e.g. taxo search mistral")
    scorer = _Scorer(target, words)
    found, sure, strong, close = candidates(index, scorer)
    one_word = len(words) == 1 and words[0] == target
    named = {*_postings(index["names"], target), *_postings(index["other_names"], target)}  # a name is the query
    ranks, weights = _unpacked("I", index["ranks"]), _unpacked("H", index["weights"])
    queue = []  # (the best sort key a document could reach, its number), best first
    for number in found:
        typed = one_word and number not in named
        bound = _bound(weights[3 * number : 3 * number + 3], typed, number in strong, number in close)
        queue.append((-round(bound, 3), ranks[number], number))
    queue.sort()
    matched = 0
    kept: list[tuple] = []  # the best so far as ((score, -rank), number, field, text): a heap, the worst on top
    for best, rank, number in queue:
        if limit is not None and len(kept) == limit and (best, rank) > (-kept[0][0][0], -kept[0][0][1]):
            # it cannot be shown (nor can any after it): only whether it matches at all counts
            matched += number in sure or any(scorer.score(f, t) > 0 for f, t in document(index, number)[4])
            continue
        score, field, text = max(((scorer.score(f, t), f, t) for f, t in document(index, number)[4]),
                                 key=lambda scored: scored[0])  # fmt: skip
        if score <= 0:
            continue
        matched += 1
        hit = ((round(score, 3), -rank), number, field, text)
        if limit is None or len(kept) < limit:
            heappush(kept, hit)
        else:
            heappushpop(kept, hit)
    hits = []
    for (score, _), number, field, text in sorted(kept, reverse=True):
        kind, ident, name, command, _ = document(index, number)
        hits.append(Hit(kind, ident, name, field, _snippet(text, scorer, field), score, command))
    return Found(tuple(hits), matched)


def _bound(weights: Sequence[int], one_word: bool, strong: bool, close: bool) -> float:
    """The most a document can score (see _Scorer._score), from the weights (x 1000) of its best id or name, other
    name field (alias, organisation, family) and other field: an id or name counts only if `strong` (the index
    says it can match). For one word that no name of the document is, a name field scores at most NAME_PART of its
    weight, and an id or name that is not `close` (holds neither the word nor a word it begins) a typo's TYPO."""
    best_name, other_name, other = (weight / 1000 for weight in weights)
    part = NAME_PART if one_word else 1.0
    return max(best_name * (TYPO if one_word and not close else part) if strong else 0.0, other_name * part, other)


def _unpacked(code: str, data: bytes) -> array:
    numbers = array(code)
    numbers.frombytes(data)
    return numbers


_SEPARATOR = "\x00"  # between the parts of an indexed document (a NUL in a catalogue text is indexed as U+FFFD)


def document(index: dict, number: int) -> tuple[str, str, str, str, tuple[tuple[str, str], ...]]:
    """An indexed document's parts: (kind, id, name, command, ((field, text), ...))."""
    offsets = memoryview(index["offsets"]).cast("I")
    text = str(index["documents"][offsets[number] : offsets[number + 1]], "utf-8")  # bytes, or a view of the cache
    kind, ident, name, command, *fields = text.split(_SEPARATOR)
    return kind, ident, name, command, tuple(zip(fields[::2], fields[1::2]))


def document_count(index: dict) -> int:
    return len(index["offsets"]) // array("I").itemsize - 1


def search_index(catalog: Catalog) -> dict:
    """Everything search reads, so that a query needs neither the catalogue nor a pass over all of it:

    - documents: every model, family, term, myth, organisation and source, encoded one after the other, and
      offsets, where each begins (see `document`): reading the index makes two objects, not one per field;
    - words: each word of any field -> the numbers of the documents holding it, packed (see `_postings`), and
      strong_words: the same for the fields that weigh most (id and name), so that a query scores in full only
      the documents that can be among the first hits;
    - names: each whole id or name (its words run together: 'gpt4turbo') -> the documents
      holding it, and name_lines, all of them one per line, so that the query is found inside names at C speed;
      other_names and other_name_lines: the same for aliases, organisation and family names;
    - ranks: each document's place in the order of hits of the same score (kind, name, id), and weights: the
      weight of its best id or name, other name field and other field, so that a query needs to read only the
      documents it scores;
    - by_length: the words and names by length, each with the set of its letters as bits, for the typo check,
      which needs a similar length and most of the same letters.

    Plain tuples, dicts, strings and bytes: it is cached beside the catalogue (see cache.derived)."""
    documents, keys, weights = [], [], []
    words: dict[str, set[int]] = {}
    strong: dict[str, set[int]] = {}
    names: dict[str, set[int]] = {}
    other_names: dict[str, set[int]] = {}
    for number, (kind, ident, name, command, fields) in enumerate(_documents(catalog)):
        parts = [kind, ident, name, command]
        keys.append((_KIND_ORDER[kind], name.casefold(), ident))
        weights += (max((_WEIGHTS[f] for f, _ in fields if f in group), default=0.0) for group in _FIELD_GROUPS)
        for field, text in fields:
            parts += [field, text]
            found = _WORD.findall(text.casefold())
            for word in found:
                words.setdefault(word, set()).add(number)
                if field in _STRONG:
                    strong.setdefault(word, set()).add(number)
            if field in _NAME_FIELDS:
                (names if field in _STRONG else other_names).setdefault("".join(found), set()).add(number)
        documents.append(_SEPARATOR.join(p.replace(_SEPARATOR, "\ufffd") for p in parts).encode("utf-8"))
    by_length: dict[int, set[str]] = {}
    for word in [*words, *names, *other_names]:
        by_length.setdefault(len(word), set()).add(word)
    grouped = {length: tuple(sorted(group)) for length, group in sorted(by_length.items())}
    return {
        "documents": b"".join(documents),
        "offsets": array("I", accumulate(map(len, documents), initial=0)).tobytes(),
        "ranks": array("I", _ranks(keys)).tobytes(),
        "weights": array("H", (round(weight * 1000) for weight in weights)).tobytes(),
        "words": _packed(words),
        "strong_words": _packed(strong),
        "names": _packed(names),
        "name_lines": "\n" + "\n".join(names) + "\n",
        "other_names": _packed(other_names),
        "other_name_lines": "\n" + "\n".join(other_names) + "\n",
        "by_length": {length: (group, array("Q", map(_letters, group)).tobytes()) for length, group in grouped.items()},
    }


def _ranks(keys: Sequence[tuple]) -> list[int]:
    ranks = [0] * len(keys)
    for rank, number in enumerate(sorted(range(len(keys)), key=keys.__getitem__)):
        ranks[number] = rank
    return ranks


def _packed(table: dict[str, set[int]]) -> dict[str, bytes]:
    return {key: array("I", sorted(numbers)).tobytes() for key, numbers in table.items()}


def _postings(table: dict, key: str) -> Sequence[int]:
    """The document numbers of a word or name (packed as unsigned ints: one object, not one per number)."""
    return _unpacked("I", table.get(key, b""))


_LETTER_BITS = {c: 1 << bit for bit, c in enumerate("0123456789abcdefghijklmnopqrstuvwxyz")}


def _letters(word: str) -> int:
    """The set of a word's letters and digits as bits (the only characters indexed words have)."""
    bits = 0
    for c in set(word):
        bits |= _LETTER_BITS.get(c, 0)
    return bits


def candidates(index: dict, scorer: _Scorer) -> tuple[set[int], set[int], set[int], set[int]]:
    """The documents that can score above zero: those with, for every query word, a word similar to it (the same,
    one it begins, or a typo of it); and those with a whole name that holds the query or is a typo of it. Then the
    ones of them sure to: for a one-word query, a document holding a word similar to it; a name that is a typo.
    And the ones whose id or name can: the same, in those fields; and of those, the `close` ones: for a one-word
    query, an id or name holding the word or a word it begins, or a name holding the query."""
    found: set[int] | None = None
    strong: set[int] | None = None
    close: set[int] = set()
    for query_word in scorer.words:
        holding: set[int] = set()
        holding_strong: set[int] = set()
        for word in _similar_words(index, scorer, query_word):
            holding.update(_postings(index["words"], word))
            holding_strong.update(_postings(index["strong_words"], word))
            if len(scorer.words) == 1 and word.startswith(query_word):
                close.update(_postings(index["strong_words"], word))
        found = holding if found is None else found & holding
        strong = holding_strong if strong is None else strong & holding_strong
    found, strong = found or set(), strong or set()
    sure = set(found) if len(scorer.words) == 1 else set()
    target = scorer.target
    for table, lines in (("names", "name_lines"), ("other_names", "other_name_lines")):
        names, lines = index[table], index[lines]
        at = lines.find(target)
        while at >= 0:  # every whole name the query is part of
            start, end = lines.rfind("\n", 0, at) + 1, lines.find("\n", at)
            holding = _postings(names, lines[start:end])
            found.update(holding)
            if table == "names":
                strong.update(holding)
                close.update(holding)
            at = lines.find(target, end)
    for name in _near_in_length(index, target):
        for table in ("names", "other_names"):
            if name in index[table] and scorer.similar(target, name):
                holding = _postings(index[table], name)
                found.update(holding)
                sure.update(holding)
                if table == "names":
                    strong.update(holding)
    return found, sure, strong, close


def _similar_words(index: dict, scorer: _Scorer, query_word: str) -> set[str]:
    """The indexed words that `scorer.similar` rates above zero against `query_word`, without rating them all."""
    words = index["words"]
    similar = {query_word} if query_word in words else set()
    if len(query_word) >= 3:  # the longer words it begins: in each (sorted) group, a run from where it would sort
        for length, (group, _) in index["by_length"].items():
            if length > len(query_word):
                at = bisect_left(group, query_word)
                while at < len(group) and group[at].startswith(query_word):
                    if group[at] in words:
                        similar.add(group[at])
                    at += 1
    similar.update(w for w in _near_in_length(index, query_word) if w in words and scorer.similar(query_word, w))
    return similar


def _near_in_length(index: dict, word: str) -> Iterable[str]:
    """The indexed words and names that can be a typo of `word` (see _Scorer._similar): of a similar length, and
    with enough of its letters. difflib's ratio is at most 2 x the letters two words share / their lengths, and a
    word shares at most its letters in common with `word` plus however many of `word`'s letters repeat."""
    if len(word) < 4:
        return
    shortest, longest = int(len(word) * (FUZZY - 0.1)) - 1, int(len(word) / (FUZZY - 0.1)) + 1
    letters = _letters(word)
    repeats = len(word) - letters.bit_count()
    bits = array("Q")
    for length in range(max(shortest, 1), longest + 1):
        group, packed = index["by_length"].get(length, ((), b""))
        need = FUZZY * (len(word) + length) / 2 - repeats
        del bits[:]
        bits.frombytes(packed)
        yield from (w for w, b in zip(group, bits) if (b & letters).bit_count() >= need)


def _documents(catalog: Catalog):
    """(kind, id, name, command, ((field, text), ...)) for everything search looks at."""
    orgs = catalog.organizations
    for m in catalog.models.values():
        org = orgs[m.organization]
        family = catalog.families.get(m.family) if m.family else None
        fields = [("name", m.name), ("id", m.id), *(("alias", a) for a in (*m.aliases, *m.hf_repos, *m.api_ids))]
        fields += [("organization", org.name), *(("organization", a) for a in org.aliases)]
        if family:
            fields.append(("family", family.name))
        fields += [("architecture", m.architecture), ("description", m.description)]
        yield "model", m.id, m.name, f"taxo show {m.id}", tuple(fields)
    for f in catalog.families.values():
        fields = [("name", f.name), ("id", f.id), *(("alias", a) for a in f.aliases), ("description", f.description)]
        yield "family", f.id, f.name, f"taxo show {f.id}", tuple(fields)
    for t in catalog.terms.values():
        fields = [("name", t.name), ("id", t.id), *(("alias", a) for a in t.aliases), ("summary", t.summary)]
        fields += [("analogy", t.analogy), ("explanation", t.plain), ("technical", t.technical)]
        yield "term", t.id, t.name, f"taxo explain {t.id}", tuple(fields)
    for myth in catalog.myths.values():
        subject = next(iter(myth.about), "")
        verb = "explain" if subject in catalog.terms else "show"
        fields = (("myth", myth.claim), ("correction", myth.correction))
        yield "myth", myth.id, myth.claim, f"taxo {verb} {subject}", fields
    for org in orgs.values():
        fields = (("name", org.name), ("id", org.id), *(("alias", a) for a in org.aliases))
        yield "organization", org.id, org.name, f"taxo list --org {org.id}", fields
    citing: dict[str, str] = {}  # a source -> the first card that cites it, for 'what to run next'
    for m in catalog.models.values():
        for ident in queries.model_source_ids(m):
            citing.setdefault(ident, m.id)
    for f in catalog.families.values():
        for ident in f.sources:
            citing.setdefault(ident, f.id)
    for source in catalog.sources.values():
        command = f"taxo sources {citing[source.id]}" if source.id in citing else source.url
        yield "source", source.id, source.title, command, (("title", source.title), ("url", source.url))


class _Scorer:
    """Scores one field's text against the query; word similarities are memoised across the whole catalogue."""

    def __init__(self, target: str, words: list[str]) -> None:
        import difflib  # lazy: only search needs it

        self.target = target
        self.words = words
        self.memo: dict[tuple[str, str], float] = {}
        self.scores: dict[tuple[str, str], float] = {}
        self.matchers = {w: difflib.SequenceMatcher(None, "", w, autojunk=False) for w in {target, *words}}

    def similar(self, word: str, other: str) -> float:
        """1 for the same word, 0.9 for a prefix (3+ letters), the difflib ratio for a typo, else 0."""
        if word == other:
            return 1.0
        key = (word, other)
        if key not in self.memo:
            self.memo[key] = self._similar(word, other)
        return self.memo[key]

    def _similar(self, word: str, other: str) -> float:
        if len(word) >= 3 and other.startswith(word):
            return 0.9
        if len(word) < 4 or min(len(word), len(other)) / max(len(word), len(other)) < FUZZY - 0.1:
            return 0.0
        matcher = self.matchers[word]
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() < FUZZY or matcher.quick_ratio() < FUZZY:
            return 0.0
        ratio = matcher.ratio()
        return TYPO * ratio if ratio >= FUZZY else 0.0

    def score(self, field: str, text: str) -> float:
        """Memoised by (field, text): organisation names and architectures repeat across thousands of models."""
        key = (field, text)
        if key not in self.scores:
            self.scores[key] = self._score(field, text)
        return self.scores[key]

    def _score(self, field: str, text: str) -> float:
        weight = _WEIGHTS[field]
        words = _WORD.findall(text.casefold())
        best = self._words_score(words)
        if field in _NAME_FIELDS and len(words) > len(self.words):
            best *= 0.9  # a whole name beats one word of a longer name
        if field in _NAME_FIELDS:
            best = max(best, self._name_score("".join(words), words))
        return weight * best

    def _name_score(self, whole: str, words: list[str]) -> float:
        """The query against a whole name, spaces and punctuation ignored: the same, a prefix or a part of it
        that starts and ends where its words do ('gpt4' in 'GPT-4 Turbo'), or a typo of it. A part that ends
        inside a word ('mistrall' in 'Mistral Large') is only a weak match."""
        target = self.target
        if whole == target:
            return 1.0
        edges = {0}
        for word in words:
            edges.add(max(edges) + len(word))
        at = whole.find(target) if len(target) >= 2 else -1
        if at < 0 or (at > 0 and len(target) < 3):
            return self.similar(target, whole)
        if at in edges and at + len(target) in edges:
            return NAME_PART if at == 0 else 0.85
        return 0.6

    def _words_score(self, words: list[str]) -> float:
        """Every query word must match some word of the text; the score is their mean similarity."""
        if not words or not self.words:
            return 0.0
        total = 0.0
        for query_word in self.words:
            found = max((self.similar(query_word, w) for w in words), default=0.0)
            if found == 0.0:
                return 0.0
            total += found
        return total / len(self.words)


def _snippet(text: str, scorer: _Scorer, field: str, width: int = 60) -> str:
    """The text itself for short fields; for long ones, a window around the first word that matched."""
    if len(text) <= width or field in _NAME_FIELDS:
        return text
    for match in _WORD.finditer(text.casefold()):
        if any(scorer.similar(q, match.group()) for q in scorer.words):
            start = max(0, match.start() - width // 3)
            end = min(len(text), start + width)
            start = max(0, end - width)
            if start and not text[start - 1].isspace():  # begin at a word, not inside one
                space = text.find(" ", start, match.start())
                start = space + 1 if space >= 0 else start
            return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
    return text[:width].rstrip() + "…"


# -- timeline --------------------------------------------------------------------------------------------------

PERIODS = ("year", "quarter")
GROUPINGS = ("category", "org")
NO_CATEGORY = "(none)"


@dataclass(frozen=True, slots=True)
class Timeline:
    """Releases counted per period and group. Periods run without gaps from the first release to the last."""

    by: str
    group: str
    periods: tuple[str, ...]
    groups: tuple[tuple[str, str], ...]  # (id, label) in display order
    cells: dict[tuple[str, str], tuple[Model, ...]]  # (period, group id) -> models released then
    period_models: dict[str, tuple[Model, ...]]  # period -> distinct models (a model is in one period only)
    undated: tuple[Model, ...]


def period_of(date: str, by: str) -> str:
    """'2023-05-14' -> '2023' (year) or '2023-Q2' (quarter)."""
    year, month = date[:4], int(date[5:7])
    return year if by == "year" else f"{year}-Q{(month - 1) // 3 + 1}"


def _period_range(first: str, last: str, by: str) -> tuple[str, ...]:
    if by == "year":
        return tuple(str(y) for y in range(int(first), int(last) + 1))
    start = int(first[:4]) * 4 + int(first[-1]) - 1
    stop = int(last[:4]) * 4 + int(last[-1]) - 1
    return tuple(f"{n // 4}-Q{n % 4 + 1}" for n in range(start, stop + 1))


def timeline(catalog: Catalog, models: Sequence[Model], by: str = "year", group: str = "category") -> Timeline:
    """Count releases per period and per category (a model counts in each of its categories) or organisation."""
    if by not in PERIODS:
        raise UsageError(f"--by {by!r}: use one of {', '.join(PERIODS)}")
    if group not in GROUPINGS:
        raise UsageError(f"--group {group!r}: use one of {', '.join(GROUPINGS)}")
    dated = sorted((m for m in models if m.released), key=lambda m: (m.released.date, m.name.casefold()))
    undated = tuple(m for m in models if not m.released)
    cells: dict[tuple[str, str], list[Model]] = {}
    period_models: dict[str, list[Model]] = {}
    for model in dated:
        period = period_of(model.released.date, by)
        period_models.setdefault(period, []).append(model)
        for key in _group_keys(catalog, model, group):
            cells.setdefault((period, key), []).append(model)
    periods = _period_range(min(period_models), max(period_models), by) if period_models else ()
    return Timeline(
        by,
        group,
        periods,
        _group_order(catalog, group, cells),
        {key: tuple(value) for key, value in cells.items()},
        {key: tuple(value) for key, value in period_models.items()},
        undated,
    )


def _group_keys(catalog: Catalog, model: Model, group: str) -> tuple[str, ...]:
    if group == "org":
        return (model.organization,)
    return tuple(c for c, _ in queries.categories_of(catalog, model)) or (NO_CATEGORY,)


def _group_order(
    catalog: Catalog, group: str, cells: dict[tuple[str, str], list[Model]]
) -> tuple[tuple[str, str], ...]:
    present = {key for _, key in cells}
    if group == "category":
        order = [(c.id, c.id) for c in catalog.categories.values() if c.id in present]
        return tuple(order + ([(NO_CATEGORY, NO_CATEGORY)] if NO_CATEGORY in present else []))
    totals = {key: sum(len(models) for (_, k), models in cells.items() if k == key) for key in present}
    names = {key: catalog.organizations[key].name for key in present}
    return tuple((key, names[key]) for key in sorted(present, key=lambda k: (-totals[k], names[k].casefold())))


# -- scale charts ----------------------------------------------------------------------------------------------

METRICS = ("params", "context")


@dataclass(frozen=True, slots=True)
class Chart:
    """Models with a known number, largest first; those without one listed apart, never guessed."""

    metric: str  # params | context
    bars: tuple[tuple[Model, Quantity], ...]
    undisclosed: tuple[Model, ...]  # the makers withhold the number
    unknown: tuple[Model, ...]  # the catalogue has no number
    lines: tuple[tuple[int, tuple[str, ...]], ...]  # (value, threshold ids drawn at it), smallest first


def chart(catalog: Catalog, models: Sequence[Model], metric: str) -> Chart:
    """Bars for a log-scale chart of parameters or context length, with the sources' parameter lines."""
    if metric not in METRICS:
        raise UsageError(f"chart {metric!r}: use one of {', '.join(METRICS)}")
    bars: list[tuple[Model, Quantity]] = []
    undisclosed: list[Model] = []
    unknown: list[Model] = []
    for model in models:
        quantity = model.parameters if metric == "params" else model.context_length
        if quantity is None:
            unknown.append(model)
        elif size_of(quantity) is None:
            undisclosed.append(model)
        else:
            bars.append((model, quantity))
    bars.sort(key=lambda bar: (-bar[1].value, bar[0].name.casefold()))
    lines: dict[int, list[str]] = {}
    if metric == "params":
        for threshold in catalog.thresholds.values():
            lines.setdefault(threshold.parameters, []).append(threshold.id)
    by_name = lambda m: m.name.casefold()  # noqa: E731
    return Chart(
        metric,
        tuple(bars),
        tuple(sorted(undisclosed, key=by_name)),
        tuple(sorted(unknown, key=by_name)),
        tuple((value, tuple(ids)) for value, ids in sorted(lines.items())),
    )
