"""One JSON shape per kind of record, written by one function each and described here as TypedDicts.

A command that adds context to a record (a source's `supports` on a card) nests the record beside it
({"source": {...}, "supports": [...]}) rather than growing a second shape. tests/test_json_contract.py checks every
command's JSON against these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from taxonomy_cli import queries
from taxonomy_cli.records import Catalog, Myth, Source


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
