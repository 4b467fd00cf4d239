"""`taxo check`: read articles and say which claims about models are wrong, like a linter. It reads its options,
asks the checker and emits the renderer's view."""

# No `from __future__ import annotations`: typer reads the annotations at every start-up (see cli_base.py).

from enum import Enum
from typing import Annotated, Optional

import typer

from taxonomy_cli.cli_base import PagerOption, _catalog, app
from taxonomy_cli.records import FINDING_VERDICTS


class CheckFormat(str, Enum):
    AUTO = "auto"
    TABLE = "table"
    PLAIN = "plain"
    JSON = "json"
    GITHUB = "github"


# --fail-on: the verdicts, most serious first (one list: records.FINDING_VERDICTS), or never.
FailOn = Enum("FailOn", {v.upper(): v for v in (*FINDING_VERDICTS, "never")}, type=str)


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="Articles to check: files, folders (their .md, .markdown, .txt, .rst and .html files) or - for "
             "standard input.", show_default=False)] = None,  # fmt: skip
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit with code 5 when a finding is this serious or "
                                            "more (wrong > unsupported > imprecise > contested), or never.")] = (
        FailOn.WRONG
    ),
    output_format: Annotated[CheckFormat, typer.Option("--format", "-f", help="auto (table on a terminal, plain "
                                                       "when piped), table, plain, json or github.")] = (
        CheckFormat.AUTO
    ),
    pager: PagerOption = False,
) -> None:
    """Check what articles say about AI models against the catalogue.

    Like a linter: each wrong, unsupported, imprecise or contested claim with file:line:column, the sentence, what
    the catalogue says and its source. Right claims, and models or facts the catalogue does not know, are left
    alone. Exit codes: 0 nothing at or above --fail-on, 5 findings, 4 a file could not be read.

    \b
    Examples:
      taxo check article.md
      taxo check docs/ --fail-on imprecise
      cat post.md | taxo check - --format json
    """
    import sys

    from taxonomy_cli import check_judge, check_text, render_check
    from taxonomy_cli.errors import ExitCode, UsageError
    from taxonomy_cli.output import emit

    if not paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("give an article to check: a file, a folder, or - for standard input "
                             "(e.g. 'taxo check article.md')")  # fmt: skip
        paths = ["-"]
    checker = check_judge.Checker(_catalog(ctx))
    checked, unreadable = [], []
    for article in check_text.articles(paths):
        if isinstance(article, check_text.Unreadable):
            unreadable.append(article)
        else:
            checked.append(render_check.checked(article.path, checker.findings(article)))
    github = output_format is CheckFormat.GITHUB
    view = render_check.check_view(checker.catalog, checked, unreadable, github)
    emit(view, "plain" if github else output_format.value, pager)
    serious = FINDING_VERDICTS[: FINDING_VERDICTS.index(fail_on.value) + 1] if fail_on is not FailOn.NEVER else ()
    if any(f.verdict in serious for c in checked for f in c.findings):
        raise typer.Exit(ExitCode.FINDINGS)
    if unreadable:
        raise typer.Exit(ExitCode.BAD_DATA)
