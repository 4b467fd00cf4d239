"""Verdicts on a model and a category: yes, no, contested or unknown, each with every view that bears on it."""

from __future__ import annotations

import pytest


def fits(taxo, *args):
    return {(f["model"], f["category"]): f for f in taxo.json("compare", *args)["fits"]}


def test_makers_words_count_alike_for_large_and_small(taxo):
    """Mistral AI's 'Large Language Model', Meta's 'large language models', Microsoft's 'small language model':
    each is one view beside the size lines, so the verdict is contested wherever they disagree with a line."""
    fits = {(f["model"], f["category"]): f for f in taxo.json("compare", "mistral-7b", "llama-3-8b", "phi-4", "llm", "slm")["fits"]}
    assert fits[("mistral-7b", "llm")]["verdict"] == "contested"
    assert fits[("llama-3-8b", "llm")]["verdict"] == "contested"
    assert fits[("phi-4", "slm")]["verdict"] == "contested"  # Microsoft says small; both lines say no at 14.7B
    assert fits[("phi-4", "llm")]["verdict"] == "yes"  # nobody's words say it is not large: silence is no view


def test_a_quote_that_does_not_name_the_category_is_no_view(taxo):
    """'our most capable model yet' does not say LLM: Gemini 2.5 Pro's size is undisclosed, so nobody decides."""
    assert fits(taxo, "gemini-2.5-pro", "llm")[("gemini-2.5-pro", "llm")]["verdict"] == "unknown"
    views = fits(taxo, "chatgpt", "llm")[("chatgpt", "llm")]["views"]
    assert {v["by"] for v in views} == {"Zhao et al. (2023)", "OpenAI"}  # one holder per view


def test_a_size_between_the_lines_is_contested_with_both_views(taxo):
    fit = fits(taxo, "mistral-7b", "slm")[("mistral-7b", "slm")]
    assert fit["verdict"] == "contested" and fit["fits"] is None
    views = {v["by"]: v["verdict"] for v in fit["views"]}
    assert views["Lu et al. (2024)"] == "no" and views["Belcak et al. (2025)"] == "yes"
    out = taxo("compare", "mistral-7b", "llm", "slm").stdout
    assert "± contested: the views that can decide disagree" in out
    assert "✗ Lu et al. (2024): 7.24B parameters is above the 5B SLM ceiling (Lu et al. 2024)." in out
    assert "✓ Belcak et al. (2025): A language model (text → text) with 7.24B parameters" in out


def test_an_undisclosed_size_is_unknown_not_no(taxo):
    fit = fits(taxo, "gemini-2.0-flash", "llm", "slm")
    for category in ("llm", "slm"):
        entry = fit[("gemini-2.0-flash", category)]
        assert entry["verdict"] == "unknown" and entry["fits"] is None and entry["views"] == []
        assert "cannot be applied" in entry["why"]
    out = taxo("compare", "gemini-2.0-flash", "llm").stdout
    assert "? unknown: no view can decide" in out and "✗" not in out


def test_a_sourced_view_decides_where_the_size_lines_cannot(taxo):
    fit = fits(taxo, "gpt-4o-mini", "slm")[("gpt-4o-mini", "slm")]
    assert fit["verdict"] == "yes" and fit["fits"] is True
    assert [v["by"] for v in fit["views"]] == ["OpenAI"]


def test_no_when_every_view_says_no_with_the_reason(taxo):
    fit = fits(taxo, "bert-base", "llm")[("bert-base", "llm")]
    assert fit["verdict"] == "no" and fit["fits"] is False
    assert "encoder-only transformer, not a text generator" in fit["why"]


def test_a_family_in_compare_stands_for_its_members(taxo):
    data = taxo.json("compare", "bert", "llm", "slm")
    assert {f["model"] for f in data["fits"]} == {"bert-base", "bert-large"}
    assert all(f["verdict"] == "no" for f in data["fits"])
    result = taxo("compare", "bert", "llm")
    assert result.exit_code == 0 and "BERT-Base" in result.stdout and "BERT-Large" in result.stdout


def test_show_lists_contested_categories_with_their_views(taxo):
    card = taxo.json("show", "mistral-7b")
    categories = {c["id"]: c for c in card["categories"]}
    assert categories["foundation"]["verdict"] == "yes"
    assert categories["slm"]["verdict"] == "contested"
    assert {v["by"] for v in categories["slm"]["views"]} == {"Lu et al. (2024)", "Belcak et al. (2025)"}
    assert set(categories["slm"]["views"][0]) == {"verdict", "by", "why", "sources"}
    assert categories["llm"]["verdict"] == "contested"  # Zhao et al.'s line says no; Mistral AI's card says LLM
    assert {v["by"]: v["verdict"] for v in categories["llm"]["views"]} == {"Zhao et al. (2023)": "no", "Mistral AI": "yes"}
    out = taxo("show", "mistral-7b").stdout
    assert "Small language model (SLM) (contested):" in out
    assert "✗ Lu et al. (2024):" in out and "✓ Belcak et al. (2025):" in out


def test_show_says_which_placements_nobody_can_decide(taxo):
    card = taxo.json("show", "gemini-2.0-flash")
    assert {c["id"] for c in card["categories"]} >= {"foundation", "multimodal"}
    assert not {"llm", "slm"} & {c["id"] for c in card["categories"]}
    out = taxo("show", "gemini-2.0-flash").stdout
    assert "Large language model (LLM) (unknown):" in out and "cannot be applied" in out


