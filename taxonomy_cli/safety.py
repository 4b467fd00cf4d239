"""Text safety: untrusted strings (catalogue files, model files, arguments) made inert before a terminal sees them,
ASCII stand-ins for terminals that cannot show taxo's symbols, and JSON text that keeps every string exact."""

from __future__ import annotations

import re

# Characters a terminal obeys or hides rather than shows: C0 controls except tab and newline, DEL, C1 controls,
# the format characters (bidi overrides and isolates, zero-width ones, soft hyphen, invisible tag characters) and
# line/paragraph separators (Unicode categories Cc, Cf, Zl, Zp, as of Unicode 15.1), and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


# ASCII stand-ins for the symbols taxo and its catalogue use, on terminals that cannot show them. Box, tree and
# chart characters map to one character each, so trees and bars keep their shape (a partial bar's end is "+").
_STAND_INS = str.maketrans({
    "→": "->", "←": "<-", "≠": "!=", "≈": "~", "≥": ">=", "≤": "<=", "×": "x", "✓": "yes", "✗": "no",
    "•": "*", "·": "-", "…": "...", "—": "--", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "\xa0": " ",
    "─": "-", "━": "-", "│": "|", "┃": "|", "├": "|", "└": "`", "┌": "+", "┐": "+", "┘": "+", "┬": "+", "┴": "+",
    "┼": "+", "┤": "|", "╭": "+", "╮": "+", "╰": "+", "╯": "+", "┊": "|", "█": "#", "▉": "+", "▊": "+", "▋": "+",
    "▌": "+", "▍": "+", "▎": "+", "▏": "+",
})  # fmt: skip


_ERROR_HANDLER = "taxo-stand-ins"


def inert(text: str) -> str:
    """Show control, format and bidi characters as visible escapes (\\x1b, \\u202e) instead of obeying them."""
    return _UNSAFE.sub(_escape, text)


def inert_line(text: str) -> str:
    """inert, and one line: a newline inside a message (a name a user typed) cannot start a forged 'taxo:' line."""
    return inert(text).replace("\n", "\\n")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape", "backslashreplace").decode("ascii")


def ascii_text(text: str) -> str:
    """Text an ASCII-only terminal can show: -> for →, != for ≠, e for é, and a visible \\u escape for the rest."""
    text = text.translate(_STAND_INS)
    if text.isascii():
        return text
    import unicodedata  # lazy: only ASCII-only terminals get here

    def fold(char: str) -> str:
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
        return base or char.encode("ascii", "backslashreplace").decode("ascii")

    return "".join(char if char.isascii() else fold(char) for char in text)


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: what the stream's encoding cannot carry is written as ascii_text instead."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return ascii_text(error.object[error.start : error.end]), error.end


def json_text(data: object, indent: int | None = None, ensure_ascii: bool = False) -> str:
    """`data` as emit_json writes it: compact (for a pipe) unless indented, unsafe characters escaped. Compact JSON
    made of such pieces (each model of a listing, cached) is what emit_json would have written for the whole."""
    import json  # lazy: only JSON output needs it

    separators = (",", ":") if indent is None else (",", ": ")
    try:
        text = json.dumps(data, ensure_ascii=ensure_ascii, indent=indent, separators=separators, allow_nan=False)
    except ValueError:  # a NaN or infinity read from a model file: JSON has no such numbers, so they become text
        text = json.dumps(_finite(data), ensure_ascii=ensure_ascii, indent=indent, separators=separators)
    return _UNSAFE.sub(_json_escape, text)


def _finite(value: object) -> object:
    """`value` with every NaN or infinite float as the text Python writes for it ('nan', 'inf', '-inf')."""
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else repr(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"  # as a UTF-16 surrogate pair

