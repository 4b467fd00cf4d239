"""A neutral shape for what taxo prints: titled sections of fields, paragraphs and bullets.

Renderers build these from records; `output.py` draws them as rich panels on a terminal or as plain text when
piped. Keeping one shape means one place decides how untrusted text is made safe and how width is handled.
"""

# NamedTuples, not dataclasses, and no `from __future__ import annotations`: as for records.py, these classes are
# defined at every start-up and a frozen dataclass costs ~0.6 ms to define (see records.py).
from typing import NamedTuple


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
