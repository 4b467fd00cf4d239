"""The `taxo` command line: parse options, ask a query, pick a renderer, emit. Nothing else.

typer is pinned below 0.29: 0.29 builds pydantic adapters for every parameter at start-up, which costs more than
the rest of taxo together (see issue 9's measurements). `rich_markup_mode=None` keeps typer's rich help
formatter (and rich.markdown) out of every run.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations at each start-up, and
# string annotations must then be evaluated again each time (~0.5 ms per command).

import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Annotated, NoReturn, Optional

import typer

from taxonomy_cli import __version__
from taxonomy_cli.errors import CatalogError, ExitCode, NotFound, TaxoError, UsageError

# typer vendors click (since 0.26); its exception base is what usage errors derive from.
_ClickException = typer._click.ClickException
_NoArgsIsHelpError = typer._click.exceptions.NoArgsIsHelpError

DEBUG_VAR = "TAXO_DEBUG"
_WRITE_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EBADF, getattr(errno, "EDQUOT", errno.ENOSPC)}


class Format(str, Enum):
    AUTO = "auto"
    TABLE = "table"
    PLAIN = "plain"
    JSON = "json"


class TableFormat(str, Enum):
    """Formats of the listing commands (list, search, timeline, chart)."""

    AUTO = "auto"
    TABLE = "table"
    PLAIN = "plain"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class _TaxoGroup(typer.core.TyperGroup):
    """The one place that turns errors into a short message on stderr and a documented exit code."""

    def main(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - click's signature
        from taxonomy_cli.output import prepare_streams

        prepare_streams()
        try:
            return super().main(*args, **kwargs)
        except KeyboardInterrupt:  # outside typer's own handler (while it starts, or completes a word)
            sys.exit(ExitCode.INTERRUPTED)
        finally:
            _flush_output()

    def make_context(self, info_name, args, parent=None, **extra):  # noqa: ANN001, ANN003, ANN201
        debug = "--debug" in args  # looked at before parsing, which consumes the list
        with _errors_reported(lambda: debug or _debug_env()):
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):  # noqa: ANN001, ANN201 - click's signature
        with _errors_reported(lambda: bool(ctx.obj and ctx.obj.debug) or _debug_env()):
            return super().invoke(ctx)


@contextmanager
def _errors_reported(debugging: Callable[[], bool]) -> Iterator[None]:
    """Every error under here leaves as typer.Exit(code) after one short, inert message on stderr."""
    try:
        yield
    except TaxoError as exc:
        _report(exc)
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, _NoArgsIsHelpError):
        raise  # a finished command, or `taxo` alone printing its help
    except _ClickException as exc:  # usage errors: an unknown command or option, a bad value
        _report_usage(exc)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except BrokenPipeError:  # the reader has what it wanted (`taxo ... | head -1`): stop quietly
        from taxonomy_cli.output import silence_stdout

        silence_stdout()
        raise typer.Exit(ExitCode.OK) from None
    except OSError as exc:
        if exc.filename is None and exc.errno in _WRITE_ERRNOS:
            _output_failed(exc)
        if debugging():
            raise
        # Readers turn their OSErrors into TaxoErrors naming the path; one that slips through still gets a line.
        from taxonomy_cli.output import inert_line

        where = f"{exc.filename}: " if exc.filename is not None else ""
        sys.stderr.write(f"taxo: error: {_clip(inert_line(f'{where}cannot read: {exc.strerror or exc}'))}\n")
        raise typer.Exit(ExitCode.BAD_DATA) from None
    except Exception as exc:  # the last resort: never a traceback unless asked for
        if debugging():
            raise
        from taxonomy_cli.output import inert_line

        sys.stderr.write(
            f"taxo: error: unexpected {type(exc).__name__}: {_clip(inert_line(str(exc)))}\n"
            f"taxo: run again with --debug (or {DEBUG_VAR}=1) to see the full trace, and report it\n"
        )
        raise typer.Exit(ExitCode.ERROR) from None


def _debug_env() -> bool:
    return os.environ.get(DEBUG_VAR, "") not in ("", "0")


def _flush_output() -> None:
    """Flush stdout before exiting: a closed pipe is quiet, any other failure one line (and exit 1)."""
    from taxonomy_cli.output import silence_stdout

    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except (OSError, ValueError) as exc:
        _output_failed(exc)


def _output_failed(exc: Exception) -> NoReturn:
    """stdout cannot be written (a full disk, /dev/full): say so once, exit 1."""
    from taxonomy_cli.output import silence_stdout

    silence_stdout()
    sys.stderr.write(f"taxo: error: cannot write the output: {getattr(exc, 'strerror', None) or exc}\n")
    raise SystemExit(ExitCode.ERROR)


def _clip(message: str, limit: int = 1000) -> str:
    """A message stays short even when it quotes a huge value."""
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _report(exc: TaxoError) -> None:
    from taxonomy_cli.output import inert_line

    if isinstance(exc, CatalogError):
        problems = exc.problems
        shown = problems[:10]
        for problem in shown:
            sys.stderr.write(f"taxo: error: {_clip(inert_line(problem))}\n")
        if len(problems) > len(shown):
            sys.stderr.write(f"taxo: … and {len(problems) - len(shown)} more problems: run 'taxo validate' for all\n")
        return
    sys.stderr.write(f"taxo: error: {_clip(inert_line(str(exc)))}\n")


def _report_usage(exc: Exception) -> None:
    """A usage error as plain lines (never a rich box): what is wrong, the usage, where to get help."""
    from taxonomy_cli.output import inert, inert_line

    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    lines = [f"taxo: error: {_clip(inert_line(message))}"]
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(inert(ctx.get_usage()))
        lines.append(f"Try '{inert(ctx.command_path)} --help' for help.")
    sys.stderr.write("\n".join(lines) + "\n")


app = typer.Typer(
    cls=_TaxoGroup,
    name="taxo",
    help="Explain AI models: what a foundation model, an LLM or an SLM is, and what a given model really is.",
    epilog="Exit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 bad catalogue or model file, 130 interrupted.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# -- shared state ------------------------------------------------------------------------------------------------


def _session(ctx: typer.Context) -> "Session":  # noqa: F821 - session.Session, imported where it is made
    """This run's Session (made by the root callback)."""
    return ctx.find_root().obj


