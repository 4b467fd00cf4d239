"""Forgiving name matching: case, width, spaces, dashes and other punctuation don't matter; letters and digits of
every script do, and so does a decimal point ('OPT-1.3B' is not 'OPT-13B')."""

from __future__ import annotations

import re

_ASCII_DROP = re.compile(r"[^0-9a-z.]+")
_LONE_DOT = re.compile(r"(?<![0-9])\.|\.(?![0-9])")  # a dot that is not between two digits


def normalise(name: str) -> str:
    """'Mistral 7B', 'mistral-7b' and 'MISTRAL_7B' all become 'mistral7b'; 'Qwen2.5' stays 'qwen2.5'; 'ＧＰＴ－４'
    becomes 'gpt4'; '通义千问' stays itself. A name with no letter or digit at all becomes '' (which matches nothing)."""
    if name.isascii():  # the usual name: a fast path without Unicode tables
        folded = _ASCII_DROP.sub("", name.lower().replace("+", "plus"))  # "Command R+" is not "Command R"
    else:
        import unicodedata  # lazy: only non-ASCII names need it

        text = unicodedata.normalize("NFKC", name).casefold().replace("+", "plus")
        folded = "".join(c for c in text if c.isalnum() or c == ".")
    return _LONE_DOT.sub("", folded) if "." in folded else folded
