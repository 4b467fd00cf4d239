"""`taxo list` and `taxo search`: records in, rows (for tables, CSV, markdown) or a JSON dict out."""

from __future__ import annotations

import json

from collections.abc import Callable, Mapping, Sequence

from taxonomy_cli import queries, render_card
from taxonomy_cli.document import STATUS_STYLES, Table, View
from taxonomy_cli.explore import EXCLUSION_REASONS, Found, Hit
from taxonomy_cli.records import Catalog, Model
from taxonomy_cli.units import short_context

# What a person reads in a table, plain text or markdown.
LIST_COLUMNS = (
    ("id", "ID"),
    ("name", "Name"),
    ("organization", "Organization"),
    ("released", "Released"),
    ("parameters", "Params"),
    ("active", "Active"),  # mixture-of-experts: parameters active per token; shown when a row has a figure
    ("context", "Context"),
    ("stage", "Stage"),
    ("weights", "Weights"),  # and what the licence allows: open · non-commercial
    ("categories", "Categories"),
)

_WITHOUT_ACTIVE = tuple(c for c in LIST_COLUMNS if c[0] != "active")  # a listing of dense models: nothing to show

# Left out of a terminal table, first named first, when the terminal is too narrow for every column.
LIST_OPTIONAL = ("active", "categories", "context", "weights", "stage", "released", "organization", "name")
# The column that shows what each filter asked about (make_filters' keywords): never dropped when narrow.
FILTER_COLUMNS = {"categories": "categories", "organizations": "organization", "families": "name",
                  "weights": "weights", "licenses": "weights", "commercial": "weights", "stages": "stage",
                  "parameters": "parameters", "active": "active", "moe": "active", "since": "released",
                  "until": "released"}  # fmt: skip

# What a spreadsheet or pandas reads: one flat row per model, raw numbers, lists joined with '; '.
CSV_COLUMNS = tuple(
    (key, key)
    for key in (
        "id", "name", "organization", "organization_id", "released", "parameters", "parameters_status",
        "active_parameters", "context_length", "architecture", "inputs", "outputs", "weights", "license", "stage",
        "family", "base_model", "categories", "contested_categories", "license_terms",
    )
)  # fmt: skip


def list_row(catalog: Catalog, model: Model) -> dict[str, object]:
    """A model as one line of a listing: short numbers, category ids."""
    return {
        "id": model.id,
        "name": model.name,
        "organization": catalog.organizations[model.organization].name,
        "released": model.released.date if model.released else "",
        "parameters": render_card.parameters_display(model.parameters),
        "active": render_card.parameters_display(model.active_parameters) if model.active_parameters else "",
        "context": _context_display(model),
        "stage": model.stage.value,
        "weights": model.weights.value + (f" · {terms}" if (terms := _license_terms(catalog, model)) else ""),
        "categories": ", ".join(c + (" (contested)" if word == "contested" else "")
                                for c, word in queries.categories_of(catalog, model)),  # fmt: skip
    }


def _license_terms(catalog: Catalog, model: Model) -> str | None:
    """What the weights' licence allows (osi, commercial, commercial-conditions, non-commercial), when known:
    shown beside 'open' so that nobody takes a research licence for an open one."""
    license_ = queries.license_of(catalog, model)
    return license_.terms.value if license_ else None


def _context_display(model: Model) -> str:
    quantity = model.context_length
    if quantity is None:
        return ""
    return short_context(quantity.value) if quantity.value else quantity.status.value




def list_styles(model: Model) -> dict[str, str]:
    """Colours for a terminal table: a size by how we know it (official, derived, estimate, undisclosed)."""
    status = model.parameters.status.value if model.parameters else ""
    active = model.active_parameters.status.value if model.active_parameters else ""
    return {"id": "bold", "parameters": STATUS_STYLES.get(status, "dim"), "active": STATUS_STYLES.get(active, "dim")}