def _catalog(ctx: typer.Context):  # noqa: ANN202 - records.Catalog, imported lazily
    """The merged catalogue for this invocation (bundled + TAXO_CATALOG + --catalog), loaded once."""
    return _session(ctx).catalog()


def _derived(ctx: typer.Context, name: str, build, kind: type):  # noqa: ANN001, ANN202 - build(catalogue) -> kind
    """What `build` computes from this invocation's catalogue: from the cache when it can be, without even loading
    the catalogue (see cache.derived)."""
    return _session(ctx).derived(name, build, kind)


def _completion_catalog():
    """The catalogue for shell completion (bundled + TAXO_CATALOG), or None when it cannot be read."""
    from taxonomy_cli import cache, catalog

    try:
        return cache.load(catalog.files())
    except TaxoError:
        return None


def _completions(names, incomplete: str) -> list[str]:
    # Complete the last item of a comma list too: --org meta,goo<TAB>
    done, _, word = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return sorted(prefix + n for n in set(names) if n.startswith(word.lower()))


def _complete_names(incomplete: str) -> list[str]:
    """Shell completion: model and family ids (from the bundled catalogue and TAXO_CATALOG)."""
    loaded = _completion_catalog()
    return _completions([*loaded.models, *loaded.families], incomplete) if loaded else []


def _complete_orgs(incomplete: str) -> list[str]:
    loaded = _completion_catalog()
    return _completions(loaded.organizations, incomplete) if loaded else []


def _complete_families(incomplete: str) -> list[str]:
    loaded = _completion_catalog()
    return _completions(loaded.families, incomplete) if loaded else []


def _complete_categories(incomplete: str) -> list[str]:
    loaded = _completion_catalog()
    return _completions(loaded.categories, incomplete) if loaded else []


def _complete_licenses(incomplete: str) -> list[str]:
    loaded = _completion_catalog()
    return _completions(loaded.licenses, incomplete) if loaded else []


def _complete_stages(incomplete: str) -> list[str]:
    from taxonomy_cli.records import Stage

    return _completions([s.value for s in Stage], incomplete)


def _complete_weights(incomplete: str) -> list[str]:
    from taxonomy_cli.records import Weights

    return _completions([w.value for w in Weights], incomplete)


def _complete_modalities(incomplete: str) -> list[str]:
    from taxonomy_cli.records import INPUT_MODALITIES, OUTPUT_MODALITIES

    return _completions(INPUT_MODALITIES | OUTPUT_MODALITIES, incomplete)


