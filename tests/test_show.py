"""`taxo show`: model and family cards on a terminal, piped and as JSON."""

from __future__ import annotations

import pytest


def test_show_model_plain_card_has_facts_categories_and_sources(taxo):
    result = taxo("show", "mistral-7b")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Mistral 7B (mistral-7b)\n")
    assert "Organization:" in out and "Mistral AI" in out
    assert "7.24B (7,241,732,096) · derived" in out
    assert "7.3B (7,300,000,000) · official" in out  # the announcement's figure, recorded beside ours
    assert "Small language model (SLM) (contested):" in out and "below the 10B line" in out
    assert "https://arxiv.org/abs/2310.06825" in out
    assert "\x1b[" not in out  # plain when not a terminal
    assert result.stderr == ""


@pytest.mark.parametrize("name", ["Mistral 7B", "mistral7b", "MISTRAL-7B", "mistral 7b v0.1", "Mistral.7B"])
def test_lookup_forgives_case_spaces_dashes_dots_and_aliases(taxo, name):
    assert taxo.json("show", name)["id"] == "mistral-7b"


def test_show_json_follows_the_contract(taxo):
    data = taxo.json("show", "Mistral 7B")
    assert data["id"] == "mistral-7b" and data["kind"] == "model"
    assert data["organization"] == "Mistral AI"
    assert data["released"] == "2023-09-27"
    assert data["parameters"]["value"] == 7_241_732_096
    assert data["parameters"]["status"] == "derived"
    assert data["parameters"]["display"] == "7.24B"
    assert data["parameters"]["active"] is None
    assert isinstance(data["context_length"], int)
    assert data["modalities"] == {"input": ["text"], "output": ["text"]}
    assert data["weights"] == "open" and data["license"] == "Apache-2.0" and data["stage"] == "base"
    assert data["base_model"] is None and data["family"] == "mistral"
    assert {c["id"] for c in data["categories"]} >= {"foundation", "slm"}
    assert all(isinstance(c["why"], str) and c["why"] for c in data["categories"])
    assert all(set(s) >= {"title", "url"} for s in data["sources"])


def test_gpt_4_size_is_undisclosed_never_a_blog_number(taxo):
    data = taxo.json("show", "gpt-4")
    assert data["parameters"]["value"] is None
    assert data["parameters"]["status"] == "undisclosed"
    assert data["parameters"]["display"] == "undisclosed"
    assert {c["id"] for c in data["categories"]} >= {"foundation", "llm", "multimodal"}
    llm = next(c for c in data["categories"] if c["id"] == "llm")
    assert llm["judged_by"] == "Zhao et al. (2023)"  # the survey names it an LLM; OpenAI's report does not say so
    assert llm["verdict"] == "yes" and [v["by"] for v in llm["views"]] == ["Zhao et al. (2023)"]
    card = taxo("show", "gpt-4").stdout
    assert "undisclosed" in card
    assert "Myth: GPT-4 has 170 trillion parameters." in card  # shown as a myth, with its correction


def test_show_family_lists_members(taxo):
    data = taxo.json("show", "llama-3")
    assert data["kind"] == "family"
    assert {"llama-3-8b", "llama-3-70b"} <= set(data["members"])
    card = taxo("show", "llama-3").stdout
    assert card.startswith("Llama 3 family (llama-3)")
    assert "llama-3-8b:" in card


def test_family_sharing_a_models_name_is_found_as_name_family(taxo):
    assert taxo.json("show", "gpt-4")["kind"] == "model"
    assert taxo.json("show", "gpt-4 family")["kind"] == "family"


def test_unknown_name_suggests_and_prints_nothing_on_stdout(taxo):
    result = taxo("show", "gtp-4")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "did you mean 'gpt-4'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_table_format_draws_a_panel(taxo):
    result = taxo("show", "mistral-7b", "--format", "table", env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "╭" in result.stdout and "Mistral 7B (mistral-7b)" in result.stdout


def test_narrow_table_fits_the_terminal(taxo):
    result = taxo("show", "mistral-7b", "--format", "table", env={"COLUMNS": "50"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 50
