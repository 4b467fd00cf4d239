"""Model and family cards: records in, a Document (for people) or a dict (for JSON) out."""

from __future__ import annotations

from taxonomy_cli import queries
from collections.abc import Callable, Iterable

from taxonomy_cli.document import VERDICT_MARKS, Document, Field, Section, View
from taxonomy_cli.records import Catalog, Family, Membership, Model, Quantity, Status
from taxonomy_cli.names import normalise
from taxonomy_cli.shapes import FamilyJSON, ModelJSON, category_json, myth_json, sources_json
from taxonomy_cli.units import grouped, short_context, short_count


# How a card words the weights where the bare value would mislead.
WEIGHTS_WORDS = {"local": "local files (who may use them, and on what terms, the files do not say)"}


def parameters_display(quantity: Quantity | None) -> str:
    """'7.24B', or 'undisclosed', or 'unknown' when the catalogue has no figure."""
    if quantity is None:
        return "unknown"
    if quantity.status is Status.UNDISCLOSED or quantity.value is None:
        return "undisclosed"
    return short_count(quantity.value)


# -- JSON ------------------------------------------------------------------------------------------------------


def quantity_data(quantity: Quantity | None) -> dict | None:
    """A sourced number as JSON: value, status and how we know it."""
    if quantity is None:
        return None
    return {
        "value": quantity.value,
        "status": quantity.status.value,
        "display": parameters_display(quantity),
        "method": quantity.method,
        "estimate_by": quantity.estimate_by,
        "note": quantity.note,
        "sources": list(quantity.sources),
        "alternatives": [quantity_data(a) for a in quantity.alternatives],
    }


def model_data(catalog: Catalog, model: Model) -> ModelJSON:
    """The `show` JSON contract for a model (keys are stable: add, never rename or retype)."""
    parameters = quantity_data(model.parameters) or {
        "value": None, "status": Status.UNDISCLOSED.value, "display": "unknown", "method": None,
        "estimate_by": None, "note": "not in the catalogue", "sources": [], "alternatives": [],
    }  # fmt: skip
    active = model.active_parameters
    parameters["active"] = active.value if active else None
    parameters["active_detail"] = quantity_data(active)
    return {
        "id": model.id,
        "kind": "model",
        "name": model.name,
        "organization": catalog.organizations[model.organization].name,
        "organization_id": model.organization,
        "released": model.released.date if model.released else None,
        "parameters": parameters,
        "context_length": model.context_length.value if model.context_length else None,
        "context_length_detail": quantity_data(model.context_length),
        "training_tokens": model.training_tokens.value if model.training_tokens else None,
        "training_tokens_detail": quantity_data(model.training_tokens),
        "architecture": model.architecture,
        "architecture_notes": model.architecture_notes,
        "modalities": {"input": list(model.inputs), "output": list(model.outputs)},
        "weights": model.weights.value,
        "license": model.license,
        "license_terms": license_.terms.value if (license_ := queries.license_of(catalog, model)) else None,
        "stage": model.stage.value,
        "base_model": model.base_model,
        "lineage": [m.id for m in queries.lineage(catalog, model)],
        "lineage_note": model.lineage_note,
        "family": model.family,
        "aliases": list(model.aliases),
        "hf_repos": list(model.hf_repos),
        "api_ids": list(model.api_ids),
        "description": model.description,
        "knowledge_cutoff": model.knowledge_cutoff.date if model.knowledge_cutoff else None,
        "categories": [category_json(m) for m in queries.classify(catalog, model)],
        "product_models": [
            {"model": p.model, "since": p.since, "note": p.note, "sources": list(p.sources)}
            for p in model.product_models
        ],
        "myths": [myth_json(catalog, m) for m in _myths(catalog, model)],
        "sources": sources_json(catalog, queries.model_source_ids(model)),
    }


def family_data(catalog: Catalog, family: Family) -> FamilyJSON:
    """The `show` JSON contract for a family: its own fields plus member ids."""
    members = queries.family_members(catalog, family)
    released = [m.released.date for m in members if m.released]
    return {
        "id": family.id,
        "kind": "family",
        "name": family.name,
        "organization": catalog.organizations[family.organization].name,
        "organization_id": family.organization,
        "released": min(released) if released else None,
        "description": family.description,
        "aliases": list(family.aliases),
        "members": [m.id for m in members],
        "member_details": [
            {"id": m.id, "name": m.name, "parameters": parameters_display(m.parameters), "stage": m.stage.value}
            for m in members
        ],
        "myths": [myth_json(catalog, m) for m in queries.myths_about(catalog, family.id)],
        "sources": sources_json(catalog, family.sources),
    }  # fmt: skip


def _myths(catalog: Catalog, model: Model):
    ids = [model.id] + ([model.family] if model.family else [])
    return queries.myths_about(catalog, *ids)


# -- documents for people --------------------------------------------------------------------------------------