def _version(value: bool) -> None:
    if not value:
        return
    from taxonomy_cli import catalog

    meta = catalog.load([catalog.bundled_dir() / "catalog.yaml"])
    sys.stdout.write(f"taxo {__version__} (catalogue reviewed for releases up to {meta.data_as_of})\n")
    raise typer.Exit()


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="auto (table on a terminal, plain when piped), table, plain or json.")
]

PagerOption = Annotated[bool, typer.Option("--pager", help="Page the output (only on a terminal; never when piped).")]

TableFormatOption = Annotated[
    TableFormat,
    typer.Option(
        "--format", "-f", help="auto (table on a terminal, plain when piped), table, plain, json, csv or markdown."
    ),
]


@app.callback()
def root(
    ctx: typer.Context,
    catalog_paths: Annotated[
        Optional[list[str]],  # text, not Path: Path('') would quietly become the working directory
        typer.Option(
            "--catalog",
            help="Extra catalogue YAML: a file or folder, read on top of the bundled one (repeatable; also "
            "TAXO_CATALOG, paths separated by ':'). Only ever read.",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full trace of an unexpected error.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and the data-as-of date."),
    ] = False,
) -> None:
    """Explain AI models: what a foundation model, an LLM or an SLM is, and what a given model really is."""
    from taxonomy_cli.session import Session

    ctx.obj = Session(catalog_paths or (), debug)


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
    emit(render_card.card_view(catalog, queries.find(catalog, name), detail), output_format.value, pager)


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
    """Explain a term: an analogy, plain words, the sourced definition, examples and misconceptions.

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
    """Put categories or models side by side on the same axes, or test a model against categories.

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
    """Draw the taxonomy: foundation models, the LLMs, SLMs and other kinds under them, and lineage.

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
    """List common wrong claims about models and terms, each corrected from a primary source.

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
    """List every source behind a card, and which fields each one supports.

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
    """Check catalogue files and list every problem found (file:line: what).

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


# -- exploring the catalogue: list, search, timeline, chart -------------------------------------------------


class SortKey(str, Enum):
    NAME = "name"
    RELEASED = "released"
    PARAMS = "params"
    ORG = "org"


class Period(str, Enum):
    YEAR = "year"
    QUARTER = "quarter"


class Grouping(str, Enum):
    CATEGORY = "category"
    ORG = "org"


class Metric(str, Enum):
    PARAMS = "params"
    CONTEXT = "context"



def _filter_option(flag: str, text: str, metavar: str, complete):  # noqa: ANN001, ANN202 - a typer annotation
    """A repeatable filter option (`--org meta --org google`, or `--org meta,google`) with completion."""
    return Annotated[Optional[list[str]], typer.Option(flag, help=text, metavar=metavar, autocompletion=complete)]


CategoryOption = _filter_option(
    "--category", "A category: foundation, llm, slm, chat…", "CATEGORY", _complete_categories
)
OrgOption = _filter_option("--org", "An organization: id, name or alias (meta, 'Mistral AI').", "ORG", _complete_orgs)
FamilyOption = _filter_option("--family", "A family: id, name or alias (llama-3).", "FAMILY", _complete_families)
WeightsOption = _filter_option("--weights", "open, gated, api or unreleased.", "WEIGHTS", _complete_weights)
StageOption = _filter_option("--stage", "base, instruct or chat.", "STAGE", _complete_stages)
ModalityOption = _filter_option(
    "--modality", "In or out: text, code, image, audio, video, embedding…", "MODALITY", _complete_modalities
)
ParamsOption = Annotated[
    Optional[str],
    typer.Option("--params", help="Parameter range LOW..HIGH, inclusive, units K M B T, either end optional "
                 "(1B..10B, 7B.., ..500M); or 'undisclosed' / 'unknown'. Models without a disclosed size are left "
                 "out and counted on stderr.", metavar="RANGE"),
]  # fmt: skip
SinceOption = Annotated[
    Optional[str],
    typer.Option("--since", help="Released on or after: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn.", metavar="DATE"),
]
LicenseOption = _filter_option(
    "--license", "A licence: SPDX id or name (Apache-2.0, 'Llama 3.1 Community License'); any of several.", "LICENSE",
    _complete_licenses,
)
CommercialOption = Annotated[
    bool, typer.Option("--commercial", help="Only models whose licence allows commercial use (with or without "
                       "conditions: see the Licence column).")  # fmt: skip
]
MoeOption = Annotated[bool, typer.Option("--moe", help="Only mixture-of-experts models (those with an active count).")]
ActiveParamsOption = Annotated[
    Optional[str],
    typer.Option("--active-params", help="Parameters active per token, LOW..HIGH as for --params (a dense model's are "
                 "all of them).", metavar="RANGE"),
]  # fmt: skip
UntilOption = Annotated[
    Optional[str],
    typer.Option("--until", help="Released on or before (the whole period named): 2024, 2024-06.", metavar="DATE"),
]


def _select(ctx: typer.Context, **filters: object):  # noqa: ANN202 - explore.Selection
    """The models the filter options keep (and those left out for lack of a number), as records.Listed: chosen
    from the cached listing, without loading the catalogue. `filters` are explore.make_filters' keywords."""
    from taxonomy_cli import explore
    from taxonomy_cli.records import Listing

    listed = _derived(ctx, "listing", explore.listing, Listing)
    return explore.select(listed, explore.make_filters(listed, **filters))


def _models(ctx: typer.Context, listed) -> tuple:  # noqa: ANN001
    """The catalogue's records of models chosen as records.Listed."""
    models = _catalog(ctx).models
    return tuple(models[m.id] for m in listed)


@app.command(name="list")
def list_(
    ctx: typer.Context,
    category: CategoryOption = None,
    org: OrgOption = None,
    family: FamilyOption = None,
    weights: WeightsOption = None,
    stage: StageOption = None,
    modality: ModalityOption = None,
    params: ParamsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    license: LicenseOption = None,
    commercial: CommercialOption = False,
    moe: MoeOption = False,
    active_params: ActiveParamsOption = None,
    sort: Annotated[SortKey, typer.Option("--sort", help="Order by name, released, params or org.")] = SortKey.NAME,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order (unknowns stay last).")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="Show at most N models.")] = None,
    output_format: TableFormatOption = TableFormat.AUTO,
    pager: PagerOption = False,
) -> None:
    """List models, filtered and sorted.

    Filters combine: every option given must match. An option given several values (repeated, or separated by
    commas: --org meta,google) matches any of them.

    \b
    Examples:
      taxo list --category slm --sort params
      taxo list --org meta --weights open --params 1B..10B
      taxo list --since 2024 --modality image --format csv > models.csv
    """
    from taxonomy_cli import explore, render_list
    from taxonomy_cli.output import emit

    selection = _select(ctx, categories=category, organizations=org, families=family, weights=weights, stages=stage,
                         modalities=modality, parameters=params, since=since, until=until, licenses=license,
                         commercial=commercial, moe=moe, active=active_params)
    ordered = explore.sort_models(selection.models, sort.value, reverse)
    listed = ordered[:limit] if limit else ordered
    models_json = lambda: _derived(ctx, "models-json", render_list.models_json, dict)  # noqa: E731
    view = render_list.list_view(lambda: _catalog(ctx), listed, len(ordered), selection.excluded, models_json, limit)
    emit(view, output_format.value, pager)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="Words to look for; typos are forgiven.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most N hits.")] = 20,
    output_format: TableFormatOption = TableFormat.AUTO,
    pager: PagerOption = False,
) -> None:
    """Search models, families, organizations, architectures, terms and myths, best match first.

    Each hit says where it matched and the command that shows it. No match: exit code 3.

    \b
    Examples:
      taxo search mistrall
      taxo search mixture of experts
      taxo search "small language model" --format json
    """
    from taxonomy_cli import explore, render_list
    from taxonomy_cli.errors import NotFound
    from taxonomy_cli.output import emit

    words = " ".join(query)
    hits = explore.search(_derived(ctx, "search", explore.search_index, dict), words)
    if not hits:
        raise NotFound(f"nothing matches {words!r} (try a shorter or different word, or 'taxo list')")
    emit(render_list.search_view(words, hits, limit), output_format.value, pager)


