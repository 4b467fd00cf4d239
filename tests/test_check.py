"""`taxo check`: articles read like a linter reads code. The articles under tests/data/articles are our own, in
the style of blog posts: a listicle with a table, a tutorial, an HTML comparison and an accurate field guide."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA

ARTICLES = DATA / "articles"


def check(taxo, *args: str, text: str | None = None):
    return taxo.runner.invoke(__import__("taxonomy_cli.cli").cli.app, ["check", *args], input=text)


def findings(taxo, text: str) -> list[tuple[str, str, str]]:
    result = check(taxo, "-", "--format", "json", "--fail-on", "never", text=text)
    assert result.exit_code == 0, result.stderr
    return [(f["verdict"], f["subject"], f["field"]) for f in json.loads(result.stdout)["files"][0]["findings"]]


# -- the articles' errors (the issue's own examples) -----------------------------------------------------------------


def test_the_listicle_errors_are_found_with_their_verdicts(taxo):
    result = check(taxo, str(ARTICLES / "listicle.md"), "--format", "json")
    assert result.exit_code == 5
    data = json.loads(result.stdout)
    found = {(f["line"], f["verdict"], f["subject"], f["field"]) for f in data["files"][0]["findings"]}
    assert (5, "unsupported", "gpt-4", "myth") in found  # 170 trillion: OpenAI never disclosed GPT-4's size
    assert (6, "wrong", "bert", "category") in found  # BERT among the LLMs
    assert (7, "contested", "mistral-7b", "category") in found  # Mistral 7B as an SLM: whose line?
    assert (8, "wrong", "llama-2", "organization") in found  # Llama 2 is Meta's, not Salesforce's
    assert (9, "wrong", "falcon-180b", "license") in found
    assert (10, "wrong", "mixtral-8x7b", "myth") in found  # 46.7B, not 8 x 7B
    assert (11, "wrong", "claude-3-opus", "open_source") in found
    assert (15, "wrong", "mistral-7b", "myth") in found  # the table's 32K: the myth's own pattern
    assert not any(line in (4, 16) for line, *_ in found)  # 'July 2023' is right; GPT-3's 175B is right
    assert data["counts"] == {"wrong": 6, "unsupported": 1, "imprecise": 0, "contested": 1}


def test_a_finding_has_the_json_contract_shape(taxo):
    data = json.loads(check(taxo, str(ARTICLES / "listicle.md"), "--format", "json").stdout)
    assert set(data) == {"files", "counts", "unreadable"}
    finding = data["files"][0]["findings"][0]
    assert set(finding) == {"line", "column", "quote", "subject", "field", "claimed", "fact", "verdict", "why",
                            "myth", "sources"}  # fmt: skip
    assert finding["myth"] == "gpt-4-170-trillion-parameters" and finding["column"] == 6
    assert finding["quote"].startswith("1. **GPT-4**")
    assert finding["sources"] and set(finding["sources"][0]) == {"title", "url"}


def test_text_output_reads_like_a_linter(taxo):
    result = check(taxo, str(ARTICLES / "listicle.md"))
    lines = result.stdout.splitlines()
    path = str(ARTICLES / "listicle.md")
    assert lines[0].startswith(f"{path}:5:6: unsupported [gpt-4, myth] a known myth: GPT-4 has 170 trillion")
    assert "    catalogue: " in result.stdout and "    see: taxo show gpt-4" in result.stdout
    assert any(set(line.strip()) == {"^"} for line in lines)  # the claim underlined
    assert lines[-1] == "8 findings (6 wrong, 1 unsupported, 1 contested) in 1 of 1 file checked"


def test_github_annotations(taxo):
    result = check(taxo, str(ARTICLES / "listicle.md"), "--format", "github")
    assert result.exit_code == 5
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"::error file={ARTICLES / 'listicle.md'},line=5,col=6,title=taxo check%3A unsupported::")
    assert "::notice file=" in result.stdout  # contested is a notice, not an error


# -- what is right, what is debunked, tolerance ---------------------------------------------------------------------


def test_the_accurate_field_guide_has_no_false_alarm(taxo):
    result = check(taxo, str(ARTICLES / "accurate.md"), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["files"][0]["findings"] == []


def test_debunking_sentences_are_not_claims(taxo):
    found = findings(taxo, (ARTICLES / "tutorial.rst").read_text())
    assert ("wrong", "whisper", "myth") in found
    assert ("wrong", "gemma-2b", "context_length") in found  # 32K: Gemma 2B reads 8K
    assert not any(subject in ("gpt-4", "mixtral-8x7b", "bert") for _, subject, _ in found)  # the rumour paragraph
    assert len(found) == 2


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("GPT-3 has 175 billion parameters.", []),
        ("GPT-3 has about 175B parameters.", []),
        ("GPT-3 has 150 billion parameters.", [("imprecise", "gpt-3", "parameters")]),
        ("GPT-3 has 13 billion parameters.", [("wrong", "gpt-3", "parameters")]),
        ("Mistral 7B has 7.3 billion parameters.", []),  # 7.24B: a nominal figure is no error
        ("Mistral 7B is a great model.", []),  # the 7B in its name is not a claim
        ("Mixtral 8x7B has 12.9B active parameters.", []),
        ("Mixtral 8x7B has 30B active parameters.", [("wrong", "mixtral-8x7b", "active_parameters")]),
        ("Mistral 7B has a 128K context window.", [("wrong", "mistral-7b", "context_length")]),
        ("Gemma 2B has a context window of 8K tokens.", []),
        ("Qwen3-8B was trained on 36 trillion tokens.", []),
        ("Qwen3-8B was trained on 5 trillion tokens.", [("wrong", "qwen-3-8b", "training_tokens")]),
        ("Llama 2 was released in July 2023.", []),
        ("Llama 2 was released in 2023.", []),  # a year for a date is right when the year is
        ("Llama 2 was released in June 2023.", [("imprecise", "llama-2", "released")]),
        ("Llama 2 was released in 2021.", [("wrong", "llama-2", "released")]),
        ("Llama 2 by Salesforce is popular.", [("wrong", "llama-2", "organization")]),
        ("Google's Llama 2 is popular.", [("wrong", "llama-2", "organization")]),
        ("Llama 2 by Meta is popular.", []),
        ("Falcon-7B is licensed under Apache 2.0.", []),
        ("Falcon 180B is Apache 2.0.", [("wrong", "falcon-180b", "license")]),
        ("Mistral 7B is open source.", []),
        ("Llama 2 7B is open source.", [("imprecise", "llama-2-7b", "open_source")]),  # open weights, not OSI
        ("GPT-4 is open source.", [("wrong", "gpt-4", "open_source")]),
        ("BERT is an LLM.", [("wrong", "bert", "category")]),
        ("BERT generates text.", [("wrong", "bert", "output")]),
        ("GPT-3 is an SLM.", [("wrong", "gpt-3", "category")]),
        ("Mistral 7B is an SLM.", [("contested", "mistral-7b", "category")]),
        ("GPT-4 is a mixture-of-experts model.", [("unsupported", "gpt-4", "architecture")]),
        ("Llama 3.1 405B is a mixture-of-experts model.", [("wrong", "llama-3.1-405b", "architecture")]),
        ("An LLM is a language model fine-tuned for conversation.", [("wrong", "llm", "myth")]),
        ("Zorblax-9000 has 3 trillion parameters.", []),  # not in the catalogue: say nothing
        ("Sam Altman said the model has 2 trillion parameters.", []),  # Sam is not SAM
    ],
)
def test_each_kind_of_claim_right_and_wrong(taxo, sentence, expected):
    assert findings(taxo, sentence) == expected


def test_a_list_of_llms_names_each_member(taxo):
    found = findings(taxo, "LLMs such as GPT-4, BERT and T5 are everywhere.")
    assert ("wrong", "bert", "category") in found
    assert not any(subject == "gpt-4" for _, subject, _ in found)


def test_html_is_read_without_its_tags_and_columns_stay_true(taxo):
    result = check(taxo, str(ARTICLES / "comparison.html"), "--format", "json")
    found = json.loads(result.stdout)["files"][0]["findings"]
    assert {(f["line"], f["verdict"], f["subject"]) for f in found} == {(4, "wrong", "llm"), (6, "unsupported", "gpt-4")}
    line = (ARTICLES / "comparison.html").read_text().splitlines()[5]
    gpt4 = next(f for f in found if f["subject"] == "gpt-4")
    assert line[gpt4["column"] - 1 :].startswith("mixture-of-experts")


# -- files, folders, exit codes ---------------------------------------------------------------------------------------


def test_a_folder_is_walked_for_articles_and_each_file_reported(taxo):
    result = check(taxo, str(ARTICLES), "--format", "json")
    data = json.loads(result.stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["accurate.md", "comparison.html", "listicle.md",
                                                             "tutorial.rst"]  # fmt: skip
    assert result.exit_code == 5


@pytest.mark.parametrize(("fail_on", "code"), [("wrong", 0), ("unsupported", 0), ("imprecise", 5), ("never", 0)])
def test_fail_on_sets_the_threshold(taxo, fail_on, code):
    result = check(taxo, "-", "--fail-on", fail_on, text="Llama 2 was released in June 2023.")
    assert result.exit_code == code


def test_contested_fails_only_when_asked(taxo):
    assert check(taxo, "-", text="Mistral 7B is an SLM.").exit_code == 0
    assert check(taxo, "-", "--fail-on", "contested", text="Mistral 7B is an SLM.").exit_code == 5


def test_unreadable_files_get_one_message_each_and_the_run_goes_on(taxo, tmp_path):
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02 GPT-4 has 170 trillion parameters")
    (tmp_path / "latin1.md").write_bytes("GPT-4 caf\xe9".encode("latin-1"))
    (tmp_path / "huge.txt").write_bytes(b"a" * (8 * 1024 * 1024 + 1))
    (tmp_path / "good.md").write_text("BERT is an LLM.\n")
    os.mkfifo(tmp_path / "fifo.md") if hasattr(os, "mkfifo") else None
    result = check(taxo, str(tmp_path), str(tmp_path / "missing.md"), "--format", "json")
    data = json.loads(result.stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["good.md"]
    why = {Path(u["path"]).name: u["why"] for u in data["unreadable"]}
    assert why["binary.md"] == "a binary file, not text"
    assert why["latin1.md"].startswith("not UTF-8 text")
    assert why["huge.txt"].startswith("larger than 8 MB")
    assert why["missing.md"] == "no such file"
    assert "fifo.md" not in why or why["fifo.md"] == "not a regular file"
    assert result.exit_code == 5  # the good file's finding decides
    assert result.stderr.count("not checked:") == len(why)
    assert "Traceback" not in result.stderr


def test_an_unreadable_file_alone_exits_4(taxo, tmp_path):
    result = check(taxo, str(tmp_path / "missing.md"))
    assert result.exit_code == 4 and "missing.md: not checked: no such file" in result.stderr


def test_checked_files_are_never_modified(taxo, tmp_path):
    article = tmp_path / "post.md"
    article.write_text((ARTICLES / "listicle.md").read_text())
    before = (article.read_bytes(), article.stat().st_mtime_ns)
    check(taxo, str(article))
    assert (article.read_bytes(), article.stat().st_mtime_ns) == before


def test_quoted_text_is_inert_in_every_format(taxo):
    hostile = "GPT-4 \x1b[2J\x1b]52;c;ZXZpbA==\x07 has 170 trillion parameters [bold]x[/bold] \u202e."
    for fmt in ("plain", "table", "github"):
        result = check(taxo, "-", "--format", fmt, text=hostile)
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\x07" not in result.stdout
    data = json.loads(check(taxo, "-", "--format", "json", text=hostile).stdout)
    assert data["files"][0]["findings"][0]["quote"] == hostile  # JSON keeps the exact text, escaped the JSON way


@settings(max_examples=60)
@given(st.text(max_size=400))
def test_any_text_gives_an_answer_not_a_traceback(taxo, text):
    result = check(taxo, "-", "--format", "json", "--fail-on", "never", text=text)
    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)
