"""`taxo compare`: categories on shared axes, models field by field, or models against categories."""

from __future__ import annotations

from taxonomy_cli import queries
from taxonomy_cli.document import Document, Grid, Section, Table, View
from taxonomy_cli.errors import UsageError
from taxonomy_cli.records import Catalog, Family, Model, Term, TermKind
from taxonomy_cli.render_card import parameters_display, verdict_text
from taxonomy_cli.shapes import fit_json
from taxonomy_cli.wording import short_name
from taxonomy_cli.units import short_context, short_count



def members(catalog: Catalog, subjects: list[Term | Model | Family]) -> list[Term | Model]:
    """What was named, with each family replaced by its models (each once, in the family's order)."""
    expanded: dict[str, Term | Model] = {}
    for subject in subjects:
        for item in queries.family_members(catalog, subject) if isinstance(subject, Family) else (subject,):
            expanded.setdefault(f"{type(item).__name__}:{item.id}", item)
    return list(expanded.values())


def split(subjects: list[Term | Model]) -> tuple[list[Model], list[Term]]:
    """Models and terms to compare; fewer than two things is a usage error."""
    if len(subjects) < 2:
        raise UsageError("compare needs at least two names, e.g. 'taxo compare llm slm' or 'taxo compare mistral-7b phi-2'")
    models = [s for s in subjects if isinstance(s, Model)]
    terms = [s for s in subjects if isinstance(s, Term)]
    if models and any(t.kind is not TermKind.CATEGORY for t in terms):
        odd = next(t for t in terms if t.kind is not TermKind.CATEGORY)
        raise UsageError(f"a model can only be compared with categories, and '{odd.id}' is a {odd.kind.value}")
    return models, terms


# -- the three comparisons as grids ------------------------------------------------------------------------------


def terms_grid(catalog: Catalog, terms: list[Term]) -> Grid:
    """Categories (or other terms) on the same axes, with examples drawn from the catalogue."""
    rows: list[tuple[str, ...]] = [("Definition", *(t.summary for t in terms))]
    for axis in catalog.axes:
        values = [dict(t.axes).get(axis.id, "—") for t in terms]
        if any(v != "—" for v in values):
            rows.append((axis.label, *values))
    lines = queries.size_lines(catalog)
    if any(line.category == t.id for t in terms for line in lines):
        rows.append(("Where the line falls", *("; ".join(f"{line.span}, by {line.by}" for line in lines
                                                          if line.category == t.id) or "—" for t in terms)))
    if any(t.kind is TermKind.CATEGORY for t in terms):
        rows.append(("In the catalogue", *(_figures_text(catalog, t) for t in terms)))
        rows.append(("Examples", *(_example_names(catalog, t) for t in terms)))
    return Grid(("", *(short_name(t.name) for t in terms)), tuple(rows))


def _figures_text(catalog: Catalog, term: Term) -> str:
    """A category's own models in one line: how many, their median training data and context window."""
    if term.kind is not TermKind.CATEGORY:
        return "—"
    figures = queries.category_figures(catalog, term.id)
    tokens, context = figures["training_tokens"], figures["context_length"]
    parts = [f"{figures['models']} models" + (f" ({figures['contested']} contested)" if figures["contested"] else "")]
    if tokens["known"]:
        parts.append(f"median training data {short_count(tokens['median'])} tokens")
    if context["known"]:
        parts.append(f"median context {short_context(context['median'])}")
    return "; ".join(parts)


def _example_names(catalog: Catalog, term: Term) -> str:
    if term.kind is not TermKind.CATEGORY:
        return "—"
    picks = queries.examples(catalog, term.id, limit=4)
    return ", ".join(f"{m.name} ({parameters_display(m.parameters)})" for m, _ in picks) or "—"


def _model_rows(catalog: Catalog, model: Model) -> dict[str, str]:
    p = model.parameters
    return {
        "Organization": catalog.organizations[model.organization].name,
        "Released": model.released.date if model.released else "—",
        "Parameters": f"{parameters_display(p)} ({p.status.value})" if p and p.value else parameters_display(p),
        "Active parameters": short_count(model.active_parameters.value)
        if model.active_parameters and model.active_parameters.value
        else "—",
        "Architecture": model.architecture,
        "Modalities": f"{', '.join(model.inputs)} → {', '.join(model.outputs)}",
        "Context length": short_context(model.context_length.value)
        if model.context_length and model.context_length.value
        else "—",
        "Training data": f"{short_count(model.training_tokens.value)} tokens"
        if model.training_tokens and model.training_tokens.value
        else "—",
        "Weights": model.weights.value,
        "Licence": model.license or "—",
        "Training stage": model.stage.value,
        "Base model": model.base_model or "—",
        "Categories": ", ".join(c for c, _ in queries.categories_of(catalog, model)) or "—",
    }


