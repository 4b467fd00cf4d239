"""One JSON shape per kind of record (taxonomy_cli/shapes.py), checked on every command that writes one."""

from __future__ import annotations

import pytest

from taxonomy_cli.shapes import (
    CategoryJSON,
    CitedSourceJSON,
    FamilyJSON,
    ModelJSON,
    MythJSON,
    ParametersJSON,
    QuantityJSON,
    SourceJSON,
    TermJSON,
)


def keys(shape: type) -> set[str]:
    return set(shape.__annotations__)


def assert_source(source: dict) -> None:
    assert set(source) == keys(SourceJSON), source
    assert source["url"].startswith(("http://", "https://"))


def assert_myth(myth: dict) -> None:
    assert set(myth) == keys(MythJSON), myth
    assert myth["about"] and myth["sources"]
    for source in myth["sources"]:
        assert_source(source)


def assert_model(data: dict) -> None:
    assert set(data) == keys(ModelJSON)
    assert set(data["parameters"]) == keys(ParametersJSON)
    for detail in (data["context_length_detail"], data["training_tokens_detail"], data["parameters"]["active_detail"]):
        assert detail is None or set(detail) == keys(QuantityJSON)
    for category in data["categories"]:
        assert set(category) == keys(CategoryJSON)


@pytest.mark.parametrize("name", ["gpt-4", "gpt-4o-mini", "bert-base", "mistral-7b", "mixtral-8x7b"])
def test_show_a_model(taxo, name):
    data = taxo.json("show", name)
    assert_model(data)
    for source in data["sources"]:
        assert_source(source)
    assert data["myths"], name  # each of these has myths, its own or its family's
    for myth in data["myths"]:
        assert_myth(myth)


def test_show_a_family(taxo):
    data = taxo.json("show", "llama-3")
    assert set(data) == keys(FamilyJSON)
    for source in data["sources"]:
        assert_source(source)
    for myth in data["myths"]:
        assert_myth(myth)


@pytest.mark.parametrize("term", ["llm", "slm", "foundation", "mixture-of-experts"])
def test_explain(taxo, term):
    data = taxo.json("explain", term)
    assert set(data) == keys(TermJSON)
    for source in [*data["sources"], *data["technical"]["sources"]]:
        assert_source(source)
    for myth in data["misconceptions"]:
        assert_myth(myth)


@pytest.mark.parametrize("about", [[], ["gpt-4"], ["llm"]])
def test_myths(taxo, about):
    myths = taxo.json("myths", *about)
    assert myths
    for myth in myths:
        assert_myth(myth)


@pytest.mark.parametrize("name", ["gpt-4", "llama-3", "slm"])
def test_sources_nest_each_source_beside_what_it_supports(taxo, name):
    data = taxo.json("sources", name)
    assert data["id"] and data["kind"] in ("model", "family", "term")
    for cited in data["sources"]:
        assert set(cited) == keys(CitedSourceJSON)
        assert_source(cited["source"])
        assert cited["supports"]


def test_the_same_source_has_the_same_shape_in_every_command(taxo):
    card = next(s for s in taxo.json("show", "gpt-4")["sources"] if s["id"] == "gpt-4-report")
    cited = next(c["source"] for c in taxo.json("sources", "gpt-4")["sources"] if c["source"]["id"] == "gpt-4-report")
    in_myth = next(s for m in taxo.json("myths", "gpt-4") for s in m["sources"] if s["id"] == "gpt-4-report")
    assert card == cited == in_myth


def test_list_json_models_are_the_show_shape(taxo):
    listed = taxo.json("list", "--family", "phi")["models"]
    assert listed
    for model in listed:
        assert_model(model)
        assert model == taxo.json("show", model["id"])
