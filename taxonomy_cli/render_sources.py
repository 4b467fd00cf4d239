"""`taxo myths` and `taxo sources`: corrections and provenance, for people and for JSON."""

from __future__ import annotations

from taxonomy_cli import queries
from taxonomy_cli.document import Document, Field, Section, Table, View
from taxonomy_cli.wording import counted
from taxonomy_cli.records import Catalog, Family, Model, Myth, Term
from taxonomy_cli.shapes import myth_json, source_json


def myths_document(catalog: Catalog, myths: tuple[Myth, ...], about: str | None) -> Document:
    """Each wrong claim, its correction and where the correction comes from."""
    bullets = []
    for myth in myths:
        sources = "; ".join(f"{s.title} <{s.url}>" for s in queries.sources_of(catalog, myth.sources))
        subjects = ", ".join(myth.about)
        bullets.append(f"Myth: {myth.claim}\nFact: {myth.correction}\nAbout: {subjects}\nSource: {sources}")
    title = f"Myths about {queries.find_subject(catalog, about).name}" if about else "Common myths, corrected"
    summary = f"{counted(len(myths), 'wrong claim')} seen in articles about AI models, each corrected from a primary source."
    empty = ("No myths about this in the catalogue.",) if not myths else ()
    return Document(title, summary, (Section("", bullets=tuple(bullets), paragraphs=empty),))


def sources_data(catalog: Catalog, record: Model | Family | Term) -> dict:
    """`taxo sources --format json`: each source in its one shape, beside the fields of the card it supports."""
    return {
        "id": record.id,
        "kind": "model" if isinstance(record, Model) else "family" if isinstance(record, Family) else "term",
        "sources": [{"source": source_json(s), "supports": list(f)} for s, f in queries.source_usage(catalog, record)],
    }


def sources_document(catalog: Catalog, record: Model | Family | Term) -> Document:
    """Every source behind a card and the fields each supports."""
    usage = queries.source_usage(catalog, record)
    fields = tuple(
        Field(f"[{n}]", f"{s.title}\n{s.url}\n{s.kind.value}{', ' + s.date if s.date else ''} · supports: {', '.join(f)}")
        for n, (s, f) in enumerate(usage, start=1)
    )
    name = record.name
    return Document(f"Sources for {name} ({record.id})", f"{len(usage)} sources", (Section("", fields=fields),))


MYTH_COLUMNS = [("id", "Id"), ("claim", "Myth"), ("correction", "Correction"), ("about", "About"), ("sources", "Sources")]
SOURCE_COLUMNS = [("id", "Id"), ("title", "Title"), ("url", "URL"), ("kind", "Kind"), ("date", "Date"),
                  ("supports", "Supports")]  # fmt: skip


def myth_rows(catalog: Catalog, myths: tuple[Myth, ...]) -> list[dict]:
    """One flat row per myth, for csv and markdown."""
    return [{**myth_json(catalog, m), "sources": [s.url for s in queries.sources_of(catalog, m.sources)]} for m in myths]


def source_rows(catalog: Catalog, record: Model | Family | Term) -> list[dict]:
    """One flat row per source, for csv and markdown."""
    return [{**source_json(s), "supports": list(f)} for s, f in queries.source_usage(catalog, record)]


def myths_view(catalog: Catalog, myths: tuple[Myth, ...], about: str | None) -> View:
    """`taxo myths`."""
    return View(
        lambda: [myth_json(catalog, m) for m in myths],
        lambda: myths_document(catalog, myths, about),
        table=lambda: Table(tuple(MYTH_COLUMNS), tuple(myth_rows(catalog, myths))),
    )


def sources_view(catalog: Catalog, record: Model | Family | Term) -> View:
    """`taxo sources`."""
    return View(
        lambda: sources_data(catalog, record),
        lambda: sources_document(catalog, record),
        table=lambda: Table(tuple(SOURCE_COLUMNS), tuple(source_rows(catalog, record))),
    )