def models_grid(catalog: Catalog, models: list[Model]) -> Grid:
    """Card fields as rows, models as columns, rows whose values differ marked."""
    columns = [_model_rows(catalog, m) for m in models]
    labels = list(columns[0])
    rows = tuple((label, *(c[label] for c in columns)) for label in labels)
    differs = tuple(len({c[label] for c in columns}) > 1 for label in labels)
    return Grid(("", *(m.name for m in models)), rows, differs)


def fit_grid(catalog: Catalog, models: list[Model], terms: list[Term]) -> Grid:
    """Each model against each category: the verdict (yes, no, contested or unknown) and every view behind it."""
    rows = []
    for term in terms:
        cells = [verdict_text(catalog, queries.verdict(catalog, model, term.id), every_view=True) for model in models]
        rows.append((short_name(term.name), *cells))
    return Grid(("", *(m.name for m in models)), tuple(rows))


def compare_grid(catalog: Catalog, subjects: list[Term | Model]) -> tuple[str, Grid]:
    """The right comparison for what was named, with a title."""
    models, terms = split(subjects)
    if models and terms:
        return "Which categories fit, and why", fit_grid(catalog, models, terms)
    if models:
        return "Models side by side", models_grid(catalog, models)
    return "Side by side", terms_grid(catalog, terms)


def compare_document(catalog: Catalog, subjects: list[Term | Model]) -> Document:
    title, grid = compare_grid(catalog, subjects)
    names = " vs ".join(grid.columns[1:])
    note = f"{DIFFERS_NOTE}" if grid.differs and any(grid.differs) else ""
    return Document(f"{title}: {names}", note, (Section("", grid=grid),))


DIFFERS_NOTE = "≠ marks the rows where the models differ."


def compare_data(catalog: Catalog, subjects: list[Term | Model]) -> dict:
    """JSON: the compared ids, each row's values keyed by id, and for models their full `show` records."""
    from taxonomy_cli.render_card import model_data

    models, terms = split(subjects)
    title, grid = compare_grid(catalog, subjects)
    items = [s.id for s in subjects]
    kind = "fit" if models and terms else "models" if models else "terms"
    ids = [m.id for m in models] if kind == "fit" else items
    rows = [
        {"label": row[0], "values": dict(zip(ids, row[1:])), **({"differs": grid.differs[i]} if grid.differs else {})}
        for i, row in enumerate(grid.rows)
    ]
    data: dict = {"kind": kind, "title": title, "items": items, "rows": rows}
    if models:
        data["models"] = [model_data(catalog, m) for m in models]
    if kind == "fit":
        data["fits"] = [fit_json(m.id, queries.verdict(catalog, m, t.id)) for m in models for t in terms]
    return data


def compare_markdown(catalog: Catalog, subjects: list[Term | Model]) -> str:
    """A pipe table that pastes into docs (tabular's writer: pipes escaped, text made inert)."""
    from taxonomy_cli.tabular import to_markdown

    title, grid = compare_grid(catalog, subjects)
    columns = [(str(i), label) for i, label in enumerate(grid.columns)]
    rows = [
        {str(i): (f"**{value} ≠**" if i == 0 and grid.differs and grid.differs[n] else
                  f"**{value}**" if i == 0 else value) for i, value in enumerate(row)}
        for n, row in enumerate(grid.rows)
    ]  # fmt: skip
    return f"## {title}\n\n" + to_markdown(columns, rows)


def compare_rows(catalog: Catalog, subjects: list[Term | Model]) -> tuple[list, list[dict]]:
    """The comparison as flat columns and rows, for CSV: one row per aspect, one column per compared id."""
    data = compare_data(catalog, subjects)
    ids = list(data["rows"][0]["values"]) if data["rows"] else []
    columns = [("aspect", "aspect"), *((i, i) for i in ids)]
    if data["kind"] == "models":
        columns.append(("differs", "differs"))
    rows = [{"aspect": r["label"], **r["values"], **({"differs": r["differs"]} if "differs" in r else {})}
            for r in data["rows"]]  # fmt: skip
    return columns, rows


def compare_view(catalog: Catalog, subjects: list[Term | Model | Family]) -> View:
    """`taxo compare`: a grid of categories or models (markdown: a pipe table; CSV: one row per aspect); a family
    stands for its models."""
    subjects = members(catalog, subjects)
    split(subjects)  # a usage error now, before any output
    return View(
        lambda: compare_data(catalog, subjects),
        lambda: compare_document(catalog, subjects),
        markdown=lambda: compare_markdown(catalog, subjects),
        csv=lambda: Table(*compare_rows(catalog, subjects)),
    )