def csv_row(catalog: Catalog, model: Model) -> dict[str, object]:
    """A model as one flat CSV row; `parameters_status` is 'unknown' when the catalogue has no figure."""
    parameters, active, context = model.parameters, model.active_parameters, model.context_length
    return {
        "id": model.id,
        "name": model.name,
        "organization": catalog.organizations[model.organization].name,
        "organization_id": model.organization,
        "released": model.released.date if model.released else None,
        "parameters": parameters.value if parameters else None,
        "parameters_status": parameters.status.value if parameters else "unknown",
        "active_parameters": active.value if active else None,
        "context_length": context.value if context else None,
        "architecture": model.architecture,
        "inputs": list(model.inputs),
        "outputs": list(model.outputs),
        "weights": model.weights.value,
        "license": model.license,
        "stage": model.stage.value,
        "family": model.family,
        "base_model": model.base_model,
        "categories": [c for c, _ in queries.categories_of(catalog, model)],
        "contested_categories": [c for c, word in queries.categories_of(catalog, model) if word == "contested"],
        "license_terms": _license_terms(catalog, model),
    }


def excluded_data(excluded: Mapping[str, Sequence[Model]]) -> dict[str, dict]:
    """What a filter left out for lack of a number: reason -> count, ids and why (a JSON contract)."""
    return {
        reason: {"count": len(models), "models": [m.id for m in models], "why": EXCLUSION_REASONS[reason]}
        for reason, models in excluded.items()
    }


def exclusion_notes(excluded: Mapping[str, Sequence[Model]]) -> list[str]:
    """One sentence per reason, for stderr: how many were left out, why, and how to see them."""
    notes = []
    for reason, models in excluded.items():
        count = f"{len(models)} model{'s' if len(models) != 1 else ''}"
        if reason.endswith("_parameters"):
            word = reason.split("_")[0]
            notes.append(f"{count} left out by --params: {EXCLUSION_REASONS[reason]} (list them with --params {word})")
        else:
            notes.append(f"{count} left out by --since/--until: {EXCLUSION_REASONS[reason]}")
    return notes


def models_json(catalog: Catalog) -> tuple[bytes, tuple[str, ...], dict[str, tuple[int, int]]]:
    """Every model's `show` JSON as json_text writes it, in UTF-8, joined by commas in the default listing order
    (by name), with that order and where each model's JSON lies: made once and cached (cache.derived), as building
    it is most of the cost of listing 10,000 models. A listing in that order is written as it is, in one piece; any
    other is put together from slices of it, without re-encoding."""
    from taxonomy_cli import explore
    from taxonomy_cli.safety import json_text

    order = tuple(m.id for m in explore.sort_models(explore.listing(catalog).models, "name"))
    pieces = [json_text(render_card.model_data(catalog, catalog.models[ident])).encode() for ident in order]
    spans: dict[str, tuple[int, int]] = {}
    at = 0
    for ident, piece in zip(order, pieces):
        spans[ident] = (at, at + len(piece))
        at += len(piece) + 1
    return b",".join(pieces), order, spans


def list_json(models_json: tuple[bytes, tuple[str, ...], dict[str, tuple[int, int]]], ids: Sequence[str],
              matched: int, excluded: Mapping[str, Sequence[Model]]) -> list[bytes | memoryview]:  # fmt: skip
    """`taxo list --format json` in UTF-8, in pieces to write one after the other (never joined: at 10,000 models
    the listing is 43 MB): {"models": each model in the `show` contract, "matched", "excluded"}, put together from
    each model's JSON made ahead (models_json): the one producer of a listing's JSON."""
    from taxonomy_cli.safety import json_text

    joined, order, spans = models_json
    rest = json_text({"matched": matched, "excluded": excluded_data(excluded)}).encode()  # b'{"matched":...}'
    if ids is order or tuple(ids) == order:
        return [b'{"models":[', joined, b"],", rest[1:]]
    whole = memoryview(joined)
    separated: list = [b","] * max(2 * len(ids) - 1, 0)  # model, comma, model...
    separated[::2] = [whole[slice(*spans[ident])] for ident in ids]
    return [b'{"models":[', b"".join(separated), b"],", rest[1:]]


