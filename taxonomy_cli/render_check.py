"""`taxo check`: findings as a linter writes them (file:line:column, the sentence with the claim marked, what the
catalogue says and its source), as JSON, or as GitHub workflow annotations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import NamedTuple

from taxonomy_cli.check_judge import FIELD_NAMES, Cut, Finding
from taxonomy_cli.check_text import Unreadable
from taxonomy_cli.document import Line, View
from taxonomy_cli.records import FINDING_VERDICTS, Catalog
from taxonomy_cli.safety import inert_line
from taxonomy_cli.streams import stdout_is_terminal

VERDICT_STYLES = {"wrong": "bold red", "unsupported": "bold magenta", "imprecise": "yellow", "contested": "cyan"}
GITHUB_LEVELS = {"wrong": "error", "unsupported": "error", "imprecise": "warning", "contested": "notice"}
QUOTE = 100  # characters of the sentence shown around a claim
_PIECES = re.compile(r"\s*\S+|\s+")


MAX_FINDINGS = 1_000  # per file: past this a file is not an article but a flood (the rest are not reported)


class Checked(NamedTuple):
    """One file's findings (a file read and checked, even with no finding)."""

    path: str
    findings: tuple[Finding, ...]
    cut: str = ""  # why the file was not read to its end (too many findings, too dense), or ""


def checked(path: str, findings: Iterable[Finding | Cut]) -> Checked:
    """A file's first MAX_FINDINGS findings (the rest are not even looked for)."""
    first = tuple(islice(findings, MAX_FINDINGS + 1))
    cut = next((f.why for f in first if isinstance(f, Cut)), "")
    kept = tuple(f for f in first if isinstance(f, Finding))
    if len(kept) > MAX_FINDINGS:
        kept = kept[:MAX_FINDINGS]
        cut = f"more than {MAX_FINDINGS:,} findings: only the first {MAX_FINDINGS:,} are reported"
    return Checked(path, kept, cut)


def counts(checked: Sequence[Checked]) -> dict[str, int]:
    return {v: sum(1 for c in checked for f in c.findings if f.verdict == v) for v in FINDING_VERDICTS}


def check_data(catalog: Catalog, checked: Sequence[Checked], unreadable: Sequence[Unreadable]) -> dict:
    """The JSON contract: {"files": [{"path", "findings": [...]}], "counts": {verdict: n}, "unreadable": [...]}."""
    return {
        "files": [{"path": c.path, "findings": [finding_json(catalog, f) for f in c.findings]} for c in checked],
        "counts": counts(checked),
        "unreadable": [{"path": u.path, "why": u.why} for u in unreadable],
    }


def finding_json(catalog: Catalog, finding: Finding) -> dict:
    sources = [catalog.sources[i] for i in finding.sources if i in catalog.sources]
    return {
        "line": finding.line,
        "column": finding.column,
        "quote": finding.quote,
        "subject": finding.subject,
        "field": finding.field,
        "claimed": finding.claimed,
        "fact": finding.fact,
        "verdict": finding.verdict,
        "why": finding.why,
        "myth": finding.myth,
        "sources": [{"title": s.title, "url": s.url} for s in sources],
    }


def _see(catalog: Catalog, finding: Finding) -> str:
    verb = "explain" if finding.subject in catalog.terms else "show"
    return f"taxo {verb} {finding.subject}"


def check_picture(catalog: Catalog, checked: Sequence[Checked], unreadable: Sequence[Unreadable],
                  width: int) -> tuple[Line, ...]:  # fmt: skip
    """Each finding as a linter's block: where, verdict and why; the sentence with the claim underlined; the fact
    and its source; the command to see more. Then a summary line."""
    lines: list[Line] = []
    for file in checked:
        for f in file.findings:
            where = f"{file.path}:{f.line}:{f.column}: "
            about = f"{f.subject}, {FIELD_NAMES.get(f.field, f.field)}"
            lines.append(((where, "bold"), (f.verdict, VERDICT_STYLES[f.verdict]), (f" [{about}] ", "dim"),
                          (f.why, "")))  # fmt: skip
            before, claim, after = _quote(f)
            lines.append((("    " + before, "dim"), (claim, "bold"), (after, "dim")))
            lines.append((("    " + " " * len(before) + "^" * max(1, len(claim)), VERDICT_STYLES[f.verdict]),))  # noqa: E501
            lines.append((("    catalogue: ", "dim"), (f.fact, "")))
            for ident in f.sources[:2]:
                if ident in catalog.sources:
                    source = catalog.sources[ident]
                    lines.append((("    source: ", "dim"), (f"{source.title} <{source.url}>", "")))
            lines.append((("    see: ", "dim"), (_see(catalog, f), "cyan")))
    lines.append(((summary(checked, unreadable), "bold"),))
    return tuple(row for line in lines for row in _wrapped(line, width))