class _Markers:
    """Numbers sources in the order a card cites them: '[1]', '[2]'..."""

    def __init__(self, ids) -> None:
        self.numbers = {ident: n for n, ident in enumerate(dict.fromkeys(ids), start=1)}

    def __call__(self, ids) -> str:
        numbers = sorted({self.numbers[i] for i in ids if i in self.numbers})
        return "".join(f"[{n}]" for n in numbers)


def _quantity_text(quantity: Quantity, unit: str, mark: _Markers, short=short_count, detail: bool = True) -> str:
    """A number, its exact value, status and sources; with `detail`, how it was derived and the sources' notes."""
    if quantity.status is Status.UNDISCLOSED or quantity.value is None:
        text = f"undisclosed {mark(quantity.sources)}"
    else:
        exact = grouped(quantity.value)
        text = f"{short(quantity.value)} ({exact}{unit}) · {quantity.status.value} {mark(quantity.sources)}"
    if quantity.method and detail:
        text += f"\nhow: {quantity.method}"
    if quantity.estimate_by:
        text += f"\nestimate by: {quantity.estimate_by}"
    if quantity.note and detail:
        text += f"\nnote: {quantity.note}"
    for alternative in quantity.alternatives:
        text += f"\nalso: {_quantity_text(alternative, unit, mark, short, detail)}"
    return text


def card_view(catalog: Catalog, record: Model | Family, detail: bool = False, asked: str = "") -> View:
    """`taxo show`: a model card or a family and its members. Asked for by an API id or a Hugging Face repository,
    the card says which model that id is one version or copy of."""
    if isinstance(record, Model):
        notes = ()
        if asked and normalise(asked) in {normalise(i) for i in record.api_ids}:
            notes = (f"{asked} is an API id of {record.name} ({record.id}): the card is the model's",)
        elif asked and normalise(asked) in {normalise(r) for r in record.hf_repos}:
            notes = (f"{asked} is a Hugging Face repository of {record.name} ({record.id})",)
        if notes and normalise(asked) in {normalise(n) for n in (record.id, record.name, *record.aliases)}:
            notes = ()
        return View(lambda: model_data(catalog, record), lambda: model_document(catalog, record, detail), notes=notes)
    return View(lambda: family_data(catalog, record), lambda: family_document(catalog, record))


def model_document(catalog: Catalog, model: Model, detail: bool = True) -> Document:
    """A model card: facts with status and source markers, categories with why, lineage, myths, sources."""
    verdicts = queries.verdicts(catalog, model)
    memberships = [m for m in verdicts if m.verdict in ("yes", "contested")]
    undecided = [m for m in verdicts if m.verdict == "unknown"]
    usage = queries.source_usage(catalog, model)  # numbered as `taxo sources` numbers them
    mark = _Markers(source.id for source, _ in usage)
    org = catalog.organizations[model.organization].name

    def figure(quantity: Quantity, unit: str = "", short=short_count) -> str:  # noqa: ANN001 - a formatter
        return _quantity_text(quantity, unit, mark, short, detail)

    facts: list[Field] = [Field("Organization", org)]
    if model.family:
        facts.append(Field("Family", f"{catalog.families[model.family].name} ({model.family})"))
    if model.released:
        facts.append(Field("Released", f"{model.released.date} {mark(model.released.sources)}"))
    if model.parameters:
        style = model.parameters.status.value
        facts.append(Field("Parameters", figure(model.parameters), style))
    else:
        facts.append(Field("Parameters", "not in the catalogue", "dim"))
    if model.active_parameters:
        facts.append(Field("Active per token", figure(model.active_parameters)))
    arch = model.architecture + (f" ({model.architecture_notes})" if model.architecture_notes else "")
    facts.append(Field("Architecture", arch))
    facts.append(Field("Modalities", f"{', '.join(model.inputs)} → {', '.join(model.outputs)}"))
    if model.context_length:
        facts.append(Field("Context length", figure(model.context_length, " tokens", short_context)))
    if model.training_tokens:
        facts.append(Field("Training data", figure(model.training_tokens, " tokens")))
    if model.knowledge_cutoff:
        facts.append(Field("Knowledge cutoff", f"{model.knowledge_cutoff.date} {mark(model.knowledge_cutoff.sources)}"))
    weights = WEIGHTS_WORDS.get(model.weights.value, model.weights.value)
    facts.append(Field("Weights", weights + (f" · licence: {model.license}" if model.license else "")))
    if license_ := queries.license_of(catalog, model):
        facts.append(Field("Licence terms", f"{license_.summary} {mark(license_.sources)}".strip()))
    if model.hf_repos:
        facts.append(Field("Hugging Face", ", ".join(model.hf_repos)))
    if model.api_ids:
        facts.append(Field("API ids", ", ".join(model.api_ids)))
    stage = catalog.stages.get(model.stage.value)
    facts.append(Field("Training stage", stage.label if stage else model.stage.value))
    chain = queries.lineage(catalog, model)
    lineage = " → ".join(f"{m.name} ({m.stage.value})" for m in chain) if len(chain) > 1 else ""
    if model.lineage_note:
        lineage = f"{lineage}\n{model.lineage_note}".strip()
    children = queries.descendants(catalog, model)
    if children:
        lineage = f"{lineage}\nfine-tuned into: {', '.join(m.id for m in children)}".strip()
    if lineage:
        facts.append(Field("Lineage", lineage))
    if not detail and _has_detail(model):
        facts.append(Field("More", f"how each figure was derived, and the sources' notes: taxo show {model.id} --detail",
                           "dim"))  # fmt: skip
    sections = [Section("Facts", fields=tuple(facts))]
    sections.append(
        Section(
            "Categories",
            fields=(
                *(Field(_verdict_label(catalog, m), verdict_text(catalog, m, mark)) for m in memberships),
                *(Field(_verdict_label(catalog, m), verdict_text(catalog, m, mark), "dim") for m in undecided),
            ),
            paragraphs=() if memberships else ("No category applies from the catalogue's rules.",),
        )
    )
    if model.product_models:
        sections.append(Section(
            "A product, not one model: the models behind it",
            bullets=tuple(f"since {p.since}: {catalog.models[p.model].name} "
                          f"({'this card' if p.model == model.id else 'taxo show ' + p.model})\n{p.note} "
                          f"{mark(p.sources)}".rstrip() for p in model.product_models),
        ))  # fmt: skip
    myths = _myths(catalog, model)
    if myths:
        sections.append(
            Section("Myths", bullets=tuple(f"Myth: {m.claim}\nFact: {m.correction} {mark(m.sources)}" for m in myths))
        )
    sections.append(Section("Sources", bullets=tuple(f"[{mark.numbers[s.id]}] {s.title}\n{s.url}" for s, _ in usage)))
    subtitle = model.description or ""
    return Document(f"{model.name} ({model.id})", subtitle, tuple(sections))


