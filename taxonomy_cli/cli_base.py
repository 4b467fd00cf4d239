"""The `taxo` command line's frame: the app, its one error handler, the root options, the shared options and
completion, the per-run session. The commands themselves are in commands_cards.py and commands_explore.py.

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
from taxonomy_cli.errors import CatalogError, ExitCode, TaxoError

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
            _unfreeze()

    def make_context(self, info_name, args, parent=None, **extra):  # noqa: ANN001, ANN003, ANN201
        debug = "--debug" in args  # looked at before parsing, which consumes the list
        with _errors_reported(lambda: debug or _debug_env()):
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):  # noqa: ANN001, ANN201 - click's signature
        with _errors_reported(lambda: bool(ctx.obj and ctx.obj.debug) or _debug_env()):
            return super().invoke(ctx)


def _unfreeze() -> None:
    """Hand what a run froze (cache._unpickle freezes what it loaded, to spare the collector) back to the collector,
    and let the cache free the files earlier runs mapped: in a process that runs taxo again and again (tests, a
    plugin), a finished run's cycles and open files do not pile up. A command-line run is over by now: it costs
    nothing there."""
    import gc

    gc.unfreeze()
    cache = sys.modules.get("taxonomy_cli.cache")  # not imported: nothing was read from the cache
    if cache is not None:
        cache.tidy()


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
    epilog="Exit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 bad catalogue, model or article file, 5 check "
    "found wrong claims, 130 interrupted.",
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


def _completion_catalog(lookups: bool = False):  # noqa: ANN202 - a Catalog, imported lazily
    """The catalogue for shell completion (bundled + TAXO_CATALOG), or None when it cannot be read; with `lookups`,
    a large catalogue's store (records read as asked for)."""
    from taxonomy_cli import cache, catalog

    try:
        files = catalog.files()
        if lookups:
            from taxonomy_cli import queries, store

            return store.open_catalog(files, queries.INDEXES) or cache.load(files)
        return cache.load(files)
    except TaxoError:
        return None


def _completions(names, incomplete: str) -> list[str]:
    # Complete the last item of a comma list too: --org meta,goo<TAB>
    done, _, word = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return sorted(prefix + n for n in set(names) if n.startswith(word.lower()))


def _complete_names(incomplete: str) -> list[str]:
    """Shell completion: model and family ids (from the bundled catalogue and TAXO_CATALOG); a large catalogue's
    store answers from its prefix index, without reading every id."""
    from taxonomy_cli import queries

    loaded = _completion_catalog(lookups=True)
    return _completions(queries.ids_starting(loaded, incomplete.rpartition(",")[2]), incomplete) if loaded else []


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
    from taxonomy_cli.records import CATALOGUE_WEIGHTS

    return _completions([w.value for w in CATALOGUE_WEIGHTS], incomplete)


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
            metavar="PATH",
            help="Extra catalogue YAML: a file or folder, read on top of the bundled one (repeatable; also "
            "TAXO_CATALOG, paths separated by ':'). Only ever read.",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full trace of an unexpected error.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and the date up to which the catalogue covers releases."),
    ] = False,
) -> None:
    """Explain AI models: what a foundation model, an LLM or an SLM is, and what a given model really is."""
    from taxonomy_cli.session import Session

    ctx.obj = Session(catalog_paths or (), debug)


