"""Emit results: rich panels on a terminal, plain text when piped, JSON for scripts.

One console per invocation, created here; every string that came from a file or a user is made inert before it
reaches the terminal (no rich markup, no escape sequences), while JSON keeps the exact text. Terminals that
cannot show taxo's symbols (LANG=C, PYTHONIOENCODING=ascii) get ASCII stand-ins instead of a UnicodeEncodeError.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import IO

from taxonomy_cli.document import STATUS_STYLES, Document, Grid, Line, Section, TreeNode, View
from taxonomy_cli.safety import ascii_text, inert, inert_line, json_text  # noqa: F401 - inert_line: re-exported
from taxonomy_cli.streams import (  # noqa: F401 - the stream helpers the CLI layer imports from here
    can_show,
    columns,
    note,
    prepare_streams,
    resolve_format,
    silence_stdout,
    stdout_is_terminal,
    width,
)

NARROW = 60  # below this many columns, fields are stacked rather than side by side
DIFFERS = "≠"  # marks a compared aspect whose values are not all the same
BULLET = "•"


def make_console(file: IO[str] | None = None, stderr: bool = False):
    """The invocation's console: rich reads NO_COLOR, FORCE_COLOR, TERM and COLUMNS when it is created."""
    from rich.console import Console  # lazy: JSON and plain output never need rich

    return Console(
        file=file, stderr=stderr, highlight=False, markup=False, emoji=False, soft_wrap=False, width=columns()
    )


def emit_json(data: object) -> None:
    """Write JSON: exact strings, stable keys, one document; indented for a person at a terminal, compact on one
    line for a pipe or file (the stdlib's C encoder handles only compact output: ~10x faster on large listings).

    Characters a terminal would obey (C1 controls, bidi overrides...) are written as JSON escapes, which parse back
    to the exact same string; so is everything when the output's encoding cannot carry the text."""
    indent = 2 if stdout_is_terminal() else None
    text = json_text(data, indent)
    if not can_show(sys.stdout, text):
        text = json_text(data, indent, ensure_ascii=True)
    sys.stdout.write(text + "\n")


def emit_json_utf8(encoded: Sequence[bytes | memoryview], data: Callable[[], object]) -> None:
    """Write JSON already made by json_text and encoded as UTF-8 (cached pieces, written one after the other), when
    the output is a UTF-8 pipe or file, as bytes; elsewhere (a terminal, another encoding) `data()` builds the
    document for emit_json."""
    import codecs

    try:
        utf8 = codecs.lookup(sys.stdout.encoding).name == "utf-8" and hasattr(sys.stdout, "buffer")
    except (AttributeError, LookupError, TypeError):
        utf8 = False
    if stdout_is_terminal() or not utf8:
        emit_json(data())
        return
    sys.stdout.flush()
    out = sys.stdout.buffer
    for piece in (*encoded, b"\n"):  # never joined: a listing of 10,000 models is 43 MB to copy
        sent = _send_from_cache(out, piece) if type(piece) is memoryview else 0
        out.write(piece[sent:] if sent else piece)


def _send_from_cache(out: IO[bytes], piece: memoryview) -> int:
    """Send a piece that lies whole in a cache file straight from the file to the output (os.sendfile: the kernel
    copies it, this process never touches it); returns how many bytes went, 0 where that cannot be done."""
    from taxonomy_cli import cache

    span = cache.file_span(piece)
    if span is None or not hasattr(os, "sendfile"):
        return 0
    descriptor, offset, length = span
    sent = 0
    try:
        out.flush()
        target = out.fileno()
        while sent < length:
            done = os.sendfile(target, descriptor, offset + sent, length - sent)
            if not done:
                break
            sent += done
    except BrokenPipeError:
        raise
    except (OSError, ValueError):  # no file behind the output, or one sendfile cannot write to: written instead
        pass
    return sent


