"""Every template rendered against every record: no 'a'/'an' mismatches, no doubled words, no empty phrases."""

from __future__ import annotations

import re

import pytest

from taxonomy_cli import output, queries, render_card, render_explain, render_sources
from taxonomy_cli.catalog import files, load
from taxonomy_cli.wording import counted, with_article

CATALOG = load(files())

_A_BEFORE_VOWEL = re.compile(r"\b[Aa] (?!uni|use|usu|one|euro|eu|ur|u\b)([aeiou]\w*)")
_AN_BEFORE_CONSONANT = re.compile(r"\b[Aa]n (?!hour|honest|heir)([bcdfgjklmnpqrstvwxz][a-z]\w*)")
_DOUBLED = re.compile(r"\b(\w{2,}) \1\b")  # same case: "CLIP clip/model.py" is a path, not a slip
_EMPTY = re.compile(r"(?<!\w)\(\s*\)|\[\s*\]|\s,|\s\.(\s|$)")  # not LLM.int8()


def problems(text: str) -> list[str]:
    found = [f"'a' before a vowel: {m.group(0)!r}" for m in _A_BEFORE_VOWEL.finditer(text)]
    found += [f"'an' before a consonant: {m.group(0)!r}" for m in _AN_BEFORE_CONSONANT.finditer(text)]
    found += [f"doubled word: {m.group(0)!r}" for m in _DOUBLED.finditer(text) if not m.group(1).isdigit()]
    found += [f"empty phrase: {m.group(0)!r}" for m in _EMPTY.finditer(text)]
    return found


@pytest.mark.parametrize("model", list(CATALOG.models.values()), ids=lambda m: m.id)
def test_every_model_card_reads_right(model):
    text = output.plain(render_card.model_document(CATALOG, model))
    assert problems(text) == []


@pytest.mark.parametrize("term", list(CATALOG.terms.values()), ids=lambda t: t.id)
def test_every_explanation_reads_right(term):
    text = output.plain(render_explain.term_document(CATALOG, term, render_explain.Level.ALL))
    assert problems(text) == []


@pytest.mark.parametrize("about", [None, "gpt-4", "phi-2", "llm"])
def test_myth_listings_read_right(about):
    text = output.plain(render_sources.myths_document(CATALOG, queries.myths_for(CATALOG, about), about))
    assert problems(text) == []


def test_the_checks_can_fail():
    assert problems("it is a encoder and an decoder, the the model ( ) ends .")  # each kind once
    assert len(problems("a encoder")) == len(problems("an decoder")) == len(problems("the the")) == 1
    assert problems("an LLM, a SLM-sized model, an hour, a unit, a decoder") == []


def test_articles_and_counts():
    assert [with_article(w) for w in ("official", "derived", "LLM", "GPU", "instruct")] == [
        "an official", "a derived", "an LLM", "a GPU", "an instruct"]  # fmt: skip
    assert counted(1, "wrong claim") == "1 wrong claim" and counted(2, "wrong claim") == "2 wrong claims"
