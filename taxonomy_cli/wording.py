"""Small pieces of English that templates need: the right article, a count with its noun."""

from __future__ import annotations

_VOWEL_LETTER_ACRONYM = "AEFHILMNORSX"  # letters whose names start with a vowel sound: an LLM, an SLM, an FP8


def with_article(phrase: str) -> str:
    """'a decoder-only transformer', 'an encoder-only transformer', 'an LLM', 'an official number'."""
    word = phrase.lstrip().split(" ", 1)[0]
    if not word:
        return phrase
    acronym = len(word) > 1 and word[:2].isupper()
    sounds_vowel = word[0] in _VOWEL_LETTER_ACRONYM if acronym else word[0].lower() in "aeiou"
    return f"{'an' if sounds_vowel else 'a'} {phrase}"


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """'1 wrong claim', '2 wrong claims'."""
    return f"{number} {noun if number == 1 else (plural or noun + 's')}"


def short_name(name: str) -> str:
    """What a name abbreviates itself to: 'Large language model (LLM)' -> 'LLM'; else the name."""
    name = name.rstrip()
    if name.endswith(")") and "(" in name:
        short = name[name.rindex("(") + 1 : -1].strip()
        if short and "(" not in short:
            return short
    return name