def test_tree_places_foundation_only_models_and_marks_contested(taxo):
    out = taxo("tree").stdout
    assert "In no sub-category" in out
    assert "BERT-Base (bert-base" in out and "Segment Anything" in out or "(sam," in out
    assert "± contested" in out
    assert "of them contested" in out
    taxonomy = taxo.json("tree")["taxonomy"]
    labels = [c["label"] for c in taxonomy["children"]]
    assert any(label.startswith("In no sub-category") for label in labels)


def test_list_says_which_rows_are_contested(taxo):
    out = taxo("list", "--category", "slm", "--org", "mistral").stdout
    assert "slm (contested)" in out
    rows = taxo("list", "--category", "slm", "--format", "csv").stdout
    assert "contested_categories" in rows.splitlines()[0]


@pytest.mark.parametrize("model", ["mistral-7b", "phi-4", "gemma-2b", "gpt-4o-mini", "llama-3.1-8b", "bert-base"])
def test_the_json_verdict_agrees_with_the_views(taxo, model):
    """The policy, seen from outside: yes when every deciding view says yes, no when all say no, contested when
    they disagree, unknown when none decides; fits is the verdict as a boolean or null."""
    for fit in taxo.json("compare", model, "llm", "slm", "foundation")["fits"]:
        answers = {v["verdict"] for v in fit["views"]}
        expected = "unknown" if not answers else "contested" if len(answers) > 1 else answers.pop()
        assert fit["verdict"] == expected
        assert fit["fits"] == {"yes": True, "no": False}.get(expected)


def test_explain_says_where_each_source_draws_the_line(taxo):
    for term in ("slm", "llm"):
        data = taxo.json("explain", term)
        lines = {(line["category"], line["by"]): line["span"] for line in data["size_lines"]}
        assert lines == {("slm", "Lu et al. (2024)"): "from 100M to 5B", ("slm", "Belcak et al. (2025)"): "below 10B",
                         ("llm", "Zhao et al. (2023)"): "10B and up"}
    out = taxo("explain", "slm").stdout
    assert "Where the line falls (the sources disagree)" in out
    assert "SLM, Lu et al. (2024):" in out and "from 100M to 5B" in out
    assert taxo.json("explain", "quantization")["size_lines"] == []


def test_explain_gives_the_catalogues_own_figures_for_a_category(taxo):
    """Today's SLMs are trained on trillions of tokens and many read long contexts: the catalogue's own numbers."""
    figures = taxo.json("explain", "slm")["figures"]
    assert figures["models"] > 100 and 0 < figures["contested"] < figures["models"]
    assert figures["training_tokens"]["median"] >= 1_000_000_000_000
    assert figures["training_tokens"]["max"] >= 36_000_000_000_000  # Qwen3's small models: 36T tokens
    assert figures["context_32k_or_more"] > 0
    out = taxo("explain", "slm").stdout
    assert "In the catalogue: its SLMs" in out and "read 32K or more" in out
    assert "Purpose:" in out and "general-purpose" in out and "Small does not mean short context" in out
    assert taxo.json("explain", "quantization")["figures"] is None


def test_explain_prefers_examples_every_view_agrees_on(taxo):
    examples = taxo.json("explain", "slm")["examples"]
    assert examples and all(e["verdict"] == "yes" for e in examples)


def test_compare_llm_slm_puts_the_lines_and_the_catalogues_figures_side_by_side(taxo):
    rows = {r["label"]: r["values"] for r in taxo.json("compare", "llm", "slm")["rows"]}
    assert rows["Where the line falls"]["llm"] == "10B and up, by Zhao et al. (2023)"
    assert "from 100M to 5B, by Lu et al. (2024)" in rows["Where the line falls"]["slm"]
    assert "below 10B, by Belcak et al. (2025)" in rows["Where the line falls"]["slm"]
    assert "median training data" in rows["In the catalogue"]["slm"] and "contested" in rows["In the catalogue"]["slm"]
    assert "often tuned for specific tasks" not in rows["Scope"]["slm"]


def test_list_and_show_agree_on_every_models_categories(taxo):
    """list reads verdicts without their reasons (fast); show reads them in full: the same answer for every model."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(taxo("list", "--format", "csv").stdout)))
    cards = {m["id"]: m for m in taxo.json("list")["models"]}
    assert len(rows) == len(cards) > 400
    for row in rows:
        card = cards[row["id"]]
        assert (row["categories"].split("; ") if row["categories"] else []) == [c["id"] for c in card["categories"]]
        contested = [c["id"] for c in card["categories"] if c["verdict"] == "contested"]
        assert (row["contested_categories"].split("; ") if row["contested_categories"] else []) == contested


def test_chatgpt_is_a_product_whose_model_has_changed(taxo):
    card = taxo.json("show", "chatgpt")
    models = [(p["model"], p["since"]) for p in card["product_models"]]
    assert models[:4] == [("chatgpt", "2022-11-30"), ("gpt-4", "2023-03-14"), ("gpt-4o", "2024-05-13"),
                          ("gpt-5", "2025-08-07")]  # fmt: skip
    assert all(p["sources"] and "cited for:" in p["note"] for p in card["product_models"])
    out = taxo("show", "chatgpt").stdout
    assert "A product, not one model: the models behind it" in out and "GPT-4o (taxo show gpt-4o)" in out
    assert taxo.json("show", "gpt-4o")["product_models"] == []
    assert "ChatGPT is a product" in taxo("explain", "chat").stdout
