"""`taxo explain`: a term as a Document for people, or a dict for JSON."""

from __future__ import annotations

from enum import Enum

from taxonomy_cli import queries
from taxonomy_cli.document import Document, Field, Section, View
from taxonomy_cli.records import Catalog, Term, TermKind
from taxonomy_cli.shapes import TermJSON, myth_json, sources_json
from taxonomy_cli.render_card import parameters_display


class Level(str, Enum):
    """How deep an explanation goes."""

    ALL = "all"
    NEWCOMER = "newcomer"  # the analogy and the plain explanation
    PLAIN = "plain"  # the plain explanation, characteristics, examples, misconceptions
    TECHNICAL = "technical"  # the sourced definition, characteristics, relations, misconceptions


_SECTIONS = {
    Level.NEWCOMER: ("analogy", "plain"),
    Level.PLAIN: ("plain", "characteristics", "examples", "misconceptions"),
    Level.TECHNICAL: ("technical", "characteristics", "examples", "relations", "misconceptions"),
}
_ALL = ("analogy", "plain", "technical", "characteristics", "examples", "relations", "misconceptions")


def _examples(catalog: Catalog, term: Term):
    if term.kind is not TermKind.CATEGORY:
        return ()
    return queries.examples(catalog, term.id)


def term_data(catalog: Catalog, term: Term) -> TermJSON:
    """The JSON shape of an explanation (stable keys)."""
    myths = queries.myths_about(catalog, term.id)
    return {
        "id": term.id,
        "kind": "term",
        "term_kind": term.kind.value,
        "name": term.name,
        "aliases": list(term.aliases),
        "summary": term.summary,
        "analogy": term.analogy,
        "plain": term.plain,
        "technical": {"text": term.technical, "sources": sources_json(catalog, term.technical_sources)},
        "characteristics": [{"name": n, "text": t} for n, t in term.characteristics],
        "examples": [
            {"id": m.id, "name": m.name, "parameters": parameters_display(m.parameters), "why": membership.why}
            for m, membership in _examples(catalog, term)
        ],
        "relations": [
            {"relation": r.relation, "term": r.term, "name": catalog.terms[r.term].name} for r in term.relations
        ],
        "misconceptions": [myth_json(catalog, m) for m in myths],
        "sources": sources_json(catalog, term.sources),
    }


def term_document(catalog: Catalog, term: Term, level: Level = Level.ALL) -> Document:
    """The explanation, newcomer-first, so the first screen already answers 'what is it?'."""
    wanted = _ALL if level is Level.ALL else _SECTIONS[level]
    myths = queries.myths_about(catalog, term.id)
    cited = (*term.technical_sources, *(s for m in myths for s in m.sources))
    numbers = {ident: n for n, ident in enumerate(dict.fromkeys(cited), start=1)}

    def mark(ids) -> str:
        return "".join(f"[{n}]" for n in sorted({numbers[i] for i in ids if i in numbers}))

    builders = {
        "analogy": lambda: Section("In a picture", paragraphs=(term.analogy,)),
        "plain": lambda: Section("In plain words", paragraphs=(term.plain,)),
        "technical": lambda: Section("Technically", paragraphs=(f"{term.technical} {mark(term.technical_sources)}",)),
        "characteristics": lambda: Section(
            "Key characteristics", fields=tuple(Field(name, text) for name, text in term.characteristics)
        ),
        "examples": lambda: Section(
            "Examples from the catalogue",
            fields=tuple(
                Field(f"{m.name} ({parameters_display(m.parameters)})", membership.why)
                for m, membership in _examples(catalog, term)
            ),
            paragraphs=(f"All of them: taxo list --category {term.id}",) if _examples(catalog, term) else (),
        ),
        "relations": lambda: Section(
            "How it relates",
            bullets=tuple(f"{term.name} {r.relation} {catalog.terms[r.term].name} (taxo explain {r.term})"
                          for r in term.relations),
        ),  # fmt: skip
        "misconceptions": lambda: Section(
            "Common misconceptions",
            bullets=tuple(f"Wrong: {m.claim}\nRight: {m.correction} {mark(m.sources)}" for m in myths),
        ),
    }
    sections = [builders[name]() for name in wanted]
    used = [i for name in wanted if name in ("technical", "misconceptions") for i in _cited_by(name, term, myths)]
    sources = queries.sources_of(catalog, used)
    if sources:
        sections.append(Section("Sources", bullets=tuple(f"[{numbers[s.id]}] {s.title}\n{s.url}" for s in sources)))
    return Document(term.name, term.summary, tuple(sections))


def _cited_by(section: str, term: Term, myths) -> list[str]:
    if section == "technical":
        return list(term.technical_sources)
    return [s for m in myths for s in m.sources]


def term_view(catalog: Catalog, term: Term, level: Level = Level.ALL) -> View:
    """`taxo explain`: the term at the level asked (JSON always carries every part)."""
    return View(lambda: term_data(catalog, term), lambda: term_document(catalog, term, level))