@app.command()
def timeline(
    ctx: typer.Context,
    by: Annotated[Period, typer.Option("--by", help="One column per year or per quarter.")] = Period.YEAR,
    group: Annotated[Grouping, typer.Option("--group", help="One row per category or per organization.")] = (
        Grouping.CATEGORY
    ),
    category: CategoryOption = None,
    org: OrgOption = None,
    family: FamilyOption = None,
    weights: WeightsOption = None,
    stage: StageOption = None,
    modality: ModalityOption = None,
    params: ParamsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    license: LicenseOption = None,
    commercial: CommercialOption = False,
    moe: MoeOption = False,
    active_params: ActiveParamsOption = None,
    output_format: TableFormatOption = TableFormat.AUTO,
    pager: PagerOption = False,
) -> None:
    """The release history: how many models came out in each period, per category or organization.

    \b
    Examples:
      taxo timeline
      taxo timeline --by quarter --since 2023 --group org
      taxo timeline --format csv > releases.csv
    """
    from taxonomy_cli import explore, render_list, render_timeline
    from taxonomy_cli.output import emit

    selection = _select(ctx, categories=category, organizations=org, families=family, weights=weights, stages=stage,
                         modalities=modality, parameters=params, since=since, until=until, licenses=license,
                         commercial=commercial, moe=moe, active=active_params)
    history = explore.timeline(_catalog(ctx), _models(ctx, selection.models), by.value, group.value)
    excluded = render_list.excluded_data(selection.excluded)
    notes = tuple(render_list.exclusion_notes(selection.excluded))
    emit(render_timeline.timeline_view(history, excluded, notes), output_format.value, pager)