def emit(view: View, chosen: str = "auto", pager: bool = False) -> None:
    """The one way out: write `view` in the format chosen (json, table, plain, csv, markdown), paged when asked
    and on a terminal, then its notes on stderr. Every command's output goes through here."""
    fmt = resolve_format(chosen)
    if fmt == "json":
        encoded = view.json_utf8() if view.json_utf8 else None
        if encoded is not None:
            emit_json_utf8(encoded, view.data)
        else:
            emit_json(view.data())
    elif fmt == "csv" and (view.csv or view.table):
        table = (view.csv or view.table)()
        emit_listing("csv", table.columns, table.rows, pager=pager)
    elif fmt == "markdown" and (view.markdown or view.table):
        if view.markdown:
            emit_plain(inert(view.markdown().rstrip("\n")) + "\n", pager)
        else:
            table = view.table()
            emit_listing("markdown", table.columns, table.rows, pager=pager)
    elif view.text:
        emit_plain(inert(view.text()), pager)
    elif view.picture:
        emit_picture(view.picture(width()), fmt == "table", pager)
    elif view.document:
        emit_document(view.document(), fmt == "table", pager)
    elif view.table:
        table = view.table()
        emit_listing("table" if fmt == "table" else "plain", table.columns, table.rows, table.styles, table.optional,
                     table.whole,
                     pager)  # fmt: skip
    else:  # a format this view cannot be drawn in: the command's options should not have offered it
        emit_json(view.data())
    for message in view.notes:
        note(message)


def emit_document(document: Document, rich: bool | None = None, pager: bool = False) -> None:
    """A document as a rich panel on a terminal (or when forced), else as plain text."""
    import os

    use_rich = rich if rich is not None else (stdout_is_terminal() or bool(os.environ.get("FORCE_COLOR")))
    if not use_rich:
        emit_plain(plain(document), pager)
        return
    console = make_console()
    ascii_only = console.options.ascii_only or not can_show(console.file)
    if ascii_only:
        document = _each_text(document, ascii_text)
    emit_renderable(rich_renderable(document, console.width, ascii_only), pager, console)


def _each_text(value, change):  # noqa: ANN001, ANN202 - any part of a Document
    """A copy of `value` (a Document, or a part of one) with `change` applied to every string in it."""
    import dataclasses

    if isinstance(value, str):
        return change(value)
    if dataclasses.is_dataclass(value):
        return type(value)(*(_each_text(getattr(value, f.name), change) for f in dataclasses.fields(value)))
    if isinstance(value, tuple):  # a tuple of parts, or a NamedTuple part
        parts = (_each_text(part, change) for part in value)
        return type(value)(*parts) if hasattr(value, "_fields") else tuple(parts)
    return value


def plain(document: Document) -> str:
    """The document as plain text: no colour, no borders, lines never cut."""
    lines = [inert(document.title)]
    if document.subtitle:
        lines.append(inert(document.subtitle))
    for section in document.sections:
        if not (section.fields or section.paragraphs or section.bullets or section.grid or section.tree):
            continue
        lines.append("")
        if section.title:
            lines.append(inert(section.title))
        labels = [inert(f.label) for f in section.fields]  # labels can be catalogue text too (characteristics)
        width = max((len(label) for label in labels), default=0) + 2
        for label, field in zip(labels, section.fields):
            first, *rest = inert(field.value).split("\n")
            lines.append(f"  {(label + ':').ljust(width)} {first}".rstrip())
            lines.extend(f"  {' ' * width} {line}".rstrip() for line in rest)
        lines.extend(f"  {inert(p)}" for p in section.paragraphs)
        for bullet in section.bullets:
            first, *rest = inert(bullet).split("\n")
            lines.append(f"  - {first}")
            lines.extend(f"    {line}" for line in rest)
        if section.grid:
            lines.extend(_plain_grid(section.grid))
        if section.tree:
            lines.extend(_plain_tree(section.tree))
    return "\n".join(lines) + "\n"


