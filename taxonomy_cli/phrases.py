"""Phrase patterns: how the catalogue says what a sentence must contain to state a myth (`patterns:` on a myth),
compiled by taxo into a regular expression, so a catalogue file never supplies one (no user regex, no runaway
backtracking).

A pattern is words and gaps: 'GPT-4 * 170 trillion|T' (GPT-4, then within the sentence 170 trillion or 170T).
- A word matches itself, case-insensitively, whole (not inside a longer word or number: 'Llama 3' does not match
  'Llama 3.1'); dashes and spaces inside it match any run of spaces and dashes ('GPT-4' matches 'GPT 4', 'gpt4').
- 'a|b' matches either word ('model|models'); alternatives are single words: 'large language model|LLM' is the
  word 'large', the word 'language', then 'model' or 'LLM'.
- '*' matches up to 80 characters of anything, within the sentence.
"""

from __future__ import annotations

import re

GAP = "*"
MAX_WORDS = 12
MAX_GAP = 80


def phrase_problem(pattern: str) -> str | None:
    """Why a pattern cannot be used, or None."""
    words = pattern.split()
    if not words or all(w == GAP for w in words):
        return "a pattern needs at least one word"
    if len(words) > MAX_WORDS:
        return f"at most {MAX_WORDS} words and gaps"
    if words[0] == GAP or words[-1] == GAP:
        return "a pattern starts and ends with a word, not a gap"
    if any(not alternative for w in words if w != GAP for alternative in w.split("|")):
        return "an empty alternative ('a||b' or a trailing '|')"
    return None


def compile_phrase(pattern: str) -> re.Pattern[str]:
    """The regular expression of a valid pattern (see phrase_problem). Words next to each other may touch ('170
    trillion|T' matches '170T'); a run of words starts and ends at a word's edge."""
    runs: list[list[str]] = [[]]
    for word in pattern.split():
        if word == GAP:
            runs.append([])
        else:
            runs[-1].append("(?:" + "|".join(_word(alternative) for alternative in word.split("|")) + ")")
    separator = r"[\s\-–]*"
    gap = separator + r"(?:[^.!?\n]|\.(?=\d)){0," + str(MAX_GAP) + "}?" + separator  # a decimal point is no sentence end
    edges = [r"(?<![\w.])" + separator.join(run) + r"(?!\w|[.,]\d)" for run in runs]
    return re.compile(gap.join(edges), re.IGNORECASE)


def _word(word: str) -> str:
    pieces = re.split(r"[\s\-–_]+", word)
    return r"[\s\-–]*".join(re.escape(piece) for piece in pieces if piece)


def first_words(pattern: str) -> tuple[str, ...]:
    """The first word's alternatives' leading letters or digits, lower-cased ('GPT-4' -> 'gpt'): text that holds
    none of them cannot match, which is cheaper to test than the regex."""
    return tuple(re.match(r"[^\W_]*", alternative).group().lower() or alternative.lower()
                 for alternative in pattern.split()[0].split("|"))  # fmt: skip