@app.command()
def chart(
    ctx: typer.Context,
    metric: Annotated[Metric, typer.Argument(help="params (parameter counts) or context (context length).")],
    category: CategoryOption = None,
    org: OrgOption = None,
    family: FamilyOption = None,
    weights: WeightsOption = None,
    stage: StageOption = None,
    modality: ModalityOption = None,
    params: ParamsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    license: LicenseOption = None,
    commercial: CommercialOption = False,
    moe: MoeOption = False,
    active_params: ActiveParamsOption = None,
    output_format: TableFormatOption = TableFormat.AUTO,
    pager: PagerOption = False,
) -> None:
    """Models as bars on a log scale, with the LLM/SLM lines the sources draw; undisclosed sizes listed apart.

    \b
    Examples:
      taxo chart params --category slm
      taxo chart params --org google --since 2023
      taxo chart context --format markdown
    """
    from taxonomy_cli import explore, render_chart, render_list
    from taxonomy_cli.output import emit

    selection = _select(ctx, categories=category, organizations=org, families=family, weights=weights, stages=stage,
                         modalities=modality, parameters=params, since=since, until=until, licenses=license,
                         commercial=commercial, moe=moe, active=active_params)
    catalog = _catalog(ctx)
    bars = explore.chart(catalog, _models(ctx, selection.models), metric.value)
    excluded = render_list.excluded_data(selection.excluded)
    notes = tuple(render_list.exclusion_notes(selection.excluded))
    emit(render_chart.chart_view(catalog, bars, excluded, notes), output_format.value, pager)


@app.command("inspect")
def inspect_command(
    ctx: typer.Context,
    path: Annotated[
        Optional[str],
        typer.Argument(help="A model folder, a .safetensors or .gguf file, or a cached Hugging Face model id."),
    ] = None,
    hf_cache: Annotated[
        bool, typer.Option("--hf-cache", help="List every model in the local Hugging Face cache, one row each.")
    ] = False,
    output_format: FormatOption = Format.AUTO,
    pager: PagerOption = False,
) -> None:
    """Tell what a model on disk is: exact parameter count, stage, categories. Reads headers, never weights.

    \b
    Examples:
      taxo inspect ./Mistral-7B-v0.1
      taxo inspect mistral-7b-v0.1.Q4_K_M.gguf --format json
      taxo inspect mistralai/Mistral-7B-v0.1
      taxo inspect --hf-cache
    """
    from taxonomy_cli import inspect_files, inspect_queries, render_inspect
    from taxonomy_cli.output import emit

    if hf_cache == (path is not None):
        raise UsageError("give a PATH to inspect, or --hf-cache to list the Hugging Face cache (not both)")
    catalog = _catalog(ctx)
    if not hf_cache:
        inspection = inspect_queries.identify(catalog, inspect_files.load(path))
        emit(render_inspect.inspection_view(inspection), output_format.value, pager)
        return
    from taxonomy_cli import hf_cache as cache

    root = cache.location()
    if not root.is_dir():
        raise NotFound(f"no Hugging Face cache at {root} (set HF_HUB_CACHE or HF_HOME to where it is)")
    found = inspect_files.cached_repos(root)
    rows = inspect_queries.identify_cached(catalog, inspect_files.read_cache(found[: cache.MAX_REPOS]))
    view = render_inspect.cache_view(str(root), rows, len(found) > cache.MAX_REPOS, cache.MAX_REPOS)
    emit(view, output_format.value, pager)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="taxo")


__all__ = ["app", "main", "UsageError"]