# -- search ----------------------------------------------------------------------------------------------------

SEARCH_COLUMNS = (  # the id is in the command
    ("kind", "Kind"),
    ("name", "Name"),
    ("where", "Matched"),
    ("command", "See"),
)
SEARCH_OPTIONAL = ("kind", "name")
SEARCH_CSV_COLUMNS = tuple((key, key) for key in ("kind", "id", "name", "field", "matched", "score", "command"))


def hit_row(hit: Hit) -> dict[str, object]:
    """A search hit for people: where it matched as 'field: text'."""
    return {
        "kind": hit.kind,
        "id": hit.id,
        "name": hit.name,
        "where": f"{hit.field}: {hit.matched}",
        "command": hit.command,
        "field": hit.field,
        "matched": hit.matched,
        "score": hit.score,
    }


def hit_styles(hit: Hit) -> dict[str, str]:
    return {"name": "bold", "command": "cyan", "kind": "dim"}


def search_data(query: str, hits: Sequence[Hit], total: int) -> dict:
    """`taxo search --format json`: the hits, best first, with where each matched and the command to see it."""
    keys = ("kind", "id", "name", "field", "matched", "score", "command")
    return {"query": query, "matched": total, "hits": [{k: hit_row(h)[k] for k in keys} for h in hits]}


def list_view(catalog: Callable[[], Catalog], listed: Sequence[str], matched: int,
              excluded: Mapping[str, Sequence[Model]], models_json: Callable[[], tuple], limit: int | None,
              filtered: Sequence[str] = ()) -> View:  # fmt: skip
    """`taxo list`: the models `listed` (ids, chosen without the catalogue) drawn from the catalogue's records;
    JSON put together from each model's cached JSON, so a pipe never needs the catalogue at all."""

    def models() -> list[Model]:
        return [catalog().models[ident] for ident in listed]

    def table() -> Table:
        shown = models()
        rows = tuple(list_row(catalog(), m) for m in shown)
        kept = {FILTER_COLUMNS[f] for f in filtered if f in FILTER_COLUMNS}  # what the user filtered on stays
        optional = tuple(c for c in LIST_OPTIONAL if c not in kept)
        columns = LIST_COLUMNS if "active" in kept or any(r["active"] for r in rows) else _WITHOUT_ACTIVE
        return Table(columns, rows, tuple(list_styles(m) for m in shown), optional, whole=("id",))

    notes = exclusion_notes(excluded)
    if not matched:
        notes.append("no model matches these filters")
    elif len(listed) < matched:
        notes.append(f"showing {len(listed)} of {matched} models (--limit {limit})")
    return View(
        lambda: json.loads(b"".join(list_json(models_json(), listed, matched, excluded))),  # a terminal: indented
        table=table,
        csv=lambda: Table(CSV_COLUMNS, tuple(csv_row(catalog(), m) for m in models())),
        json_utf8=lambda: list_json(models_json(), listed, matched, excluded),
        notes=tuple(notes),
    )


def search_view(query: str, found: Found) -> View:
    """`taxo search`: the best hits (as many as asked for), each with where it matched and the command to see it."""
    shown, matched = found.hits, found.matched
    notes = (f"showing {len(shown)} of {matched} hits (--limit {matched} for all)",) if len(shown) < matched else ()
    rows = tuple(hit_row(h) for h in shown)
    return View(
        lambda: search_data(query, shown, matched),
        table=lambda: Table(SEARCH_COLUMNS, rows, tuple(hit_styles(h) for h in shown), SEARCH_OPTIONAL,
                            whole=("command",)),
        csv=lambda: Table(SEARCH_CSV_COLUMNS, rows),
        notes=notes,
    )
