"""Questions asked of the catalogue: find a name, classify a model, walk lineage and families."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import NamedTuple

from taxonomy_cli.errors import NotFound
from taxonomy_cli.conditions import CONDITIONS, size
from taxonomy_cli.names import normalise
from taxonomy_cli.records import (
    Catalog, Family, License, Membership, Model, Myth, Quantity, Rule, Source, Stance, Term,
)  # fmt: skip
from taxonomy_cli.units import short_count
from taxonomy_cli.wording import with_article


def name_index(catalog: Catalog) -> Mapping[str, Model | Family]:
    """Normalised id, name and alias of every model and family -> the record."""
    return _Records(catalog, _index(catalog, "names"))


def _names(catalog: Catalog) -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for model in catalog.models.values():
        for name in (model.id, model.name, *model.aliases, *model.hf_repos, *model.api_ids):
            if key := normalise(name):  # a name of punctuation alone matches nothing
                index.setdefault(key, ("model", model.id))
    for family in catalog.families.values():
        for name in (family.id, family.name, *family.aliases):
            if key := normalise(name):
                index.setdefault(key, ("family", family.id))  # a model of the same name wins
                index.setdefault(key + "family", ("family", family.id))
    return index


class _Records(Mapping):
    """A name index of (kind, id) pairs read as the records they name."""

    def __init__(self, catalog: Catalog, ids: Mapping[str, tuple[str, str]]) -> None:
        self._catalog, self._ids = catalog, ids

    def __getitem__(self, key: str) -> Model | Family:
        kind, ident = self._ids[key]
        return (self._catalog.models if kind == "model" else self._catalog.families)[ident]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def suggest(word: str, index: Iterable[str], display: dict[str, str] | None = None, count: int = 3,
            cutoff: float = 0.6) -> list[str]:  # fmt: skip
    """Close matches for a 'did you mean' hint, shown by their ids."""
    keys = list(index)
    matches = difflib.get_close_matches(normalise(word), keys, n=count * 3, cutoff=cutoff)
    shown: list[str] = []
    for match in matches:
        label = display[match] if display else match
        if label not in shown:
            shown.append(label)
    return shown[:count]


def find(catalog: Catalog, name: str) -> Model | Family:
    """The model or family a user means by `name` (forgiving), or NotFound with suggestions."""
    if name in catalog.models:  # an exact model id: no other model may claim its name (the loader checks), so
        return catalog.models[name]  # the index would say the same; skipping it matters with 10,000 models
    index = name_index(catalog)
    record = index.get(normalise(name))
    if record is not None:
        return record
    covers = f"taxo's catalogue covers releases up to {catalog.data_as_of[:7]}: add newer models with --catalog"
    family = _family_of_unknown(catalog, name)
    if family is not None:
        members = ", ".join(m.id for m in family_members(catalog, family)) or "no models yet"
        raise NotFound(f"{name!r} is not in the catalogue; the {family.name} family has: {members} ({covers})")
    hints = suggest(name, index, {key: rec.id for key, rec in index.items()})
    hint = f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""
    raise NotFound(f"no model or family named {name!r}{hint} (try 'taxo list' or 'taxo search {name}'; {covers})")


def _family_of_unknown(catalog: Catalog, name: str) -> Family | None:
    """The family an unknown name belongs to by its start ('kimi-k3-preview': Kimi K2? no; 'gemma-9': Gemma), taken
    from the family's id or name, the longest that fits, at a word boundary of what was typed."""
    wanted = normalise(name)
    best: tuple[int, Family] | None = None
    for family in catalog.families.values():
        for label in (family.id, family.name):
            key = normalise(label)
            if len(key) >= 3 and wanted.startswith(key) and wanted != key and (best is None or len(key) > best[0]):
                best = (len(key), family)
    return best[1] if best else None


def taxonomy_root(catalog: Catalog) -> Term:
    """The category the others sit under (foundation models, in the bundled catalogue): the first category without
    a parent that some other category names as its parent."""
    categories = catalog.categories
    parents = {t.parent for t in categories.values() if t.parent}
    return next((t for t in categories.values() if t.parent is None and t.id in parents), next(iter(categories.values())))


