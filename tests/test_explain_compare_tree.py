"""`taxo explain`, `taxo compare`, `taxo tree`: what a newcomer and an engineer see."""

from __future__ import annotations


import pytest
from rich.cells import cell_len

TERMS = [
    "foundation", "llm", "slm", "chat", "base-model", "fine-tuning", "instruction-tuning", "rlhf",
    "prompt-engineering", "transfer-learning", "multimodal", "parameters", "tokens", "context-window",
]  # fmt: skip


@pytest.mark.parametrize("term", TERMS)
def test_every_term_explains_with_analogy_plain_technical_and_sources(taxo, term):
    data = taxo.json("explain", term)
    assert data["analogy"] and data["plain"] and data["technical"]["text"]
    assert data["technical"]["sources"], f"{term}: the technical definition has no source"
    result = taxo("explain", term)
    assert result.exit_code == 0
    out = result.stdout
    # newcomer first: the analogy comes before the plain words, which come before the technical definition
    assert out.index("In a picture") < out.index("In plain words") < out.index("Technically")
    assert "https://" in out


@pytest.mark.parametrize(
    ("alias", "term"),
    [("foundational", "foundation"), ("large language model", "llm"), ("small-language-model", "slm"),
     ("RLHF", "rlhf"), ("Prompt Engineering", "prompt-engineering"), ("context length", "context-window")],
)  # fmt: skip
def test_explain_forgives_names_and_aliases(taxo, alias, term):
    assert taxo.json("explain", alias)["id"] == term


def test_explain_foundation_has_the_library_analogy_and_the_stanford_definition(taxo):
    out = taxo("explain", "foundation").stdout
    assert "library" in out
    assert "Bommasani et al. (Stanford CRFM, 2021)" in out
    assert "https://arxiv.org/abs/2108.07258" in out


def test_explain_llm_corrects_the_chatbot_misconception(taxo):
    data = taxo.json("explain", "llm")
    myths = {m["id"]: m for m in data["misconceptions"]}
    assert "llm-means-chatbot" in myths
    assert "chat model" in myths["llm-means-chatbot"]["correction"]
    assert "robots" in data["analogy"]


def test_explain_slm_says_there_is_no_agreed_threshold(taxo):
    out = taxo("explain", "slm").stdout
    assert "There is no agreed threshold" in out
    assert "5B" in out and "10B" in out


def test_examples_come_from_the_catalogue_with_reasons(taxo):
    from taxonomy_cli.catalog import bundled_files, load
    from taxonomy_cli.queries import classify

    catalog = load(bundled_files())
    data = taxo.json("explain", "slm")
    assert data["examples"]
    for example in data["examples"]:
        model = catalog.models[example["id"]]
        assert "slm" in {m.category for m in classify(catalog, model)}
        assert example["why"]


def test_explain_level_newcomer_shows_only_the_gentle_part(taxo):
    out = taxo("explain", "llm", "--level", "newcomer").stdout
    assert "In a picture" in out and "In plain words" in out
    assert "Technically" not in out


def test_explain_a_model_points_to_show(taxo):
    result = taxo("explain", "mistral-7b")
    assert result.exit_code == 3
    assert "taxo show mistral-7b" in result.stderr
    assert result.stdout == ""


def test_explain_unknown_term_suggests(taxo):
    result = taxo("explain", "rlfh")
    assert result.exit_code == 3
    assert "did you mean 'rlhf'" in result.stderr


def test_compare_llm_slm_on_the_same_axes(taxo):
    out = taxo("compare", "llm", "slm").stdout
    for axis in ("Scope", "Training data", "Typical size", "Applications", "Adaptability", "Efficiency", "Examples"):
        assert axis in out
    data = taxo.json("compare", "llm", "slm")
    assert data["kind"] == "terms" and data["items"] == ["llm", "slm"]
    examples = next(r for r in data["rows"] if r["label"] == "Examples")
    assert examples["values"]["llm"] != "—" and examples["values"]["slm"] != "—"


