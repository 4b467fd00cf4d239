"""Commands about what a model or a term is: show, explain, compare, tree, myths, sources, validate. Each reads its
options, asks a query and emits the renderer's view."""

# No `from __future__ import annotations`: typer reads the annotations at every start-up (see cli_base.py).

from enum import Enum
from typing import Annotated, Optional

import typer

from taxonomy_cli.cli_base import (
    Format,
    FormatOption,
    PagerOption,
    TableFormat,
    TableFormatOption,
    _catalog,
    _complete_names,
    _completion_catalog,
    _completions,
    _session,
    app,
)
from taxonomy_cli.errors import CatalogError


@app.command()
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A model or family: id, name or alias.", autocompletion=_complete_names)],
    detail: Annotated[bool, typer.Option("--detail", help="Also show how each figure was derived, and the sources' "
                                         "notes.")] = False,
    output_format: FormatOption = Format.AUTO,
    pager: PagerOption = False,
) -> None:
    """Show a model card (or a family and its members), with sources.

    \b
    Examples:
      taxo show mistral-7b
      taxo show "Mistral 7B" --format json
      taxo show llama-3
    """
    from taxonomy_cli import queries, render_card
    from taxonomy_cli.output import emit

    catalog = _catalog(ctx)
    emit(render_card.card_view(catalog, queries.find(catalog, name), detail, name), output_format.value, pager)


def _complete_terms(incomplete: str) -> list[str]:
    """Shell completion: term ids."""
    loaded = _completion_catalog()
    return _completions(loaded.terms, incomplete) if loaded else []


class Level(str, Enum):
    ALL = "all"
    NEWCOMER = "newcomer"
    PLAIN = "plain"
    TECHNICAL = "technical"


@app.command()
def explain(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="A term: foundation, llm, slm, chat, rlhf, fine-tuning...",
                                        autocompletion=_complete_terms)],
    level: Annotated[Level, typer.Option("--level", "-l", help="all, newcomer (analogy + plain words), plain, "
                                         "or technical (sourced definition, relations).")] = Level.ALL,
    output_format: FormatOption = Format.AUTO,
    pager: PagerOption = False,
) -> None:
    """Explain a term, from an analogy to its sourced definition.

    Also its key characteristics, examples from the catalogue and the misconceptions to avoid.

    \b
    Examples:
      taxo explain foundation
      taxo explain "large language model" --level newcomer
      taxo explain rlhf --format json
    """
    from taxonomy_cli import queries, render_explain
    from taxonomy_cli.output import emit

    catalog = _catalog(ctx)
    found = queries.find_term(catalog, term)
    emit(render_explain.term_view(catalog, found, render_explain.Level(level.value)), output_format.value, pager)


def _complete_anything(incomplete: str) -> list[str]:
    """Shell completion: terms, models and families."""
    return sorted({*_complete_terms(incomplete), *_complete_names(incomplete)})


@app.command()
def compare(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help="Two or more categories (llm slm), models (mistral-7b phi-2), "
                                               "or a model and categories (phi-2 llm slm).",
                                               autocompletion=_complete_anything)],
    output_format: TableFormatOption = TableFormat.AUTO,
    pager: PagerOption = False,
) -> None:
    """Put categories or models side by side on the same axes.

    A model against categories gives the verdict (yes, no, contested, unknown) and every view behind it.

    \b
    Examples:
      taxo compare llm slm
      taxo compare foundation llm slm
      taxo compare mistral-7b phi-2 gemma-2b
      taxo compare phi-2 llm slm --format markdown
    """
    from taxonomy_cli import queries, render_compare
    from taxonomy_cli.output import emit

    catalog = _catalog(ctx)
    subjects = [queries.resolve(catalog, name) for name in names]
    emit(render_compare.compare_view(catalog, subjects), output_format.value, pager)


@app.command()
def tree(
    ctx: typer.Context,
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, max=3,
                                       help="1: categories, 2: and families, 3: and models.")] = 3,
    lineage: Annotated[bool, typer.Option("--lineage/--no-lineage", help="Also draw base → instruct → chat chains.")
                       ] = True,
    output_format: FormatOption = Format.AUTO,
    pager: PagerOption = False,
) -> None:
    """Draw the taxonomy of foundation models, and the lineage.

    The LLMs, SLMs and other kinds under foundation models, down to families and models; base → instruct → chat.

    \b
    Examples:
      taxo tree --depth 2
      taxo tree --no-lineage
      taxo tree --format json
    """
    from taxonomy_cli import render_tree
    from taxonomy_cli.output import emit

    emit(render_tree.tree_view(_catalog(ctx), depth, lineage), output_format.value, pager)


@app.command()
def myths(
    ctx: typer.Context,
    about: Annotated[Optional[str], typer.Argument(help="Only myths about this model, family or term.",
                                                   autocompletion=_complete_anything)] = None,
    output_format: TableFormatOption = TableFormat.AUTO,
    pager: PagerOption = False,
) -> None:
    """List wrong claims seen in articles, each corrected.

    Each myth is corrected from a primary source.

    \b
    Examples:
      taxo myths
      taxo myths gpt-4
      taxo myths --format json
    """
    from taxonomy_cli import queries, render_sources
    from taxonomy_cli.output import emit

    catalog = _catalog(ctx)
    emit(render_sources.myths_view(catalog, queries.myths_for(catalog, about), about), output_format.value, pager)


@app.command()
def sources(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A model, family or term.", autocompletion=_complete_anything)],
    output_format: TableFormatOption = TableFormat.AUTO,
    pager: PagerOption = False,
) -> None:
    """List every source behind a card, and what each supports.

    \b
    Examples:
      taxo sources mistral-7b
      taxo sources llm --format json
    """
    from taxonomy_cli import queries, render_sources
    from taxonomy_cli.output import emit

    catalog = _catalog(ctx)
    emit(render_sources.sources_view(catalog, queries.find_subject(catalog, name)), output_format.value, pager)


@app.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        Optional[list[str]],  # text, not Path: Path('') would quietly become the working directory
        typer.Argument(help="Catalogue files or folders to check on top of the bundled catalogue (default: it alone)."),
    ] = None,
    output_format: FormatOption = Format.AUTO,
) -> None:
    """Check catalogue files and list every problem found.

    Each problem as file:line: what.

    \b
    Examples:
      taxo validate
      taxo validate my-models.yaml
    """
    from taxonomy_cli import catalog, render_validate
    from taxonomy_cli.output import emit, resolve_format

    files = catalog.files([*_session(ctx).paths, *(paths or ())])
    try:
        loaded = catalog.load(files)
    except CatalogError as exc:
        if resolve_format(output_format.value) == "json":
            emit(render_validate.problems_view(len(files), exc.problems), "json")
        raise
    emit(render_validate.validation_view(len(files), loaded), output_format.value)