def _plain_grid(grid: Grid) -> list[str]:
    """Stacked: each aspect, then each item's value under it."""
    lines: list[str] = []
    columns = [inert(c) for c in grid.columns[1:]]
    width = max(len(c) for c in columns) + 2
    for index, row in enumerate(grid.rows):
        differs = f" {DIFFERS}" if grid.differs and grid.differs[index] else ""
        lines.append(f"  {inert(row[0])}{differs}")
        for column, value in zip(columns, row[1:]):
            first, *rest = inert(value).split("\n")
            lines.append(f"    {(column + ':').ljust(width)} {first}".rstrip())
            lines.extend(f"    {' ' * width} {line}".rstrip() for line in rest)
    return lines


def _plain_tree(node: TreeNode, prefix: str = "  ", last: bool = True, top: bool = True) -> list[str]:
    label = inert(node.label) + (f"  {inert(node.note)}" if node.note else "")
    lines = [prefix + label] if top else [prefix + ("└── " if last else "├── ") + label]
    child_prefix = prefix if top else prefix + ("    " if last else "│   ")
    for index, child in enumerate(node.children):
        lines.extend(_plain_tree(child, child_prefix, index == len(node.children) - 1, top=False))
    return lines


_STATUS_STYLES = STATUS_STYLES


def rich_renderable(document: Document, width: int, ascii_only: bool = False):
    """The document as a rich Panel; stacked fields on narrow terminals; ASCII symbols where asked."""
    from rich.console import Group  # lazy: keeps JSON output fast
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    parts: list = []
    if document.subtitle:
        parts.append(Text(inert(document.subtitle), style="italic"))
    for section in document.sections:
        if not (section.fields or section.paragraphs or section.bullets or section.grid or section.tree):
            continue
        if parts:
            parts.append(Text(""))
        if section.title:
            parts.append(Text(inert(section.title), style="bold underline"))
        parts.extend(_rich_fields(section, width, Table, Text))
        parts.extend(Text(inert(p)) for p in section.paragraphs)
        for bullet in section.bullets:
            text = Text(("*" if ascii_only else BULLET) + " ")
            text.append(inert(bullet))
            parts.append(text)
        if section.grid:
            parts.append(_rich_grid(section.grid, width, ascii_text(DIFFERS) if ascii_only else DIFFERS))
        if section.tree:
            parts.append(_rich_tree(section.tree))
    return Panel(Group(*parts), title=Text(inert(document.title), style="bold"), title_align="left", expand=False)


def _rich_grid(grid: Grid, width: int, differs_mark: str = DIFFERS):
    from rich.table import Table
    from rich.text import Text

    if width < 16 + 20 * (len(grid.columns) - 1):  # too narrow for side by side: stack, with hanging indents
        from rich.console import Group

        parts = []
        for index, row in enumerate(grid.rows):
            label = Text(inert(row[0]), style="bold cyan")
            if grid.differs and grid.differs[index]:
                label.append(f" {differs_mark}", style="bold yellow")
            items = Table.grid(padding=(0, 1))
            items.add_column(width=1)
            items.add_column(style="bold", no_wrap=True)
            items.add_column(overflow="fold")
            for column, value in zip(grid.columns[1:], row[1:]):
                items.add_row("", Text(inert(column) + ":"), Text(inert(value)))
            parts.extend([label, items])
        return Group(*parts)
    table = Table(show_lines=True, expand=False)
    table.add_column(Text(inert(grid.columns[0])), style="bold cyan", overflow="fold")
    for column in grid.columns[1:]:
        table.add_column(Text(inert(column)), overflow="fold")
    for index, row in enumerate(grid.rows):
        differs = bool(grid.differs and grid.differs[index])
        label = Text(inert(row[0]))
        if differs:
            label.append(f" {differs_mark}", style="bold yellow")
        table.add_row(label, *(Text(inert(v), style="yellow" if differs else "") for v in row[1:]))
    return table


