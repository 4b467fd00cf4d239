"""`taxo check`: articles read like a linter reads code. The articles under tests/data/articles are our own, in
the style of blog posts: a listicle with a table, a tutorial, an HTML comparison and an accurate field guide."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import DATA
from hypothesis import given, settings
from hypothesis import strategies as st

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


ACCURATE = ("accurate.md", "accurate-tutorial.md", "accurate-comparison.md", "accurate-notes.md")


def test_the_accurate_articles_raise_no_false_alarm(taxo):
    """Four accurate articles (a field guide, a tutorial with code, a comparison with a table, notes full of
    comparisons, per-expert and per-token figures, papers' dates): every finding on them would be a false alarm."""
    result = check(taxo, *(str(ARTICLES / name) for name in ACCURATE), "--format", "json", "--fail-on", "contested")
    data = json.loads(result.stdout)
    false_alarms = [(f["line"], f["claimed"]) for file in data["files"] for f in file["findings"]]
    assert [Path(f["path"]).name for f in data["files"]] == list(ACCURATE)
    assert false_alarms == []
    assert result.exit_code == 0


def test_the_myths_listicle(taxo):
    """Myths found through their own `patterns:` (catalogue data), and family-wide claims."""
    result = check(taxo, str(ARTICLES / "myths-listicle.md"), "--format", "json")
    found = [(f["line"], f["verdict"], f["subject"], f["field"], f["myth"])
             for f in json.loads(result.stdout)["files"][0]["findings"]]  # fmt: skip
    assert found == [
        (3, "wrong", "dall-e", "myth", "dall-e-is-diffusion"),
        (4, "wrong", "bloom", "myth", "bloom-released-november-2022"),
        (5, "wrong", "deepseek-v3", "myth", "deepseek-v3-cost-5.6m"),
        (6, "wrong", "gemma-3", "myth", "gemma-3-all-models-see-images"),
        (7, "wrong", "gpt-2", "myth", "gpt-2-never-released"),
        (8, "wrong", "gpt-5", "myth", "gpt-5-400k-input"),
        (9, "wrong", "llama-2", "myth", "llama-2-34b-released"),
        (10, "wrong", "vicuna", "myth", "vicuna-90-percent-chatgpt"),
        (11, "wrong", "llama-2", "context_length", None),  # every Llama 2 model reads 4K
        (12, "imprecise", "llama-3", "open_source", None),  # open weights under a licence that is not OSI
        (13, "wrong", "mixture-of-experts", "myth", "moe-uses-all-parameters-per-token"),
        (14, "wrong", "palm-2", "myth", "palm-2-14-7-billion-parameters"),
    ]
    assert result.exit_code == 5


def test_every_myth_pattern_finds_its_own_claim():
    """Each myth with patterns is found in its own claim sentence (a pattern that misses it is a typo)."""
    from taxonomy_cli.phrases import compile_phrase
    from taxonomy_cli.session import Session

    myths = [m for m in Session().catalog().myths.values() if m.patterns]
    missed = [m.id for m in myths if not any(compile_phrase(p).search(m.claim) for p in m.patterns)]
    assert len(myths) >= 40 and missed == []


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
        ("Llama 3.1 405B is a mixture-of-experts model.", [("wrong", "llama-3.1-405b", "myth")]),  # its myth
        ("Llama 2 70B is a mixture-of-experts model.", [("wrong", "llama-2-70b", "architecture")]),
        ("Llama 3.1 405B is a dense model, not a mixture-of-experts.", []),
        ("An LLM is a language model fine-tuned for conversation.", [("wrong", "llm", "myth")]),
        ("DALL-E 2 is a diffusion model.", []),
        ("Llama 2 has a 100K context window.", [("wrong", "llama-2", "context_length")]),  # the whole family
        ("Llama 2 has 70 billion parameters.", []),  # true of one of its models
        ("GPT-4 Turbo has a 128K context window, up from GPT-4's 8K.", []),  # the possessive's own figure
        ("Llama 2 reads 4,096 tokens, up from GPT-3's 8,192-token context.", [("wrong", "gpt-3", "context_length")]),
        ("DistilBERT is 40% smaller than BERT-Base, with 66 million parameters.", []),  # whose? say nothing
        ("Llama 2 doubled the context of LLaMA to 4,096 tokens.", []),
        ("Mixtral 8x7B has eight experts, each with about 7B parameters.", []),  # a part, not the whole
        ("Mixtral 8x7B uses about 13B parameters per token.", []),  # per token: the active count
        ("Mixtral 8x7B uses 30B parameters per token.", [("wrong", "mixtral-8x7b", "active_parameters")]),
        ("Stable Diffusion's UNet has 860M parameters.", []),
        ("Mixtral 8x7B, released in December 2023, reads a 32K context.", []),  # 2023 is no context window
        ("Llama 2 70B has a context window of 4,096.", []),
        ("Llama 2 70B has a context window of 2,048.", [("wrong", "llama-2-70b", "context_length")]),
        ("BLOOM's paper came out in November 2022.", []),  # a paper's date
        ("Llama 2 came in 7B, 13B and 70B sizes; a 34B version was not released.", []),
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
    assert [Path(f["path"]).name for f in data["files"]] == [
        "accurate-comparison.md", "accurate-notes.md", "accurate-tutorial.md", "accurate.md", "comparison.html",
        "listicle.md", "myths-listicle.md", "tutorial.rst"]  # fmt: skip
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


# -- code is not prose ------------------------------------------------------------------------------------------------


def test_code_blocks_are_not_read(taxo, tmp_path):
    claim = "GPT-4 has 170 trillion parameters."
    (tmp_path / "fenced.md").write_text(f"Intro.\n\n```bash\n# {claim}\n```\n\n~~~~\n{claim}\n~~~~\n{claim}\n")
    (tmp_path / "literal.rst").write_text(f"Example::\n\n    {claim}\n\n.. code-block:: text\n\n   {claim}\n\n{claim}\n")
    (tmp_path / "page.html").write_text(f"<pre>{claim}\n{claim}</pre>\n<p>{claim}</p>\n<code>{claim}</code>\n"
                                        f"<script>var x = '{claim}';</script>\n")  # fmt: skip
    data = json.loads(check(taxo, str(tmp_path), "--format", "json").stdout)
    lines = {Path(f["path"]).name: [x["line"] for x in f["findings"]] for f in data["files"]}
    assert lines == {"fenced.md": [10], "literal.rst": [9], "page.html": [3, 4]}  # the prose, not the code blocks


def test_an_unclosed_fence_hides_the_rest_and_an_unclosed_pre_too(taxo, tmp_path):
    (tmp_path / "open.md").write_text("```\nGPT-4 has 170 trillion parameters.\n")
    (tmp_path / "open.html").write_text("<pre>" + "<pre>" * 5000 + "GPT-4 has 170 trillion parameters.\n")
    data = json.loads(check(taxo, str(tmp_path), "--format", "json").stdout)
    assert all(f["findings"] == [] for f in data["files"])


def test_names_with_unicode_punctuation_are_found(taxo):
    assert findings(taxo, "DALL·E is a diffusion model.") == [("wrong", "dall-e", "myth")]
    assert findings(taxo, "Zu Beginn: GPT‑4 hat 170 trillion parameters – sagt man.") == [("unsupported", "gpt-4", "myth")]


def test_catalog_readme_names_every_cue_taxo_check_reads():
    """catalog/check.yaml's cue ids are documented in catalog/README.md (the category-, architecture- and output-
    cues as a kind)."""
    from taxonomy_cli.session import Session

    readme = (Path(__file__).resolve().parent.parent / "catalog" / "README.md").read_text(encoding="utf-8")
    kinds = ("category-", "architecture-", "output-")
    missing = [ident for ident in Session().catalog().cues if not ident.startswith(kinds)
               and f"`{ident}`" not in readme and not (ident.startswith("column-") and "`column-…`" in readme)]  # fmt: skip
    assert missing == []


def test_a_finding_is_worded_by_the_catalogue():
    """The wording of a finding is catalogue data (check.yaml's `says-…` cues): another template, another text."""
    from taxonomy_cli.check_judge import Checker
    from taxonomy_cli.check_text import Article
    from taxonomy_cli.session import Session

    catalog = Session().catalog()
    article = Article("a.md", ("Gemma 2B has a context window of 32K tokens.",))
    [bundled] = Checker(catalog).findings(article)
    assert bundled.why == "Gemma 2B's context window is 8K (official); the article says 32K (4× too high)"
    cue = catalog.cues["says-figure"]._replace(says="{model}: the catalogue has {fact}, not {said} ({how}; {licence})")
    reworded = catalog._replace(cues={**catalog.cues, "says-figure": cue})
    [finding] = Checker(reworded).findings(article)
    assert finding.why == "Gemma 2B: the catalogue has 8K (official), not 32K (4× too high; ?)"


def test_a_wording_that_names_an_unknown_fact_is_a_catalogue_problem(taxo, tmp_path):
    (tmp_path / "words.yaml").write_text('check:\n  - id: says-mine\n    says: "{model.name} and {fact:>99}"\n')
    result = taxo("--catalog", str(tmp_path / "words.yaml"), "validate")
    assert result.exit_code != 0
    assert "says: {model.name} is not a fact this text can name" in result.stderr
    assert "missing required field" not in result.stderr and "Traceback" not in result.stderr


# -- bounded: a flood is cut, with a note, and no quote grows with the file ------------------------------------------


def test_a_flood_of_findings_is_cut_with_a_note(taxo, tmp_path, monkeypatch):
    from taxonomy_cli import render_check

    monkeypatch.setattr(render_check, "MAX_FINDINGS", 10)
    (tmp_path / "flood.md").write_text("BERT is an LLM.\n" * 50)
    result = check(taxo, str(tmp_path / "flood.md"), "--format", "json")
    assert len(json.loads(result.stdout)["files"][0]["findings"]) == 10
    assert "flood.md: more than 10 findings: only the first 10 are reported" in result.stderr
    assert result.exit_code == 5


def test_a_file_too_dense_with_names_is_read_up_to_a_point(taxo, tmp_path, monkeypatch):
    from taxonomy_cli import check_judge

    monkeypatch.setattr(check_judge, "MAX_SENTENCES", 100)
    (tmp_path / "dense.md").write_text("| Model | Parameters |\n| --- | --- |\n" + "| GPT-4 | 1 |\n" * 500
                                       + "BERT is an LLM.\n")  # fmt: skip
    result = check(taxo, str(tmp_path / "dense.md"), "--format", "json")
    assert json.loads(result.stdout)["files"][0]["findings"] == []  # the last line is not read
    assert "dense.md: more than 100 sentences or table rows name models: read up to line" in result.stderr
    assert result.exit_code == 0


def test_a_huge_line_is_read_in_pieces_and_quotes_stay_short(taxo, tmp_path):
    (tmp_path / "line.md").write_text("GPT-4 is an LLM with 7B parameters and BERT is an LLM, " * 4000)
    result = check(taxo, str(tmp_path / "line.md"), "--format", "json", "--fail-on", "never")
    found = json.loads(result.stdout)["files"][0]["findings"]
    assert found and max(len(f["quote"]) for f in found) <= 1_000
    assert result.exit_code == 0 and "Traceback" not in result.stderr


def test_the_pre_commit_hook_runs_taxo_check_on_prose_files():
    import yaml

    hooks = yaml.safe_load((Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text())
    assert hooks == [{"id": "taxo-check", "name": "taxo check", "description": hooks[0]["description"],
                      "entry": "taxo check", "language": "python",
                      "types_or": ["markdown", "rst", "plain-text", "html"]}]  # fmt: skip