def test_compare_models_marks_differences(taxo):
    data = taxo.json("compare", "mistral-7b", "phi-2", "gemma-2b")
    assert data["kind"] == "models"
    rows = {r["label"]: r for r in data["rows"]}
    assert rows["Organization"]["differs"] is True
    assert rows["Modalities"]["differs"] is False
    assert rows["Parameters"]["values"]["mistral-7b"] == "7.24B (derived)"
    assert [m["id"] for m in data["models"]] == ["mistral-7b", "phi-2", "gemma-2b"]
    assert "Organization ≠" in taxo("compare", "mistral-7b", "phi-2").stdout


def test_compare_model_against_categories_says_why_and_why_not(taxo):
    data = taxo.json("compare", "phi-2", "llm", "slm")
    assert data["kind"] == "fit"
    fits = {f["category"]: f["fits"] for f in data["fits"]}
    assert fits == {"llm": False, "slm": True}
    out = taxo("compare", "phi-2", "llm", "slm").stdout
    assert "✗ no: every view that can decide says it is not" in out
    assert "✗ Zhao et al. (2023): 2.7B parameters is below the 10B LLM line (Zhao et al. 2023)" in out
    assert "✓ yes:" in out and "✓ Microsoft: " in out


def test_compare_markdown_is_a_pipe_table(taxo):
    result = taxo("compare", "llm", "slm", "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[2].endswith("| LLM | SLM |")
    assert lines[3] == "| --- | --- | --- |"
    assert lines[4].startswith("| **Definition** |")


def test_compare_needs_two_names(taxo):
    result = taxo("compare", "llm")
    assert result.exit_code == 2
    assert "at least two" in result.stderr


@pytest.mark.parametrize("width", [80, 50])
@pytest.mark.parametrize(
    "args", [("compare", "llm", "slm"), ("compare", "foundation", "llm", "slm"), ("show", "mistral-7b"),
             ("explain", "foundation"), ("compare", "mistral-7b", "phi-2", "gemma-2b"), ("tree",)],
)  # fmt: skip
def test_terminal_output_fits_the_width(taxo, args, width):
    result = taxo(*args, "--format", "table", env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    widest = max(cell_len(line) for line in result.stdout.splitlines())
    assert widest <= width


def test_tree_draws_categories_families_models_and_marks_models_in_two_places(taxo):
    out = taxo("tree").stdout
    assert "Foundation model:" in out
    assert "Large language model (LLM):" in out and "Small language model (SLM):" in out
    assert "GPT-4 (gpt-4, undisclosed, chat)  (also under Multimodal model)" in out
    assert "LLaMA 7B (llama-7b" in out and "Alpaca 7B (alpaca-7b" in out
    lineage = out[out.index("Training stages"):]
    assert lineage.index("LLaMA 7B") < lineage.index("Alpaca 7B")


def test_tree_depth_stops_early(taxo):
    shallow = taxo("tree", "--depth", "1", "--no-lineage").stdout
    assert "Large language model (LLM):" in shallow
    assert "(gpt-4," not in shallow and "Llama 3 (llama-3)" not in shallow
    families = taxo("tree", "--depth", "2", "--no-lineage").stdout
    assert "Llama 3 (llama-3):" in families and "(llama-3-8b," not in families


def test_tree_json(taxo):
    data = taxo.json("tree", "--depth", "1")
    labels = [c["label"] for c in data["taxonomy"]["children"]]
    assert any(label.startswith("Large language model") for label in labels)
    assert data["lineage"]["children"]


def test_compare_csv_has_one_row_per_aspect(taxo):
    import csv
    import io

    result = taxo("compare", "mistral-7b", "phi-2", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["aspect", "mistral-7b", "phi-2", "differs"]
    organization = next(r for r in rows if r["aspect"] == "Organization")
    assert organization == {"aspect": "Organization", "mistral-7b": "Mistral AI", "phi-2": "Microsoft", "differs": "true"}
