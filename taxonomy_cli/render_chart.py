"""`taxo chart params|context`: horizontal bars on a log scale, laid out to a width, plus JSON and table rows.

Bars are drawn with block characters so the picture reads the same piped; the parameter lines that sources draw
(catalog thresholds) are marked on the chart and named in a legend. Models without a number are listed apart.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

from taxonomy_cli.document import STATUS_STYLES, Line, Table, View
from taxonomy_cli.explore import Chart
from taxonomy_cli.records import Catalog, Model, Quantity, Status
from taxonomy_cli.units import short_count, short_context

_EIGHTHS = " ▏▎▍▌▋▊▉"
LINE_MARK = "┊"
_TITLES = {"params": "Parameters", "context": "Context length (tokens)"}
MIN_BAR = 8


def value_display(chart: Chart, quantity: Quantity) -> str:
    """'7.24B' parameters, '32K' tokens; an estimate is marked with '*'."""
    text = short_count(quantity.value) if chart.metric == "params" else short_context(quantity.value)
    return text + ("*" if quantity.status is Status.ESTIMATE else "")


class _Scale:
    """Where a value falls on a log10 axis of `cells` characters, whole decades at both ends."""

    def __init__(self, values: Sequence[int], cells: int) -> None:
        self.low = math.floor(math.log10(min(values)))
        self.high = max(self.low + 1, math.ceil(math.log10(max(values))))
        self.cells = cells

    def position(self, value: int) -> float:
        return (math.log10(value) - self.low) / (self.high - self.low) * self.cells

    def column(self, value: int) -> int:
        return min(self.cells - 1, max(0, int(self.position(value))))


def _bar(length: float) -> str:
    full = int(length)
    partial = _EIGHTHS[int((length - full) * 8)]
    text = "█" * full + (partial if partial != " " else "")
    return text or "▏"  # the smallest value still shows


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def chart_lines(catalog: Catalog, chart: Chart, width: int) -> tuple[Line, ...]:
    """The chart laid out in `width` columns: no line is wider."""
    title = f"{_TITLES[chart.metric]}, log scale: {len(chart.bars)} model{'s' if len(chart.bars) != 1 else ''}"
    lines: list[Line] = [((_fit(title, width), "bold"),)]
    if chart.bars:
        lines.extend(_bars(catalog, chart, width))
    else:
        lines.append((("No model here has a disclosed number.", "dim"),))
    lines.extend(_apart(chart, width))
    return tuple(lines)


def _bars(catalog: Catalog, chart: Chart, width: int) -> list[Line]:
    values = [display for display in (value_display(chart, q) for _, q in chart.bars)]
    value_width = max(len(v) for v in values)
    label_width = min(max(len(m.name) for m, _ in chart.bars), max(8, min(28, width // 3)))
    cells = width - label_width - value_width - 2
    if cells < MIN_BAR:
        label_width = max(3, label_width - (MIN_BAR - cells))
        cells = max(1, width - label_width - value_width - 2)
    line_values = [value for value, _ in chart.lines]
    scale = _Scale([q.value for _, q in chart.bars] + line_values, cells)
    marks = sorted({scale.column(v) for v in line_values})
    lines: list[Line] = []
    for (model, quantity), value in zip(chart.bars, values, strict=True):
        bar = _bar(scale.position(quantity.value))[:cells]
        rest = [LINE_MARK if len(bar) + i in marks else " " for i in range(cells - len(bar))]
        lines.append(
            (
                (_fit(model.name, label_width).ljust(label_width) + " ", ""),
                (bar, STATUS_STYLES.get(quantity.status.value, "")),
                ("".join(rest), "yellow"),
                (" " + value.rjust(value_width), ""),
            )
        )
    lines.extend(_axis(chart, scale, label_width, marks))
    lines.extend(_legend(catalog, chart, scale, width))
    if any(q.status is Status.ESTIMATE for _, q in chart.bars):
        lines.append((("* an estimate (whose: taxo show <id>)", "dim"),))
    return lines


def _axis(chart: Chart, scale: _Scale, indent: int, marks: list[int]) -> list[Line]:
    decades = range(scale.low, scale.high + 1)
    ticks = {min(scale.cells - 1, round((k - scale.low) / (scale.high - scale.low) * scale.cells)): k for k in decades}
    rule = "".join("┴" if i in ticks else "─" for i in range(scale.cells))
    labels = [" "] * (scale.cells + 1)
    free = 0
    for col, decade in sorted(ticks.items()):
        text = _decade(chart, decade)
        start = min(col, scale.cells + 1 - len(text))
        if start >= free and start >= 0:
            labels[start : start + len(text)] = list(text)
            free = start + len(text) + 1
    letters = [" "] * scale.cells
    for index, col in enumerate(marks):
        letters[col] = chr(ord("a") + index) if index < 26 else "+"
    pad = " " * (indent + 1)
    lines: list[Line] = [((pad, ""), (rule, "dim")), ((pad, ""), ("".join(labels).rstrip(), "dim"))]
    if marks:
        lines.append(((pad, ""), ("".join(letters).rstrip(), "bold yellow")))
    return lines


def _decade(chart: Chart, exponent: int) -> str:
    return short_count(10**exponent)


def _legend(catalog: Catalog, chart: Chart, scale: _Scale, width: int) -> list[Line]:
    """One entry per marked column: the value and the label of each threshold drawn there, with its source."""
    by_column: dict[int, list[tuple[int, str]]] = {}
    for value, ids in chart.lines:
        by_column.setdefault(scale.column(value), []).extend((value, i) for i in ids)
    lines: list[Line] = []
    for index, column in enumerate(sorted(by_column)):
        letter = chr(ord("a") + index) if index < 26 else "+"
        labels = "; ".join(catalog.thresholds[i].label for _, i in by_column[column])
        values = "/".join(dict.fromkeys(short_count(v) for v, _ in by_column[column]))
        text = f"{letter} {LINE_MARK} {values}: {labels}"
        wrapped = textwrap.wrap(text, width, subsequent_indent="    ") or [""]
        lines.append(((wrapped[0][:1], "bold yellow"), (wrapped[0][1:], "")))
        lines.extend(((w, ""),) for w in wrapped[1:])
    return lines


def _apart(chart: Chart, width: int) -> list[Line]:
    what = "parameter count" if chart.metric == "params" else "context length"
    groups = (
        (chart.undisclosed, f"{what.capitalize()} undisclosed by the makers (not guessed)"),
        (chart.unknown, f"No {what} in the catalogue"),
    )
    lines: list[Line] = []
    for models, label in groups:
        if not models:
            continue
        text = f"{label} ({len(models)}): " + ", ".join(m.name for m in models)
        wrapped = textwrap.wrap(text, width, subsequent_indent="  ", break_on_hyphens=False)
        lines.append((("", ""),))
        lines.extend(((w, "magenta" if i == 0 else ""),) for i, w in enumerate(wrapped))
    return lines


# -- data ------------------------------------------------------------------------------------------------------


def _entry(chart: Chart, model: Model, quantity: Quantity | None) -> dict[str, object]:
    return {
        "id": model.id,
        "name": model.name,
        "value": quantity.value if quantity and quantity.value else None,
        "display": value_display(chart, quantity) if quantity and quantity.value else None,
        "status": quantity.status.value if quantity else "unknown",
    }


def chart_data(catalog: Catalog, chart: Chart, excluded: Mapping[str, object]) -> dict:
    """`taxo chart --format json`: bars largest first, the sources' lines, and the models without a number."""
    return {
        "metric": chart.metric,
        "unit": "parameters" if chart.metric == "params" else "tokens",
        "scale": "log10",
        "models": [_entry(chart, m, q) for m, q in chart.bars],
        "lines": [
            {
                "value": value,
                "display": short_count(value),
                "thresholds": [
                    {"id": t.id, "label": t.label, "note": t.note, "sources": list(t.sources)}
                    for t in (catalog.thresholds[i] for i in ids)
                ],
            }
            for value, ids in chart.lines
        ],
        "undisclosed": [{"id": m.id, "name": m.name} for m in chart.undisclosed],
        "unknown": [{"id": m.id, "name": m.name} for m in chart.unknown],
        "excluded": dict(excluded),
    }


