"""One JSON shape per kind of record, written by one function each and described here as TypedDicts.

A command that adds context to a record (a source's `supports` on a card) nests the record beside it
({"source": {...}, "supports": [...]}) rather than growing a second shape. tests/test_json_contract.py checks every
command's JSON against these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from taxonomy_cli import queries
from taxonomy_cli.records import Catalog, Membership, Myth, Source


class SourceJSON(TypedDict):
    id: str
    title: str
    url: str
    kind: str  # paper | model-card | config | announcement | report | docs | repository
    date: str | None


class MythJSON(TypedDict):
    id: str
    claim: str
    correction: str
    about: list[str]  # model, family or term ids
    sources: list[SourceJSON]


class CitedSourceJSON(TypedDict):
    """A source on a card, with the fields of the card it supports (`taxo sources`)."""

    source: SourceJSON
    supports: list[str]


def source_json(source: Source) -> SourceJSON:
    return {"id": source.id, "title": source.title, "url": source.url, "kind": source.kind.value, "date": source.date}


def sources_json(catalog: Catalog, ids: Iterable[str]) -> list[SourceJSON]:
    """The sources named by `ids`, in order, each once."""
    return [source_json(s) for s in queries.sources_of(catalog, ids)]


def myth_json(catalog: Catalog, myth: Myth) -> MythJSON:
    return {
        "id": myth.id,
        "claim": myth.claim,
        "correction": myth.correction,
        "about": list(myth.about),
        "sources": sources_json(catalog, myth.sources),
    }


class QuantityJSON(TypedDict):
    value: int | None
    status: str  # official | derived | estimate | undisclosed
    display: str
    method: str | None
    estimate_by: str | None
    note: str | None
    sources: list[str]  # source ids (the card's `sources` has them in full)
    alternatives: list["QuantityJSON"]


class ViewJSON(TypedDict):
    """One holder's view on a model and a category: a size line or definition applied, or someone's own words."""

    verdict: str  # yes | no
    by: str
    why: str
    sources: list[str]


class CategoryJSON(TypedDict):
    """A category a model is in (verdict yes) or may be in (contested): why, and every view that decides."""

    id: str
    verdict: str  # yes | contested
    why: str
    rule: str | None
    judged_by: str | None
    sources: list[str]
    views: list[ViewJSON]


class FitJSON(TypedDict):
    """`taxo compare MODEL CATEGORY --format json`: the verdict on one model and one category."""

    model: str
    category: str
    fits: bool | None  # null when contested or unknown
    verdict: str  # yes | no | contested | unknown
    why: str
    views: list[ViewJSON]


def views_json(membership: Membership) -> list[ViewJSON]:
    """The views that decide (yes or no); a line that cannot be applied is in `why`, not a view."""
    return [
        {"verdict": v.verdict, "by": v.by, "why": v.why, "sources": list(v.sources)}
        for v in membership.views
        if v.verdict in ("yes", "no")
    ]


def category_json(membership: Membership) -> CategoryJSON:
    return {
        "id": membership.category,
        "verdict": membership.verdict,
        "why": membership.why,
        "rule": membership.rule,
        "judged_by": membership.judged_by,
        "sources": list(membership.sources),
        "views": views_json(membership),
    }


def fit_json(model: str, membership: Membership) -> FitJSON:
    fits = {"yes": True, "no": False}.get(membership.verdict)
    return {"model": model, "category": membership.category, "fits": fits, "verdict": membership.verdict,
            "why": membership.why, "views": views_json(membership)}  # fmt: skip


class ParametersJSON(QuantityJSON):
    active: int | None
    active_detail: QuantityJSON | None


class ModelJSON(TypedDict):
    """`taxo show MODEL --format json`, and each model of `list --format json`."""

    id: str
    kind: str  # "model"
    name: str
    organization: str
    organization_id: str
    released: str | None
    parameters: ParametersJSON
    context_length: int | None
    context_length_detail: QuantityJSON | None
    training_tokens: int | None
    training_tokens_detail: QuantityJSON | None
    architecture: str
    architecture_notes: str | None
    modalities: dict[str, list[str]]  # {"input": [...], "output": [...]}
    weights: str
    license: str | None
    license_terms: str | None  # osi | commercial | commercial-conditions | non-commercial
    stage: str
    base_model: str | None
    lineage: list[str]
    lineage_note: str | None
    family: str | None
    aliases: list[str]
    hf_repos: list[str]
    api_ids: list[str]
    description: str
    knowledge_cutoff: str | None
    categories: list[CategoryJSON]
    product_models: list[dict]  # a product (ChatGPT): [{"model", "since", "note", "sources"}], else []
    myths: list[MythJSON]
    sources: list[SourceJSON]


class FamilyJSON(TypedDict):
    """`taxo show FAMILY --format json`."""

    id: str
    kind: str  # "family"
    name: str
    organization: str
    organization_id: str
    released: str | None
    description: str
    aliases: list[str]
    members: list[str]
    member_details: list[dict]
    myths: list[MythJSON]
    sources: list[SourceJSON]


class TermJSON(TypedDict):
    """`taxo explain TERM --format json`."""

    id: str
    kind: str  # "term"
    term_kind: str
    name: str
    aliases: list[str]
    summary: str
    analogy: str
    plain: str
    technical: dict  # {"text", "sources": [SourceJSON]}
    characteristics: list[dict]
    size_lines: list[dict]  # {"category", "by", "span", "sources"}: where each source draws a category's size line
    figures: dict | None  # a category's models in the catalogue: counts, training tokens, context, stages
    examples: list[dict]  # {"id", "name", "parameters", "verdict", "why"}
    relations: list[dict]
    misconceptions: list[MythJSON]
    sources: list[SourceJSON]
