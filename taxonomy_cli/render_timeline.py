"""`taxo timeline`: releases per period and group as a grid of counts laid out to a width, plus JSON and rows.

Groups are rows and periods columns, so the eye reads time left to right; when the periods do not fit the
width, the grid continues in blocks below (never a line wider than the terminal).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from taxonomy_cli.document import Line, Span, Table, View
from taxonomy_cli.explore import Timeline

CELL = 5  # a period column: 4 characters and a space
TOTAL = "total"
ALL = "all models"
_HEAT = ("blue", "cyan", "bold cyan", "bold bright_white on blue")


def _heat(count: int, highest: int) -> str:
    if count == 0:
        return "dim"
    return _HEAT[min(len(_HEAT) - 1, (count * len(_HEAT) - 1) // max(1, highest))]


def _cell(count: int) -> str:
    return (str(count) if count else "·").rjust(CELL)


def counts(timeline: Timeline, group: str) -> list[int]:
    """Releases of one group in each period, in period order."""
    return [len(timeline.cells.get((period, group), ())) for period in timeline.periods]


def timeline_lines(timeline: Timeline, width: int) -> tuple[Line, ...]:
    """The grid in `width` columns: a title, blocks of periods, then what the numbers count."""
    noun = "year" if timeline.by == "year" else "quarter"
    grouping = "category" if timeline.group == "category" else "organization"
    dated = sum(len(v) for v in timeline.period_models.values())
    span = f", {timeline.periods[0]}–{timeline.periods[-1]}" if timeline.periods else ""
    title = f"Releases per {noun} by {grouping}: {dated} model{'s' if dated != 1 else ''}{span}"
    lines: list[Line] = [((text, "bold"),) for text in textwrap.wrap(title, width)]
    if not timeline.periods:
        lines.append((("No model here has a release date.", "dim"),))
        return tuple(lines)
    label_width = max(6, min(20, width // 4, max(len(label) for _, label in (*timeline.groups, ("", ALL)))))
    per_block = max(1, (width - label_width - CELL - 1) // CELL)
    highest = max((len(m) for m in timeline.cells.values()), default=1)
    for start in range(0, len(timeline.periods), per_block):
        block = range(start, min(start + per_block, len(timeline.periods)))
        last = block.stop == len(timeline.periods)
        lines.append((("", ""),))
        lines.extend(_header(timeline, block, label_width, last))
        for ident, label in timeline.groups:
            row = counts(timeline, ident)
            spans: list[Span] = [(_label(label, label_width), "")]
            spans += [(_cell(row[i]), _heat(row[i], highest)) for i in block]
            if last:
                spans.append((str(sum(row)).rjust(CELL + 1), "bold"))
            lines.append(tuple(spans))
        everything = [len(timeline.period_models.get(p, ())) for p in timeline.periods]
        spans = [(_label(ALL, label_width), "bold")] + [(_cell(everything[i]), "bold") for i in block]
        if last:
            spans.append((str(sum(everything)).rjust(CELL + 1), "bold"))
        lines.append(tuple(spans))
    lines.append((("", ""),))
    lines.extend(((text, "dim"),) for text in textwrap.wrap(_explanation(timeline), width))
    return tuple(lines)


def _label(text: str, width: int) -> str:
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)


def _header(timeline: Timeline, block: range, label_width: int, last: bool) -> list[Line]:
    periods = [timeline.periods[i] for i in block]
    total = (TOTAL.rjust(CELL + 1), "dim") if last else ("", "")
    if timeline.by == "year":
        return [((" " * label_width, ""), ("".join(p.rjust(CELL) for p in periods), "bold"), total)]
    years = "".join(
        (p[:4] if index == 0 or p.endswith("Q1") else "").rjust(CELL) for index, p in enumerate(periods)
    )
    quarters = "".join(p[-2:].rjust(CELL) for p in periods)
    return [((" " * label_width, ""), (years, "bold")), ((" " * label_width, ""), (quarters, "bold"), total)]


def _explanation(timeline: Timeline) -> str:
    if timeline.group == "category":
        text = "Each model counts once in each of its categories; 'all models' counts each model once."
    else:
        text = "Each model counts once, under its organization."
    if timeline.undated:
        text += f" {len(timeline.undated)} model(s) without a release date are not shown."
    return text + " Names: --format json or taxo list --since/--until."


# -- data ------------------------------------------------------------------------------------------------------


def timeline_data(timeline: Timeline, excluded: Mapping[str, object]) -> dict:
    """`taxo timeline --format json`: periods, and per group the count and model ids in each period."""

    def per_period(group: str) -> dict:
        return {p: [m.id for m in timeline.cells.get((p, group), ())] for p in timeline.periods}

    return {
        "by": timeline.by,
        "group": timeline.group,
        "periods": list(timeline.periods),
        "groups": [
            {"id": ident, "label": label, "total": sum(counts(timeline, ident)), "models": per_period(ident)}
            for ident, label in timeline.groups
        ],
        "all": {
            "total": sum(len(v) for v in timeline.period_models.values()),
            "models": {p: [m.id for m in timeline.period_models.get(p, ())] for p in timeline.periods},
        },
        "undated": [m.id for m in timeline.undated],
        "excluded": dict(excluded),
    }


CSV_COLUMNS = (("period", "period"), ("group", "group"), ("label", "label"), ("count", "count"), ("models", "models"))


def timeline_rows(timeline: Timeline) -> list[dict[str, object]]:
    """Long (tidy) rows for CSV: one per period and group, zeros included, model ids joined with '; '."""
    return [
        {
            "period": period,
            "group": ident,
            "label": label,
            "count": len(timeline.cells.get((period, ident), ())),
            "models": [m.id for m in timeline.cells.get((period, ident), ())],
        }
        for period in timeline.periods
        for ident, label in timeline.groups
    ]


def grid(timeline: Timeline) -> tuple[list[tuple[str, str]], list[dict[str, object]]]:
    """The grid as columns and rows (groups by periods, with totals) for a markdown table."""
    columns = [("group", "Group"), *((p, p) for p in timeline.periods), ("total", "Total")]
    rows: list[dict[str, object]] = []
    for ident, label in timeline.groups:
        row = counts(timeline, ident)
        rows.append({"group": label, **dict(zip(timeline.periods, row, strict=True)), "total": sum(row)})
    everything = [len(timeline.period_models.get(p, ())) for p in timeline.periods]
    rows.append({"group": ALL, **dict(zip(timeline.periods, everything, strict=True)), "total": sum(everything)})
    return columns, rows


def timeline_view(timeline: Timeline, excluded: Mapping[str, object], notes: tuple[str, ...]) -> View:
    """`taxo timeline`: a picture on a terminal, the grid as a markdown table, long rows as CSV."""
    return View(
        lambda: timeline_data(timeline, excluded),
        picture=lambda width: timeline_lines(timeline, width),
        table=lambda: Table(*grid(timeline)),
        csv=lambda: Table(CSV_COLUMNS, tuple(timeline_rows(timeline))),
        notes=notes,
    )