CSV_COLUMNS = (("id", "id"), ("name", "name"), ("value", "value"), ("display", "display"), ("status", "status"))
MARKDOWN_COLUMNS = (("name", "Model"), ("id", "ID"), ("display", "Value"), ("status", "Status"), ("bar", "Log scale"))


def chart_rows(chart: Chart, bar_width: int = 24) -> list[dict[str, object]]:
    """Every model, bars first: those without a number have an empty value and say why in `status`."""
    rows = []
    if chart.bars:
        scale = _Scale([q.value for _, q in chart.bars] + [v for v, _ in chart.lines], bar_width)
        for model, quantity in chart.bars:
            rows.append({**_entry(chart, model, quantity), "bar": _bar(scale.position(quantity.value))})
    for model in chart.undisclosed:
        quantity = model.parameters if chart.metric == "params" else model.context_length
        rows.append({**_entry(chart, model, quantity), "bar": ""})
    for model in chart.unknown:
        rows.append({**_entry(chart, model, None), "bar": ""})
    return rows


def chart_markdown(catalog: Catalog, chart: Chart) -> str:
    """A markdown table of every model (with a text bar), then the lines the sources draw as a list."""
    from taxonomy_cli import tabular
    from taxonomy_cli.safety import inert

    text = tabular.to_markdown(MARKDOWN_COLUMNS, chart_rows(chart))
    if chart.lines:
        items = [
            f"- {short_count(value)}: " + "; ".join(catalog.thresholds[i].label for i in ids)
            for value, ids in chart.lines
        ]
        text += "\nLines drawn by sources:\n\n" + inert("\n".join(items)) + "\n"
    return text


def chart_view(catalog: Catalog, chart: Chart, excluded: Mapping[str, object], notes: tuple[str, ...]) -> View:
    """`taxo chart`: bars on a terminal, a markdown table with text bars, one CSV row per model."""
    return View(
        lambda: chart_data(catalog, chart, excluded),
        picture=lambda width: chart_lines(catalog, chart, width),
        markdown=lambda: chart_markdown(catalog, chart),
        csv=lambda: Table(CSV_COLUMNS, tuple(chart_rows(chart))),
        notes=notes,
    )
