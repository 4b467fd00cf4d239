"""`taxo explain`: a term as a Document for people, or a dict for JSON."""

from __future__ import annotations

from enum import Enum

from taxonomy_cli import queries
from taxonomy_cli.document import Document, Field, Section, View
from taxonomy_cli.records import Catalog, Term, TermKind
from taxonomy_cli.shapes import TermJSON, myth_json, sources_json
from taxonomy_cli.render_card import parameters_display
from taxonomy_cli.units import short_context, short_count
from taxonomy_cli.wording import short_name


class Level(str, Enum):
    """How deep an explanation goes."""

    ALL = "all"
    NEWCOMER = "newcomer"  # the analogy and the plain explanation
    PLAIN = "plain"  # the plain explanation, characteristics, examples, misconceptions
    TECHNICAL = "technical"  # the sourced definition, characteristics, relations, misconceptions


_SECTIONS = {
    Level.NEWCOMER: ("analogy", "plain"),
    Level.PLAIN: ("plain", "characteristics", "lines", "figures", "examples", "misconceptions"),
    Level.TECHNICAL: ("technical", "characteristics", "lines", "figures", "examples", "relations", "misconceptions"),
}
_ALL = ("analogy", "plain", "technical", "characteristics", "lines", "figures", "examples", "relations",
        "misconceptions")  # fmt: skip


def _lines(catalog: Catalog, term: Term) -> tuple[queries.SizeLine, ...]:
    """The size lines of every category that shares a size boundary with this one (LLM and SLM: each other's)."""
    lines = queries.size_lines(catalog)
    return lines if any(line.category == term.id for line in lines) else ()


def figures_fields(catalog: Catalog, category: str) -> tuple[Field, ...]:
    """The catalogue's own models of a category, in numbers: what they are trained on, read and how tuned."""
    figures = queries.category_figures(catalog, category)
    if not figures["models"]:
        return ()
    tokens, context, stages = figures["training_tokens"], figures["context_length"], figures["stages"]
    fields = [Field("Models", f"{figures['models']}" + (f", {figures['contested']} of them contested"
                                                         if figures["contested"] else ""))]  # fmt: skip
    if tokens["known"]:
        fields.append(Field("Training data", f"median {short_count(tokens['median'])} tokens ({short_count(tokens['min'])}"
                            f" to {short_count(tokens['max'])}; {tokens['known']} models disclose it)"))  # fmt: skip
    if context["known"]:
        fields.append(Field("Context window", f"median {short_context(context['median'])} tokens "
                            f"({short_context(context['min'])} to {short_context(context['max'])}); "
                            f"{figures['context_32k_or_more']} of {context['known']} read 32K or more"))  # fmt: skip
    fields.append(Field("Training stages", ", ".join(f"{n} {stage}" for stage, n in stages.items())))
    return tuple(fields)


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
        "size_lines": [
            {"category": line.category, "by": line.by, "span": line.span, "sources": list(line.sources)}
            for line in _lines(catalog, term)
        ],
        "figures": queries.category_figures(catalog, term.id) if term.kind is TermKind.CATEGORY else None,
        "examples": [
            {"id": m.id, "name": m.name, "parameters": parameters_display(m.parameters), "verdict": membership.verdict,
             "why": membership.why}
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
    lines = _lines(catalog, term)
    cited = (*term.technical_sources, *(s for line in lines for s in line.sources), *(s for m in myths for s in m.sources))
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
        "lines": lambda: Section(
            "Where the line falls (the sources disagree)",
            fields=tuple(Field(f"{short_name(catalog.terms[line.category].name)}, {line.by}",
                               f"{line.span} {mark(line.sources)}") for line in lines),
            paragraphs=("A model between the lines is contested: taxo compare MODEL llm slm shows each view.",)
            if lines else (),
        ),  # fmt: skip
        "figures": lambda: Section(f"In the catalogue: its {short_name(term.name)}s",
                                   fields=figures_fields(catalog, term.id) if term.kind is TermKind.CATEGORY else ()),
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
    sections = [section for name in wanted if (section := builders[name]()).fields or section.paragraphs
                or section.bullets]  # a term without size lines or models has no such sections  # fmt: skip
    used = [i for name in wanted if name in ("technical", "lines", "misconceptions")
            for i in _cited_by(name, term, myths, lines)]  # fmt: skip
    sources = queries.sources_of(catalog, used)
    if sources:
        sections.append(Section("Sources", bullets=tuple(f"[{numbers[s.id]}] {s.title}\n{s.url}" for s in sources)))
    return Document(term.name, term.summary, tuple(sections))


def _cited_by(section: str, term: Term, myths, lines) -> list[str]:
    if section == "technical":
        return list(term.technical_sources)
    if section == "lines":
        return [s for line in lines for s in line.sources]
    return [s for m in myths for s in m.sources]


def term_view(catalog: Catalog, term: Term, level: Level = Level.ALL) -> View:
    """`taxo explain`: the term at the level asked (JSON always carries every part)."""
    return View(lambda: term_data(catalog, term), lambda: term_document(catalog, term, level))