def _verdict_label(catalog: Catalog, membership: Membership) -> str:
    name = catalog.categories[membership.category].name
    return name if membership.verdict == "yes" else f"{name} ({membership.verdict})"


def verdict_text(catalog: Catalog, membership: Membership, mark: Callable[[Iterable[str]], str] | None = None,
                 every_view: bool = False) -> str:  # fmt: skip
    """A verdict in words: why; when the views disagree (or `every_view`), the verdict and each view, marked."""
    mark = mark or (lambda ids: "")
    if membership.verdict != "contested" and not every_view:
        return f"{membership.why} {mark(membership.sources)}".strip()
    means = next((p.means for p in catalog.verdicts.values() if p.id == membership.verdict), "")
    lines = [f"{VERDICT_MARKS[membership.verdict]} {membership.verdict}" + (f": {means}" if means else "")]
    if not every_view:
        lines = []  # a card's label already says 'contested'; its lines are the views
    for view in membership.views:
        lines.append(f"{VERDICT_MARKS[view.verdict]} {view.by}: {view.why.rstrip('.')}. {mark(view.sources)}".rstrip())
    return "\n".join(lines)


def _has_detail(model: Model) -> bool:
    """Whether the card leaves out derivations or notes that --detail would show."""
    stack = [q for q in (model.parameters, model.active_parameters, model.context_length, model.training_tokens) if q]
    while stack:
        quantity = stack.pop()
        if quantity.method or quantity.note:
            return True
        stack.extend(quantity.alternatives)
    return False


def family_document(catalog: Catalog, family: Family) -> Document:
    """A family card: what the family is and its members, one line each."""
    members = queries.family_members(catalog, family)
    myths = queries.myths_about(catalog, family.id)
    mark = _Markers([*family.sources, *(s for m in myths for s in m.sources)])
    org = catalog.organizations[family.organization].name
    rows = tuple(
        Field(
            m.id,
            " · ".join(
                part
                for part in (
                    m.name,
                    parameters_display(m.parameters),
                    m.released.date if m.released else "",
                    m.stage.value,
                    ", ".join(c for c, _ in queries.categories_of(catalog, m)),
                )
                if part
            ),
        )
        for m in members
    )
    sections = [
        Section("Family", fields=(Field("Organization", org), Field("Models", str(len(members))))),
        Section("Members", fields=rows, paragraphs=() if rows else ("No models of this family in the catalogue.",)),
    ]
    if myths:
        sections.append(
            Section("Myths", bullets=tuple(f"Myth: {m.claim}\nFact: {m.correction} {mark(m.sources)}" for m in myths))
        )
    sources = queries.sources_of(catalog, mark.numbers)
    sections.append(Section("Sources", bullets=tuple(f"[{mark.numbers[s.id]}] {s.title}\n{s.url}" for s in sources)))
    sections.append(Section("", paragraphs=(f"Show one: taxo show {members[0].id}",) if members else ()))
    return Document(f"{family.name} family ({family.id})", family.description, tuple(sections))