def license_of(catalog: Catalog, model: Model) -> License | None:
    """The catalogue's licence record for a model's `license` (matched by name or alias, forgivingly), if any."""
    if not model.license:
        return None
    wanted = normalise(model.license)
    for license_ in catalog.licenses.values():
        if wanted in {normalise(n) for n in (license_.id, license_.name, *license_.aliases)}:
            return license_
    return None


def family_members(catalog: Catalog, family: Family) -> tuple[Model, ...]:
    """A family's models, oldest release first, then smallest first."""
    return tuple(catalog.models[ident] for ident in _index(catalog, "members").get(family.id, ()))


def _members(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[Model]] = {}
    for model in catalog.models.values():
        if model.family:
            found.setdefault(model.family, []).append(model)
    order = lambda m: (m.released.date if m.released else "9999", _size(m), m.id)  # noqa: E731
    return {family: tuple(m.id for m in sorted(models, key=order)) for family, models in found.items()}


def _size(model: Model) -> int:
    return model.parameters.value if model.parameters and model.parameters.value else 0


def lineage(catalog: Catalog, model: Model) -> tuple[Model, ...]:
    """The chain from the oldest ancestor down to `model` (alpaca-7b: llama-7b, alpaca-7b)."""
    chain = [model]
    while chain[-1].base_model and chain[-1].base_model in catalog.models:  # the loader bounds it, loops refused
        chain.append(catalog.models[chain[-1].base_model])
    return tuple(reversed(chain))


def descendants(catalog: Catalog, model: Model) -> tuple[Model, ...]:
    """Models fine-tuned directly from `model`."""
    return tuple(catalog.models[ident] for ident in _index(catalog, "children").get(model.id, ()))


