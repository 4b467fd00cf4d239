"""Commands that explore the catalogue and the disk: list, search, timeline, chart, inspect. Each reads its options,
asks a query and emits the renderer's view."""

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
    _complete_categories,
    _complete_families,
    _complete_licenses,
    _complete_modalities,
    _complete_orgs,
    _complete_stages,
    _complete_weights,
    _derived,
    app,
)
from taxonomy_cli.errors import NotFound, UsageError


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


# The filter options, defined once: (parameter, its option, its default, explore.make_filters' keyword). A new
# filter is one line here and one keyword of make_filters; list, timeline and chart all take it.
_FILTERS = (
    ("category", CategoryOption, None, "categories"),
    ("org", OrgOption, None, "organizations"),
    ("family", FamilyOption, None, "families"),
    ("weights", WeightsOption, None, "weights"),
    ("stage", StageOption, None, "stages"),
    ("modality", ModalityOption, None, "modalities"),
    ("params", ParamsOption, None, "parameters"),
    ("since", SinceOption, None, "since"),
    ("until", UntilOption, None, "until"),
    ("license", LicenseOption, None, "licenses"),
    ("commercial", CommercialOption, False, "commercial"),
    ("moe", MoeOption, False, "moe"),
    ("active_params", ActiveParamsOption, None, "active"),
)


def _with_filters(command):  # noqa: ANN001, ANN202 - a typer command function
    """Give a command the filter options (after its own arguments, before --format), handed to it as one
    `filters` dict of make_filters' keywords, as sqlite-utils' shared output options are."""
    import functools
    import inspect

    signature = inspect.signature(command)
    own = [p for p in signature.parameters.values() if p.name != "filters"]
    at = next(n for n, p in enumerate(own) if p.name == "output_format")
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=option)
             for name, option, default, _ in _FILTERS]  # fmt: skip
    params = [*own[:at], *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in [*added, *own[at:]])]

    @functools.wraps(command)
    def with_filters(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        filters = {keyword: kwargs.pop(name) for name, _, _, keyword in _FILTERS}
        return command(*args, filters=filters, **kwargs)

    with_filters.__signature__ = signature.replace(parameters=params)
    with_filters.__annotations__ = {p.name: p.annotation for p in params} | {"return": None}
    return with_filters


def _select(ctx: typer.Context, filters: dict):  # noqa: ANN202 - explore.Selection
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
@_with_filters
def list_(
    ctx: typer.Context,
    filters: dict,
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
    import functools

    from taxonomy_cli import explore, render_list
    from taxonomy_cli.output import emit

    models_json = functools.cache(lambda: _derived(ctx, "models-json", render_list.models_json, tuple))  # read once
    given = [key for key, value in filters.items() if value]
    if given or sort is not SortKey.NAME or reverse:
        selection = _select(ctx, filters)
        ordered = tuple(m.id for m in explore.sort_models(selection.models, sort.value, reverse))
        excluded = selection.excluded
    else:  # every model by name: the order every model's cached JSON is kept in, without the listing's records
        ordered, excluded = models_json()[1], {}
    listed = ordered[:limit] if limit else ordered
    view = render_list.list_view(lambda: _catalog(ctx), listed, len(ordered), excluded, models_json, limit, given)
    emit(view, output_format.value, pager)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="Words to look for; typos are forgiven.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most N hits.")] = 20,
    output_format: TableFormatOption = TableFormat.AUTO,
    pager: PagerOption = False,
) -> None:
    """Search everything taxo knows, best match first.

    Models, families, organizations, architectures, terms, myths and sources; each hit says where it matched
    and the command to run next. An exact phrase ranks before a fuzzy fragment. No match: exit code 3.

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
    found = explore.search(_derived(ctx, "search", explore.search_index, dict), words, limit)
    if not found.matched:
        raise NotFound(f"nothing matches {words!r} (try a shorter or different word, or 'taxo list')")
    emit(render_list.search_view(words, found), output_format.value, pager)


@app.command()
@_with_filters
def timeline(
    ctx: typer.Context,
    filters: dict,
    by: Annotated[Period, typer.Option("--by", help="One column per year or per quarter.")] = Period.YEAR,
    group: Annotated[Grouping, typer.Option("--group", help="One row per category or per organization.")] = (
        Grouping.CATEGORY
    ),
    output_format: TableFormatOption = TableFormat.AUTO,
    pager: PagerOption = False,
) -> None:
    """Show how many models came out in each period.

    The release history, per category or organization.

    \b
    Examples:
      taxo timeline
      taxo timeline --by quarter --since 2023 --group org
      taxo timeline --format csv > releases.csv
    """
    from taxonomy_cli import explore, render_list, render_timeline
    from taxonomy_cli.output import emit

    selection = _select(ctx, filters)
    history = explore.timeline(_catalog(ctx), _models(ctx, selection.models), by.value, group.value)
    excluded = render_list.excluded_data(selection.excluded)
    notes = tuple(render_list.exclusion_notes(selection.excluded))
    emit(render_timeline.timeline_view(history, excluded, notes), output_format.value, pager)


@app.command()
@_with_filters
def chart(
    ctx: typer.Context,
    filters: dict,
    metric: Annotated[Metric, typer.Argument(help="params (parameter counts) or context (context length).")],
    output_format: TableFormatOption = TableFormat.AUTO,
    pager: PagerOption = False,
) -> None:
    """Draw models as bars on a log scale, with the size lines.

    The LLM/SLM lines the sources draw are marked; undisclosed sizes are listed apart.

    \b
    Examples:
      taxo chart params --category slm
      taxo chart params --org google --since 2023
      taxo chart context --format markdown
    """
    from taxonomy_cli import explore, render_chart, render_list
    from taxonomy_cli.output import emit

    selection = _select(ctx, filters)
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
    """Tell what a model on disk is, from its file headers.

    Exact parameter count, stage and categories. Reads headers, never weights.

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