def _rich_tree(node: TreeNode):
    from rich.text import Text
    from rich.tree import Tree

    def label(n: TreeNode) -> Text:
        text = Text(inert(n.label))
        if n.note:
            text.append(f"  {inert(n.note)}", style="dim")
        return text

    def grow(tree, n: TreeNode) -> None:
        for child in n.children:
            grow(tree.add(label(child)), child)

    root = Tree(label(node), guide_style="dim")
    grow(root, node)
    return root


def _rich_fields(section: Section, width: int, table_type, text_type) -> list:
    if not section.fields:
        return []
    if width < NARROW:
        rows = []
        for field in section.fields:
            rows.append(text_type(inert(field.label), style="bold cyan"))
            rows.append(text_type("  " + inert(field.value).replace("\n", "\n  "), style=_STATUS_STYLES.get(field.style or "", "")))
        return rows
    table = table_type.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(overflow="fold")
    for field in section.fields:
        table.add_row(
            text_type(inert(field.label)), text_type(inert(field.value), style=_STATUS_STYLES.get(field.style or "", ""))
        )
    return [table]


# -- listings and pictures -------------------------------------------------------------------------------------


def _paging(pager: bool) -> bool:
    """Page only when asked, on a terminal, and when the pager can run: a PAGER that is not there is said once,
    and the output is written directly rather than lost."""
    if not (pager and stdout_is_terminal()):
        return False
    import os
    import shlex
    import shutil

    command = os.environ.get("MANPAGER") or os.environ.get("PAGER")  # what pydoc (and so rich) will run
    if command:
        try:
            program = shlex.split(command)[0] if command.strip() else ""
        except ValueError:
            program = ""
        if not program or not shutil.which(program):
            note(f"the pager {command!r} cannot be run: output written directly (set PAGER to a pager, or drop --pager)")
            return False
    return True


def emit_plain(text: str, pager: bool = False) -> None:
    """Text already made inert; paged only when asked and stdout is a terminal."""
    if _paging(pager):
        import pydoc

        pydoc.pager(text)
        return
    sys.stdout.write(text)


def emit_renderable(renderable, pager: bool = False, console=None) -> None:
    """A rich renderable on the invocation's console; through rich's pager only when asked and on a terminal."""
    console = console or make_console()
    if _paging(pager):
        with console.pager(styles=True):
            console.print(renderable)
        return
    console.print(renderable)


def picture_text(lines: Sequence[Line]) -> str:
    """A picture as plain text: the spans' text, styles dropped."""
    return "".join("".join(inert(text) for text, _ in line).rstrip() + "\n" for line in lines)


def picture_renderable(lines: Sequence[Line]):
    """A picture as one rich Text, each span in its style; lines are already laid out, so never wrapped."""
    from rich.text import Text  # lazy: plain output never needs rich

    picture = Text(no_wrap=True, overflow="crop", end="")
    for line in lines:
        for text, style in line:
            picture.append(inert(text), style=style or None)
        picture.append("\n")
    return picture


def emit_picture(lines: Sequence[Line], rich: bool, pager: bool = False) -> None:
    """A chart or timeline: coloured on a terminal (or when forced), plain text otherwise."""
    if rich:
        emit_renderable(picture_renderable(lines), pager)
    else:
        emit_plain(picture_text(lines), pager)


def emit_listing(fmt: str, columns, rows, styles=None, optional=(), whole=(), pager: bool = False) -> None:
    """Rows in a listing format: table (rich, `optional` columns dropped to fit, `whole` ones never broken), plain,
    csv or markdown."""
    from taxonomy_cli import tabular

    if fmt == "table":
        console = make_console()
        table = tabular.rich_table(columns, rows, styles, width=console.width, optional=optional, whole=whole)
        emit_renderable(table, pager, console)
    elif fmt == "csv":
        emit_plain(tabular.to_csv(columns, rows), pager)
    elif fmt == "markdown":
        emit_plain(tabular.to_markdown(columns, rows), pager)
    else:
        emit_plain(tabular.to_plain(columns, rows), pager)
