"""A neutral shape for what taxo prints: titled sections of fields, paragraphs and bullets.

Renderers build these from records; `output.py` draws them as rich panels on a terminal or as plain text when
piped. Keeping one shape means one place decides how untrusted text is made safe and how width is handled.
"""

# NamedTuples, not dataclasses, and no `from __future__ import annotations`: as for records.py, these classes are
# defined at every start-up and a frozen dataclass costs ~0.6 ms to define (see records.py).
from collections.abc import Callable
from typing import NamedTuple


# How a number's status is coloured wherever it is drawn (cards, listings, charts): one table.
STATUS_STYLES = {"official": "green", "derived": "cyan", "estimate": "yellow", "undisclosed": "magenta", "dim": "dim"}

# How a verdict on a model and a category is marked wherever it is written (cards, comparisons, lists, trees).
VERDICT_MARKS = {"yes": "✓", "no": "✗", "contested": "±", "unknown": "?"}


class Field(NamedTuple):
    label: str
    value: str
    style: str | None = None  # a hint such as "official", "undisclosed", "dim"


class Grid(NamedTuple):
    """Things side by side: one column per item, one row per aspect. Drawn as a table where it fits,
    stacked (aspect, then each item's value) on narrow terminals and in plain text."""

    columns: tuple[str, ...]  # the first names the row labels, the rest the items compared
    rows: tuple[tuple[str, ...], ...]
    differs: tuple[bool, ...] = ()  # per row: the items' values are not all the same


class Section(NamedTuple):
    title: str
    fields: tuple[Field, ...] = ()
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    grid: Grid | None = None
    tree: "TreeNode | None" = None


class TreeNode(NamedTuple):
    label: str
    children: "tuple[TreeNode, ...]" = ()
    note: str = ""  # shown dimmed after the label, e.g. "(also under LLM)"


class Document(NamedTuple):
    title: str
    subtitle: str
    sections: tuple[Section, ...]


# A picture (chart, timeline) is lines of styled spans: (text, style), the style a rich style name or "".
# Renderers lay pictures out to a width; output.py prints them with colour on a terminal, as plain text otherwise.
Span = tuple[str, str]
Line = tuple[Span, ...]


class Table(NamedTuple):
    """Rows of a listing: (key, heading) columns, one dict per row; drawn as a rich table (optional columns dropped
    first when narrow), plain columns, CSV or markdown."""

    columns: tuple
    rows: tuple
    styles: tuple | None = None  # per row: {column key: style}
    optional: tuple = ()
    whole: tuple = ()  # columns never broken across lines (an id, a command to copy): the others fold first


class View(NamedTuple):
    """What a command returns: its data and the ways it can be drawn, each built only when asked for, and its notes
    (for stderr). output.emit picks one for the format asked and is the only place that writes."""

    data: "Callable[[], object]"  # the JSON document
    document: "Callable[[], Document] | None" = None  # table / plain
    table: "Callable[[], Table] | None" = None  # table / plain when there is no document; csv and markdown always
    picture: "Callable[[int], tuple[Line, ...]] | None" = None  # table / plain, laid out to a width
    markdown: "Callable[[], str] | None" = None  # when markdown is not simply the table
    csv: "Callable[[], Table] | None" = None  # when CSV rows are not the table's
    json_utf8: "Callable[[], Sequence[bytes | memoryview]] | None" = None  # the JSON already encoded, in pieces
    text: "Callable[[], str] | None" = None  # table / plain: a line or two of plain text (validate's summary)
    notes: tuple = ()
