"""Rows and columns as CSV, markdown, aligned plain text or a rich Table: one writer per format, for every command.

`columns` is a list of (key, label); `rows` a list of dicts keyed by those keys. Values are text, numbers,
booleans, None (an empty cell) or lists (joined with '; ').
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from taxonomy_cli.safety import inert

Columns = Sequence[tuple[str, str]]
Rows = Sequence[Mapping[str, object]]
LIST_SEPARATOR = "; "
WORD_CAP = 14  # a table keeps words up to this long whole when the terminal allows; longer ones may fold


def cell(value: object) -> str:
    """One value as the text of a cell: None is empty, lists are joined, booleans are true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(cell(v) for v in value)
    return str(value)


def to_csv(columns: Columns, rows: Rows) -> str:
    """RFC 4180 CSV with a header of the column keys (what pandas and spreadsheets read); control characters
    are shown escaped, like everywhere else taxo prints text."""
    import csv  # lazy: only CSV output needs it
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([key for key, _ in columns])
    for row in rows:
        writer.writerow([inert(cell(row.get(key))) for key, _ in columns])
    return buffer.getvalue()


def _markdown_cell(value: object) -> str:
    text = inert(cell(value)).replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split()) or " "  # a pipe table cell is one line


def to_markdown(columns: Columns, rows: Rows) -> str:
    """A GitHub-flavoured pipe table: labels as the header, pipes and backslashes escaped, one line per row."""
    lines = ["| " + " | ".join(_markdown_cell(label) for _, label in columns) + " |"]
    lines.append("| " + " | ".join("---" for _ in columns) + " |")
    for row in rows:
        lines.append("| " + " | ".join(_markdown_cell(row.get(key)) for key, _ in columns) + " |")
    return "\n".join(lines) + "\n"


def to_plain(columns: Columns, rows: Rows) -> str:
    """Aligned columns separated by two spaces, a header line of labels; lines are never cut."""
    table = [[inert(label) for _, label in columns]]
    table += [[" ".join(inert(cell(row.get(key))).split()) for key, _ in columns] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    numeric = [all(_is_number(row.get(key)) for row in rows) and bool(rows) for key, _ in columns]
    lines = []
    for line in table:
        parts = [
            text.rjust(width) if right else text.ljust(width)
            for text, width, right in zip(line, widths, numeric, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def _is_number(value: object) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def fit_columns(columns: Columns, rows: Rows, width: int, optional: Sequence[str] = (), cap: int = 18,
                whole: Sequence[str] = ()) -> list:  # fmt: skip
    """The columns that fit `width`: drop `optional` keys, first named first, until each column left can show at
    least `cap` characters (or its widest cell) without squeezing the others to a letter per line."""
    kept = list(columns)
    for key in (None, *optional):
        if key is not None:
            kept = [c for c in kept if c[0] != key]
        needed = sum(_useful(c, rows, 10**6 if c[0] in whole else cap) + 3 for c in kept) + 1  # `whole` ones in full
        if needed <= width:
            break
    return kept


def _useful(column: tuple[str, str], rows: Rows, cap: int) -> int:
    key, label = column
    longest = max((len(cell(row.get(key))) for row in rows), default=0)
    return min(cap, max(len(label), longest))


def rich_table(
    columns: Columns,
    rows: Rows,
    styles: Sequence[Mapping[str, str]] | None = None,
    title: str = "",
    width: int | None = None,
    optional: Sequence[str] = (),
    whole: Sequence[str] = (),
):
    """A rich Table of inert Text cells that folds long cells to fit the console; `styles` colour cells per row.

    Given a `width`, columns named in `optional` are left out (first named first) until the rest fit, and a
    caption says which are hidden.
    """
    from rich import box  # lazy: only terminal output needs rich
    from rich.table import Table
    from rich.text import Text

    shown = fit_columns(columns, rows, width, optional, whole=whole) if width else list(columns)
    hidden = [label for key, label in columns if (key, label) not in shown]
    caption = f"hidden at this width: {', '.join(hidden)} (--format plain shows all)" if hidden else None
    table = Table(
        box=box.SIMPLE_HEAD,
        title=Text(inert(title), style="bold") if title else None,
        title_justify="left",
        caption=Text(caption, style="dim") if caption else None,
        caption_justify="left",
    )
    texts = {key: [label, *(cell(row.get(key)) for row in rows)] for key, label in shown}
    least = {key: min(max(map(len, texts[key])), (width or 80) // 2) for key, _ in shown if key in whole}
    words = {key: min(max((len(w) for text in texts[key] for w in text.split()), default=0), WORD_CAP)
             for key, _ in shown if key not in whole}
    room = (width or 80) - sum(least.values()) - 3 * len(shown) - 1
    for key in list(words):  # left to right, while there is room: too narrow for one, rich folds its long words
        if words[key] > room:
            del words[key]
        else:
            room -= words[key]
    for key, label in shown:
        right = bool(rows) and all(_is_number(row.get(key)) for row in rows)
        if key in whole:  # an id, a command to copy: never broken mid-word, whatever else must fold
            table.add_column(Text(inert(label)), no_wrap=True, min_width=least[key])
            continue
        table.add_column(Text(inert(label)), justify="right" if right else "left", overflow="fold",
                         min_width=words.get(key) or None)  # a word such as 'undisclosed' stays whole when it can
    for index, row in enumerate(rows):
        row_styles = styles[index] if styles else {}
        table.add_row(*(Text(inert(cell(row.get(key))), style=row_styles.get(key, "")) for key, _ in shown))
    return table