def _wrapped(line: Line, width: int) -> list[Line]:
    """A line laid out in `width` columns: broken between words (a word longer than a row, inside it), the rows
    after the first indented; each piece keeps its style. Text made one line and inert first."""
    if sum(len(text) for text, _ in line) <= width and all("\n" not in text for text, _ in line):
        return [line]  # fits (always, when piped): the picture's writer makes it inert
    rows: list[list[tuple[str, str]]] = [[]]
    used, indent = 0, "      "
    for text, style in line:
        for word in _PIECES.findall(inert_line(text)):
            while word:
                room = width - used
                if len(word) <= room or (used <= len(indent) and len(word) > width - len(indent)):
                    piece, word = word[:room] if room > 0 else word, word[room:] if room > 0 else ""
                else:
                    rows.append([(indent, "")])
                    used, word = len(indent), word.lstrip()
                    continue
                rows[-1].append((piece, style))
                used += len(piece)
    return [tuple(row) for row in rows]


def _quote(finding: Finding) -> tuple[str, str, str]:
    """The sentence around the claim, at most QUOTE characters: (before, the claim, after), each made inert."""
    text = finding.quote
    start = max(0, finding.column - 1 - finding.sentence_start)
    end = min(len(text), start + (finding.end - finding.column))
    left = max(0, start - QUOTE // 2)
    right = min(len(text), max(end, left + QUOTE))
    before = ("…" if left else "") + text[left:start]
    after = text[end:right] + ("…" if right < len(text) else "")
    return inert_line(before.lstrip()), inert_line(text[start:end]), inert_line(after.rstrip())


def summary(checked: Sequence[Checked], unreadable: Sequence[Unreadable]) -> str:
    total = counts(checked)
    found = sum(total.values())
    files = sum(1 for c in checked if c.findings)
    parts = ", ".join(f"{n} {v}" for v, n in total.items() if n)
    head = f"{found} finding{'s' if found != 1 else ''}" + (f" ({parts})" if parts else "")
    tail = f" in {files} of {len(checked)} file{'s' if len(checked) != 1 else ''} checked"
    return head + tail + (f"; {len(unreadable)} not read" if unreadable else "")


def github_text(catalog: Catalog, checked: Sequence[Checked]) -> str:
    """GitHub Actions workflow commands: one annotation per finding, escaped as GitHub asks."""
    out = []
    for file in checked:
        for f in file.findings:
            level = GITHUB_LEVELS[f.verdict]
            title = f"taxo check: {f.verdict}"
            message = f"{f.why} (catalogue: {f.fact}; {_see(catalog, f)})"
            out.append(f"::{level} file={_property(file.path)},line={f.line},col={f.column},"
                       f"title={_property(title)}::{_message(message)}")  # fmt: skip
    return "".join(line + "\n" for line in out)


def _message(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _message(text).replace(":", "%3A").replace(",", "%2C")


def check_view(catalog: Catalog, checked: Sequence[Checked], unreadable: Sequence[Unreadable],
               github: bool = False) -> View:  # fmt: skip
    """`taxo check`: findings for people (coloured and folded to the width on a terminal; one line per line when
    piped, for grep), JSON for scripts, annotations for GitHub; files that could not be read are notes on stderr."""
    notes = tuple(f"{u.path}: not checked: {u.why}" for u in unreadable) + tuple(
        f"{c.path}: {c.cut}" for c in checked if c.cut)
    if github:
        return View(lambda: check_data(catalog, checked, unreadable), text=lambda: github_text(catalog, checked),
                    notes=notes)  # fmt: skip
    return View(
        lambda: check_data(catalog, checked, unreadable),
        picture=lambda width: check_picture(catalog, checked, unreadable, width if stdout_is_terminal() else 10**9),
        notes=notes,
    )