def _children(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    return {base: tuple(m.id for m in models) for base, models in fine_tunes(catalog).items()}


def fine_tunes(catalog: Catalog) -> dict[str, tuple[Model, ...]]:
    """Every base model's direct fine-tunes (as `descendants` gives them), found in one pass over the catalogue."""
    found: dict[str, list[Model]] = {}
    for model in catalog.models.values():
        if model.base_model:
            found.setdefault(model.base_model, []).append(model)
    return {base: tuple(sorted(models, key=lambda m: m.id)) for base, models in found.items()}


def myths_about(catalog: Catalog, *ids: str) -> tuple[Myth, ...]:
    """Myths that name any of the given ids, in catalogue order."""
    by_subject = _index(catalog, "myths")
    found = sorted({entry for ident in ids for entry in by_subject.get(ident, ())})
    return tuple(catalog.myths[ident] for _, ident in found)


def _myths(catalog: Catalog) -> dict[str, tuple[tuple[int, str], ...]]:
    """Myth (position in the catalogue, id) by the ids they are about."""
    index: dict[str, list[tuple[int, str]]] = {}
    for position, myth in enumerate(catalog.myths.values()):
        for subject in myth.about:
            index.setdefault(subject, []).append((position, myth.id))
    return {subject: tuple(entries) for subject, entries in index.items()}


_DERIVED: dict[int, tuple[Catalog, dict]] = {}


def _derived(catalog: Catalog) -> dict:
    """Scratch space for indexes built once per catalogue: listing 10,000 models asks the same questions often.
    Keyed by identity (records hold dicts, so a catalogue is not hashable); the catalogue is kept alive with it."""
    entry = _DERIVED.get(id(catalog))
    if entry is None or entry[0] is not catalog:
        entry = _DERIVED[id(catalog)] = (catalog, {})
    return entry[1]


def _prefixes(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Model and family ids by their first two characters (shell completion of an id)."""
    found: dict[str, list[str]] = {}
    for ident in (*catalog.models, *catalog.families):
        found.setdefault(ident[:2], []).append(ident)
    return {prefix: tuple(ids) for prefix, ids in found.items()}


def ids_starting(catalog: Catalog, word: str) -> list[str]:
    """Model and family ids that start with `word` (from the prefix index once it has two characters)."""
    word = word.lower()
    if len(word) < 2:
        return [ident for ident in (*catalog.models, *catalog.families) if ident.startswith(word)]
    return [ident for ident in _index(catalog, "prefixes").get(word[:2], ()) if ident.startswith(word)]


# The lookup indexes a catalogue is asked through: built once from a catalogue in memory, or read key by key from
# the store of a large one (store.py), whose builder is this same table.
INDEXES = {"names": _names, "members": _members, "children": _children, "myths": _myths, "prefixes": _prefixes}


def _index(catalog: Catalog, name: str) -> Mapping:
    if name in catalog.store:
        return catalog.store[name]
    derived = _derived(catalog)
    if name not in derived:
        derived[name] = INDEXES[name](catalog)
    return derived[name]


def sources_of(catalog: Catalog, ids: Iterable[str]) -> tuple[Source, ...]:
    """Source records for ids, in order, without repeats."""
    seen: dict[str, Source] = {}
    for ident in ids:
        if ident in catalog.sources and ident not in seen:
            seen[ident] = catalog.sources[ident]
    return tuple(seen.values())


def model_source_ids(model: Model) -> tuple[str, ...]:
    """Every source id behind a model card: its own list first, then each fact's."""
    ids: list[str] = list(model.sources)
    for fact in (model.released, model.knowledge_cutoff):
        if fact:
            ids.extend(fact.sources)
    for quantity in (model.parameters, model.active_parameters, model.context_length, model.training_tokens):
        ids.extend(_quantity_sources(quantity))
    for judgement in model.classification:
        ids.extend(judgement.sources)
    for product_model in model.product_models:
        ids.extend(product_model.sources)
    return tuple(dict.fromkeys(ids))


def _quantity_sources(quantity: Quantity | None) -> list[str]:
    if quantity is None:
        return []
    ids = list(quantity.sources)
    for alternative in quantity.alternatives:
        ids.extend(_quantity_sources(alternative))
    return ids


# -- classification --------------------------------------------------------------------------------------------


def classify(catalog: Catalog, model: Model) -> tuple[Membership, ...]:
    """The categories a model belongs to (verdict yes) or may belong to (contested), with why and every view."""
    return tuple(m for m in verdicts(catalog, model) if m.verdict in ("yes", "contested"))


def categories_of(catalog: Catalog, model: Model) -> tuple[tuple[str, str], ...]:
    """(category, verdict) for each category a model is in (yes) or may be in (contested), in catalogue order: the
    verdicts of `verdicts` without their reasons, which listing every model does not need and would pay for."""
    derived = _derived(catalog)
    placed = derived.get("placements")
    if placed is None and "load_placements" in derived:  # every model's, cached on disk beside the catalogue
        placed = derived["placements"] = derived.pop("load_placements")()
    if placed and model.id in placed and catalog.models.get(model.id) is model:  # the catalogue's own record
        return placed[model.id]
    known = derived.setdefault("categories_of", {})
    if model.id in known and known[model.id][0] is model:
        return known[model.id][1]
    found = []
    for category in catalog.categories:
        answers = set()
        for rules in _holders(catalog, category):
            if any(_matches(catalog, rule, model) for rule in rules):
                answers.add("yes")
            elif not any(_undecided(catalog, rule, model) for rule in rules):
                answers.add("no")
        answers.update("yes" if j.include else "no" for j in model.classification if j.category == category)
        word = _combine(catalog, answers)
        if word in ("yes", "contested"):
            found.append((category, word))
    known[model.id] = (model, tuple(found))
    return known[model.id][1]


def placements(catalog: Catalog) -> dict[str, tuple[tuple[str, str], ...]]:
    """`categories_of` every model: what listing every model, a category's figures and the tree read (cached)."""
    return {ident: categories_of(catalog, model) for ident, model in catalog.models.items()}


def read_placements_with(catalog: Catalog, load: Callable[[], dict]) -> None:
    """Tell `categories_of` where every model's placements can be read (a cache) the first time they are needed."""
    _derived(catalog)["load_placements"] = load


def _holders(catalog: Catalog, category: str) -> tuple[tuple[Rule, ...], ...]:
    """A category's rules grouped by whose view they are (rules with one `by` are one view), in catalogue order."""
    groups = _derived(catalog).setdefault("holders", {})
    if category not in groups:
        by_holder: dict[str, list[Rule]] = {}
        for rule in catalog.rules:
            if rule.category == category:
                by_holder.setdefault(rule.by or rule.id, []).append(rule)
        groups[category] = tuple(tuple(rules) for rules in by_holder.values())
    return groups[category]


def _combine(catalog: Catalog, answers: set[str]) -> str:
    """The catalogue's verdict for the answers of the views that can decide (rules.yaml `verdicts`)."""
    situation = "no-view" if not answers else "split" if len(answers) > 1 else f"all-{next(iter(answers))}"
    policy = catalog.verdicts.get(situation)
    return policy.id if policy else "unknown"


def verdicts(catalog: Catalog, model: Model) -> tuple[Membership, ...]:
    """The verdict on every category for a model (yes, no, contested or unknown), in catalogue order."""
    known = _derived(catalog).setdefault("verdicts", {})
    if model.id in known and known[model.id][0] is model:
        return known[model.id][1]
    result = tuple(_verdict(catalog, model, category) for category in catalog.categories)
    known[model.id] = (model, result)
    return result


def verdict(catalog: Catalog, model: Model, category: str) -> Membership:
    """The verdict on one category for a model, with why and every view (a size line, someone's own words)."""
    for membership in verdicts(catalog, model):
        if membership.category == category:
            return membership
    return _verdict(catalog, model, category)


def views(catalog: Catalog, model: Model, category: str) -> tuple[Stance, ...]:
    """Every view on a model and a category: each holder's rules (yes when any holds, unknown when one cannot be
    applied and none holds), then each sourced judgement on the model."""
    stances: list[Stance] = []
    for rules in _holders(catalog, category):
        holder = rules[0].by or rules[0].id
        holding = [rule for rule in rules if _matches(catalog, rule, model)]
        sources = tuple(dict.fromkeys(ident for rule in rules for ident in rule.sources))
        if holding:
            stances.append(Stance("yes", holder, _reason(catalog, holding[0], model), holding[0].sources, holding[0].id))
            continue
        undecided = [rule for rule in rules if _undecided(catalog, rule, model)]
        reason = " / ".join(m for m in ("; ".join(_misses(catalog, rule, model)) for rule in rules) if m)
        stances.append(Stance("unknown" if undecided else "no", holder, reason, sources, rules[0].id))
    for judgement in model.classification:
        if judgement.category == category:
            answer = "yes" if judgement.include else "no"
            stances.append(Stance(answer, judgement.by, judgement.judgement, judgement.sources, None))
    return tuple(stances)


def _verdict(catalog: Catalog, model: Model, category: str) -> Membership:
    """Combine the views by the catalogue's policy (rules.yaml `verdicts`): the same for every model and maker."""
    stances = views(catalog, model, category)
    deciding = [s for s in stances if s.verdict != "unknown"]
    answers = {s.verdict for s in deciding}
    word = _combine(catalog, answers)
    if not stances:
        why = "no rule in the catalogue puts a model in this category"
    elif len(answers) > 1:
        why = _split_sentence(deciding)
    else:
        chosen = deciding or stances
        also = ", ".join(dict.fromkeys(s.by for s in chosen[1:] if s.by != chosen[0].by))
        why = _view_sentence(chosen[0]) + (f" Also {chosen[0].verdict} by {also}." if also else "")
    first_rule = next((s.rule for s in stances if s.verdict == "yes" and s.rule), None)
    judges = "; ".join(dict.fromkeys(s.by for s in stances if s.rule is None)) or None
    sources = tuple(dict.fromkeys(ident for s in (deciding or stances) for ident in s.sources))
    return Membership(category, why, first_rule, judges, sources, word, stances)


def _view_sentence(stance: Stance) -> str:
    if stance.rule is None:
        return f"{stance.why.rstrip('.')} ({stance.by})."
    return stance.why if stance.verdict == "yes" else f"{stance.by}: {stance.why}."


def _split_sentence(stances: list[Stance]) -> str:
    yes = [s.by for s in stances if s.verdict == "yes"]
    no = [s.by for s in stances if s.verdict == "no"]
    return f"The views disagree: yes by {', '.join(dict.fromkeys(yes))}; no by {', '.join(dict.fromkeys(no))}."


def threshold_value(catalog: Catalog, reference: int | str) -> int:
    """A rule's parameter line: a number, or the id of a sourced threshold."""
    return reference if isinstance(reference, int) else catalog.thresholds[reference].parameters


def _holds(catalog: Catalog, key: str, expected: object, model: Model) -> bool:
    condition = CONDITIONS[key]
    return condition.holds(model, expected, threshold_value(catalog, expected) if condition.sized else None)


def _matches(catalog: Catalog, rule: Rule, model: Model) -> bool:
    return all(_holds(catalog, key, expected, model) for key, expected in rule.when)


def _undecided(catalog: Catalog, rule: Rule, model: Model) -> bool:
    """A rule that cannot be applied: every condition it fails is a size line and the size is not known."""
    failing = [key for key, expected in rule.when if not _holds(catalog, key, expected, model)]
    return bool(failing) and size(model) is None and all(CONDITIONS[key].sized for key in failing)


def _reason(catalog: Catalog, rule: Rule, model: Model) -> str:
    threshold = next(
        (value for key, value in rule.when if key in ("parameters_at_least", "parameters_below")), None
    )
    facts = {
        "name": model.name,
        "organization": catalog.organizations[model.organization].name,
        "parameters": short_count(model.parameters.value) if model.parameters and model.parameters.value else "?",
        "threshold": short_count(threshold_value(catalog, threshold)) if threshold is not None else "",
        "stage": model.stage.value,
        "inputs": ", ".join(model.inputs),
        "outputs": ", ".join(model.outputs),
        "base": catalog.models[model.base_model].name if model.base_model else "a base model outside the catalogue",
    }
    try:
        return rule.because.format(**facts)
    except (KeyError, IndexError, ValueError):
        return rule.because


# -- terms -------------------------------------------------------------------------------------------------------


def term_index(catalog: Catalog) -> dict[str, Term]:
    """Normalised id, name and alias of every term -> the term."""
    index: dict[str, Term] = {}
    for term in catalog.terms.values():
        for name in (term.id, term.name, *term.aliases):
            if key := normalise(name):
                index.setdefault(key, term)
    return index


def find_term(catalog: Catalog, name: str) -> Term:
    """The term a user means (forgiving); a model's name points to `taxo show`; else 'did you mean'."""
    index = term_index(catalog)
    term = index.get(normalise(name))
    if term is not None:
        return term
    record = name_index(catalog).get(normalise(name))
    if record is not None:
        raise NotFound(f"{name!r} is a {'model' if isinstance(record, Model) else 'family'}, not a term: "
                       f"try 'taxo show {record.id}'")  # fmt: skip
    hints = suggest(name, index, {key: t.id for key, t in index.items()}, cutoff=0.75)
    hint = f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""
    raise NotFound(f"no term named {name!r}{hint} (try 'taxo search {name}'; the terms: {', '.join(catalog.terms)})")


def category_members(catalog: Catalog) -> dict[str, tuple[tuple[Model, str], ...]]:
    """Every category's models with their verdict (yes or contested), newest first."""
    derived = _derived(catalog)
    if "members_by_category" not in derived:
        members: dict[str, list[tuple[Model, str]]] = {c: [] for c in catalog.categories}
        for model in catalog.models.values():
            for category, word in categories_of(catalog, model):
                members.setdefault(category, []).append((model, word))
        newest = lambda pair: (pair[0].released.date if pair[0].released else "", pair[0].id)  # noqa: E731
        derived["members_by_category"] = {c: tuple(sorted(p, key=newest, reverse=True)) for c, p in members.items()}
    return derived["members_by_category"]


def examples(catalog: Catalog, category: str, limit: int = 5) -> tuple[tuple[Model, Membership], ...]:
    """A few models of a category, newest first, at most one per organization so the examples vary; models every
    view agrees on before contested ones."""
    chosen: list[tuple[Model, Membership]] = []
    organizations: set[str] = set()
    members = category_members(catalog).get(category, ())
    for model, word in sorted(members, key=lambda pair: pair[1] != "yes"):
        if model.organization not in organizations:
            organizations.add(model.organization)
            chosen.append((model, verdict(catalog, model, category)))
        if len(chosen) == limit:
            break
    return tuple(chosen)


class SizeLine(NamedTuple):
    """Where one holder draws a category's size line: 'SLM from 100M to 5B (Lu et al. 2024)'."""

    category: str
    by: str
    span: str  # 'from 100M to 5B', 'below 10B', '10B and up'
    sources: tuple[str, ...]


def size_lines(catalog: Catalog) -> tuple[SizeLine, ...]:
    """Every rule that draws a size line, in words: the lines the sources disagree about, read off the rules."""
    lines: list[SizeLine] = []
    for rule in catalog.rules:
        bounds = {key: threshold_value(catalog, value) for key, value in rule.when if CONDITIONS[key].sized}
        low = bounds.get("parameters_at_least")
        high = bounds.get("parameters_at_most", bounds.get("parameters_below"))
        if low is None and high is None:
            continue
        below = "parameters_below" in bounds and "parameters_at_most" not in bounds
        if low is not None and high is not None:
            span = f"from {short_count(low)} to {'below ' if below else ''}{short_count(high)}"
        elif high is not None:
            span = f"{'below' if below else 'up to'} {short_count(high)}"
        else:
            span = f"{short_count(low)} and up"
        lines.append(SizeLine(rule.category, rule.by or rule.id, span, rule.sources))
    return tuple(lines)


def category_figures(catalog: Catalog, category: str) -> dict[str, object]:
    """What the catalogue's own models of a category look like: how many (and how many contested), their training
    data and context windows (median and range, over the models that disclose them), and their training stages."""
    pairs = category_members(catalog).get(category, ())
    models = [model for model, _ in pairs]

    def spread(values: list[int]) -> dict[str, int | None]:
        values = sorted(values)
        middle = values[len(values) // 2] if values else None
        return {"known": len(values), "median": middle, "min": values[0] if values else None,
                "max": values[-1] if values else None}  # fmt: skip

    tokens = [m.training_tokens.value for m in models if m.training_tokens and m.training_tokens.value]
    context = [m.context_length.value for m in models if m.context_length and m.context_length.value]
    stages: dict[str, int] = {}
    for model in models:
        stages[model.stage.value] = stages.get(model.stage.value, 0) + 1
    return {
        "models": len(models),
        "contested": sum(1 for _, word in pairs if word == "contested"),
        "training_tokens": spread(tokens),
        "context_length": spread(context),
        "context_32k_or_more": sum(1 for value in context if value >= 32_000),
        "stages": stages,
    }


def why_not(catalog: Catalog, model: Model, category: str) -> str:
    """Why a model is not (or not surely) in a category: the views that say no or cannot decide, in their words."""
    return verdict(catalog, model, category).why


def _misses(catalog: Catalog, rule: Rule, model: Model) -> list[str]:
    """Why each condition of `rule` that `model` fails does not hold, in the catalogue's words."""
    misses: list[str] = []
    unknown_said = False
    for key, expected in rule.when:
        if _holds(catalog, key, expected, model):
            continue
        if CONDITIONS[key].sized and size(model) is None:
            if unknown_said:
                continue  # one 'cannot be applied' per rule: the size is unknown once, not once per line
            unknown_said = True
        wording = catalog.wording.get(key)
        count = size(model)
        facts = {
            "expected": " or ".join(map(str, expected)) if isinstance(expected, tuple) else str(expected),
            "expected_list": ", ".join(map(str, expected)) if isinstance(expected, tuple) else str(expected),
            "origin": model.base_model or model.lineage_note or "another model",
            "architecture": with_article(model.architecture),
            "inputs": ", ".join(model.inputs),
            "stage": model.stage.value,
            "parameters": short_count(count) if count is not None else "?",
            "line": _threshold_label(catalog, expected) if CONDITIONS[key].sized else "",
            "size_status": "undisclosed" if model.parameters else "not in the catalogue",
        }
        template = wording.unknown if wording and CONDITIONS[key].sized and count is None else None
        template = template or (wording.why_not if wording else f"the condition {key} does not hold")
        misses.append(template.format(**facts))
    return misses


def _threshold_label(catalog: Catalog, reference: int | str) -> str:
    if isinstance(reference, str):
        return catalog.thresholds[reference].label
    return f"{short_count(reference)} line"


def resolve(catalog: Catalog, name: str) -> Term | Model | Family:
    """A term, model or family, for commands that take any of them (`compare`)."""
    term = term_index(catalog).get(normalise(name))
    if term is not None:
        return term
    record = name_index(catalog).get(normalise(name))
    if record is not None:
        return record
    everything = {**{k: t.id for k, t in term_index(catalog).items()},
                  **{k: r.id for k, r in name_index(catalog).items()}}  # fmt: skip
    hints = suggest(name, everything, everything)
    hint = f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""
    raise NotFound(f"no model, family or term named {name!r}{hint}")


def lineage_roots(catalog: Catalog) -> tuple[Model, ...]:
    """Models that others were fine-tuned from but that have no catalogue base themselves."""
    bases = {m.base_model for m in catalog.models.values() if m.base_model}
    roots = (catalog.models[b] for b in bases if b in catalog.models and not catalog.models[b].base_model)
    return tuple(sorted(roots, key=lambda m: (m.family or m.id, m.released.date if m.released else "", _size(m))))


# -- sources and myths -------------------------------------------------------------------------------------------


def source_usage(catalog: Catalog, record: Model | Family | Term) -> tuple[tuple[Source, tuple[str, ...]], ...]:
    """Every source behind a card, with the fields each one supports, in the order the card cites them."""
    uses: dict[str, list[str]] = {}

    def cite(ids: Iterable[str], field: str) -> None:
        for ident in ids:
            fields = uses.setdefault(ident, [])
            if field not in fields:
                fields.append(field)

    def cite_quantity(quantity: Quantity | None, field: str) -> None:
        if quantity is not None:
            cite(quantity.sources, field)
            for alternative in quantity.alternatives:
                cite_quantity(alternative, f"{field} (alternative figure)")

    if isinstance(record, Model):
        cite(record.sources, "the card as a whole")  # first, as the card numbers them
        if record.released:
            cite(record.released.sources, "released")
        cite_quantity(record.parameters, "parameters")
        cite_quantity(record.active_parameters, "active parameters")
        cite_quantity(record.context_length, "context length")
        cite_quantity(record.training_tokens, "training tokens")
        if record.knowledge_cutoff:
            cite(record.knowledge_cutoff.sources, "knowledge cutoff")
        for judgement in record.classification:
            cite(judgement.sources, f"category {judgement.category} (judgement)")
        if (license_ := license_of(catalog, record)) is not None:
            cite(license_.sources, "licence terms")
        for product_model in record.product_models:
            cite(product_model.sources, f"product model {product_model.model}")
        for membership in verdicts(catalog, record):
            if membership.verdict == "no":
                continue  # a card shows the categories a model is in, may be in, or cannot be placed in
            for view in membership.views:
                if view.rule is not None and set(view.sources) & set(membership.sources):
                    cite(view.sources, f"category {membership.category} (rule {view.rule})")
        ids = [record.id] + ([record.family] if record.family else [])
    elif isinstance(record, Family):
        cite(record.sources, "the family")
        ids = [record.id]
    else:
        cite(record.technical_sources, "technical definition")
        cite(record.sources, "the term")
        ids = [record.id]
    for myth in myths_about(catalog, *ids):
        cite(myth.sources, f"myth {myth.id}")
    return tuple((catalog.sources[i], tuple(f)) for i, f in uses.items() if i in catalog.sources)


def find_subject(catalog: Catalog, name: str) -> Model | Family | Term:
    """A model, family or term by any of its names: models first, then terms."""
    record = name_index(catalog).get(normalise(name))
    if record is not None:
        return record
    return resolve(catalog, name)


def myths_for(catalog: Catalog, about: str | None) -> tuple[Myth, ...]:
    """All myths, or those about one model, family or term (a model's family's myths included)."""
    if about is None:
        return tuple(catalog.myths.values())
    subject = find_subject(catalog, about)
    ids = [subject.id] + ([subject.family] if isinstance(subject, Model) and subject.family else [])
    return myths_about(catalog, *ids)
