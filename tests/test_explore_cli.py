"""`taxo list`, `search`, `timeline` and `chart` as a user sees them, in every format.

Most tests add the tiny ExampleCo catalogue (tests/data/explore) and filter on it, so they hold while the
bundled catalogue grows; the rest name bundled models that will stay (mistral-7b, phi-2, gpt-4, llama-3-8b...).
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from conftest import DATA

EXAMPLE = ("--catalog", str(DATA / "explore"))
ORG = ("--org", "exampleco")


def ex(taxo, *args: str, env: dict[str, str] | None = None):
    """Run taxo with the ExampleCo catalogue added."""
    return taxo(*EXAMPLE, *args, env=env)


def widest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- list -----------------------------------------------------------------------------------------------------------


def test_list_plain_when_piped_has_a_header_and_a_line_per_model(taxo):
    result = ex(taxo, "list", *ORG)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "Name", "Organization", "Released", "Params", "Context", "Stage", "Weights",
                                "Categories"]  # fmt: skip
    assert [line.split()[0] for line in lines[1:]] == ["ex-big", "ex-painter", "ex-secret", "ex-small", "ex-mid"]
    secret = next(line for line in lines if line.startswith("ex-secret"))
    assert "undisclosed" in secret and "2024-11-02" in secret and "1M" in secret and "chat" in secret
    assert "Ex|Mid [bold]chat[/bold]" in result.stdout  # catalogue text is shown as written, never as markup
    assert "\x1b" not in result.stdout
    assert result.stderr == ""


def test_list_bundled_filters_name_the_models_they_should(taxo):
    slm = [line.split()[0] for line in taxo("list", "--category", "slm").stdout.splitlines()[1:]]
    assert {"mistral-7b", "phi-2", "llama-3-8b"} <= set(slm)
    assert "gpt-4" not in slm and "llama-3-70b" not in slm
    llama = [line.split()[0] for line in taxo("list", "--family", "llama-3").stdout.splitlines()[1:]]
    assert {"llama-3-70b", "llama-3-8b"} <= set(llama) and all(i.startswith("llama-3-") for i in llama)
    meta_open = taxo("list", "--org", "meta", "--weights", "open", "--modality", "image").stdout
    assert "sam" in meta_open and "llama-3-8b" not in meta_open  # Llama 3 is gated and text-only


def test_list_params_range_reports_the_undisclosed_on_stderr_only(taxo):
    result = taxo("list", "--params", "1B..10B", "--format", "csv")
    assert result.exit_code == 0
    listed = {row["id"] for row in rows_of(result.stdout)}  # stdout stays clean data
    assert {"mistral-7b", "phi-2", "llama-3-8b"} <= listed
    assert "gpt-4" not in listed and "bert-base" not in listed
    assert "left out by --params: their makers have not disclosed the parameter count" in result.stderr
    assert "(list them with --params undisclosed)" in result.stderr


def test_list_params_note_counts_exactly_what_was_left_out(taxo):
    result = ex(taxo, "list", *ORG, "--params", "1B..")
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["ex-big", "ex-mid"]
    assert result.stderr.splitlines() == [
        "taxo: note: 1 model left out by --params: their makers have not disclosed the parameter count "
        "(list them with --params undisclosed)",
        "taxo: note: 1 model left out by --params: the catalogue has no parameter count for them "
        "(list them with --params unknown)",
    ]


def test_list_json_is_the_show_contract_for_each_model_plus_what_was_left_out(taxo):
    data = json.loads(ex(taxo, "list", *ORG, "--params", "1B..", "--format", "json").stdout)
    assert set(data) == {"models", "matched", "excluded"}
    assert [m["id"] for m in data["models"]] == ["ex-big", "ex-mid"]
    assert data["matched"] == 2
    assert data["excluded"] == {
        "undisclosed_parameters": {"count": 1, "models": ["ex-secret"],
                                   "why": "their makers have not disclosed the parameter count"},
        "unknown_parameters": {"count": 1, "models": ["ex-painter"],
                               "why": "the catalogue has no parameter count for them"},
    }  # fmt: skip
    shown = json.loads(ex(taxo, "show", "ex-mid", "--format", "json").stdout)
    assert data["models"][1] == shown
    bundled = json.loads(taxo("list", "--family", "mistral", "--format", "json").stdout)
    assert bundled["models"][0] == json.loads(taxo("show", "mistral-7b", "--format", "json").stdout)
    assert bundled["excluded"] == {}


def test_list_csv_has_a_header_and_flat_raw_values(taxo):
    result = ex(taxo, "list", *ORG, "--format", "csv")
    header = result.stdout.splitlines()[0]
    assert header == (
        "id,name,organization,organization_id,released,parameters,parameters_status,active_parameters,"
        "context_length,architecture,inputs,outputs,weights,license,stage,family,base_model,categories,contested_categories,license_terms"
    )
    rows = {row["id"]: row for row in rows_of(result.stdout)}
    assert rows["ex-mid"]["name"] == "Ex|Mid [bold]chat[/bold]"
    assert rows["ex-mid"]["parameters"] == "3500000000" and rows["ex-mid"]["parameters_status"] == "derived"
    assert rows["ex-mid"]["context_length"] == "128000" and rows["ex-mid"]["base_model"] == "ex-small"
    assert rows["ex-mid"]["categories"].endswith("slm; chat")
    assert rows["ex-secret"]["parameters"] == "" and rows["ex-secret"]["parameters_status"] == "undisclosed"
    assert rows["ex-secret"]["inputs"] == "text; image"
    assert rows["ex-painter"]["parameters_status"] == "unknown"
    assert rows["ex-big"]["parameters_status"] == "estimate"


def test_list_markdown_is_a_pipe_table_with_pipes_escaped(taxo):
    lines = ex(taxo, "list", *ORG, "--format", "markdown").stdout.splitlines()
    assert lines[0] == "| ID | Name | Organization | Released | Params | Context | Stage | Weights | Categories |"
    assert lines[1] == "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    mid = "| ex-mid | Ex\\|Mid [bold]chat[/bold] | ExampleCo | 2023-05-10 | 3.5B | 128K | chat | open · osi |"
    assert any(line.startswith(mid) and line.endswith("slm, chat |") for line in lines)
    assert all(len(re.split(r"(?<!\\)\|", line)) == 9 + 2 for line in lines)  # 9 cells on every line
    assert len(lines) == 2 + 5


@pytest.mark.parametrize("columns", ["50", "80", "140"])
def test_list_table_fits_the_terminal_and_says_which_columns_it_hid(taxo, columns):
    result = ex(taxo, "list", *ORG, "--format", "table", env={"COLUMNS": columns})
    assert result.exit_code == 0
    assert widest(result.stdout) <= int(columns)
    assert "ex-secret" in result.stdout and "undisclosed" in result.stdout
    if columns == "50":
        assert "hidden at this width:" in result.stdout and "Categories" in result.stdout
    if columns == "140":
        assert "hidden" not in result.stdout and "Categories" in result.stdout


def test_list_sort_reverse_and_limit(taxo):
    result = ex(taxo, "list", *ORG, "--sort", "params", "--reverse", "--limit", "2")
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["ex-big", "ex-mid"]
    assert result.stderr == "taxo: note: showing 2 of 5 models (--limit 2)\n"
    released = ex(taxo, "list", *ORG, "--sort", "released")
    assert [line.split()[0] for line in released.stdout.splitlines()[1:]][:2] == ["ex-small", "ex-mid"]
    by_org = taxo("list", "--sort", "org", "--org", "mistral,microsoft", "--format", "csv").stdout
    orgs = [row["organization"] for row in rows_of(by_org)]
    assert orgs == sorted(orgs) and orgs[0] == "Microsoft" and orgs[-1] == "Mistral AI"


def test_list_since_until(taxo):
    result = ex(taxo, "list", *ORG, "--since", "2023-05", "--until", "2024-Q3", "--format", "json")
    assert [m["id"] for m in json.loads(result.stdout)["models"]] == ["ex-big", "ex-mid"]


def test_list_with_no_match_is_an_empty_answer_not_an_error(taxo):
    result = ex(taxo, "list", *ORG, "--stage", "instruct", "--weights", "open")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("ID")
    assert len(result.stdout.splitlines()) == 1
    assert "no model matches these filters" in result.stderr
    data = json.loads(ex(taxo, "list", *ORG, "--stage", "instruct", "--weights", "open", "-f", "json").stdout)
    assert data["models"] == [] and data["matched"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--org", "metta"), "--org: unknown value 'metta'; did you mean 'meta'"),
        (("--params", "7B"), "expected LOW..HIGH"),
        (("--params", "big..huge"), "'big' is not a size"),
        (("--since", "yesterday"), "'yesterday' is not a date"),
        (("--category", "giant"), "--category: unknown value 'giant'"),
        (("--sort", "size"), "Invalid value"),
        (("--limit", "0"), "Invalid value"),
    ],
)
def test_list_bad_option_values_are_usage_errors(taxo, args, message):
    result = taxo("list", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


# -- search -------------------------------------------------------------------------------------------------------


def test_search_mistrall_finds_mistral_7b_and_says_how_to_see_it(taxo):
    result = taxo("search", "mistrall")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Kind", "Name", "Matched", "See"]
    hit = next(line for line in lines if "taxo show mistral-7b" in line)
    assert hit.startswith("model") and "Mistral 7B" in hit and "name: Mistral 7B" in hit
    assert lines.index(hit) <= 3  # among the first models, after the families it belongs to


def test_search_term_hits_point_to_explain(taxo):
    result = taxo("search", "small", "language", "model")  # several words, no quotes needed
    first = result.stdout.splitlines()[1]
    assert first.startswith("term") and first.endswith("taxo explain slm")


def test_search_json_hits_say_kind_field_match_score_and_command(taxo):
    data = json.loads(ex(taxo, "search", "zorblax", "--format", "json").stdout)
    assert data["query"] == "zorblax" and data["matched"] == len(data["hits"]) == 1
    assert data["hits"][0] == {
        "kind": "model", "id": "ex-big", "name": "Ex Big", "field": "architecture",
        "matched": "sparse zorblax transformer", "score": 0.6, "command": "taxo show ex-big",
    }  # fmt: skip


def test_search_csv_and_markdown(taxo):
    rows = rows_of(taxo("search", "gpt-4", "--format", "csv").stdout)
    assert list(rows[0]) == ["kind", "id", "name", "field", "matched", "score", "command"]
    assert {"kind": "model", "id": "gpt-4"}.items() <= rows[0].items() or rows[1]["id"] == "gpt-4"
    markdown = ex(taxo, "search", "Ex|Mid", "--format", "markdown").stdout.splitlines()
    assert markdown[0] == "| Kind | Name | Matched | See |"
    assert "| model | Ex\\|Mid [bold]chat[/bold] | id: ex-mid | taxo show ex-mid |" in markdown


@pytest.mark.parametrize("columns", ["50", "80"])
def test_search_table_fits_the_terminal(taxo, columns):
    result = taxo("search", "mistrall", "--format", "table", env={"COLUMNS": columns})
    assert widest(result.stdout) <= int(columns)
    assert "taxo show mistral-7b" in result.stdout


def test_search_limit_and_no_match(taxo):
    limited = taxo("search", "openai", "--limit", "3")
    assert len(limited.stdout.splitlines()) == 1 + 3
    assert "taxo: note: showing 3 of" in limited.stderr
    missing = taxo("search", "qqqzzzxxv")
    assert missing.exit_code == 3
    assert missing.stdout == ""
    assert "nothing matches 'qqqzzzxxv'" in missing.stderr


# -- timeline --------------------------------------------------------------------------------------------------------


def test_timeline_plain_is_a_grid_of_years_by_category(taxo):
    result = ex(taxo, "timeline", *ORG, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Releases per year by category: 5 models, 2022–2025"
    assert lines[2].split() == ["2022", "2023", "2024", "2025", "total"]
    grid = {line.split()[0]: line.split()[1:] for line in lines[3:] if line.strip() and not line.startswith("Each")}
    assert grid["foundation"] == ["1", "1", "2", "1", "5"]  # ex-mid is adapted from ex-small, a foundation model
    assert grid["llm"] == ["·", "·", "1", "·", "1"]
    assert grid["image-generation"] == ["·", "·", "·", "1", "1"]
    assert grid["all"] == ["models", "1", "1", "2", "1", "5"]
    assert "Each model counts once in each of its categories" in result.stdout


def test_timeline_by_quarter_grouped_by_org(taxo):
    result = taxo("timeline", "--by", "quarter", "--group", "org", "--since", "2024-Q2", "--until", "2024-Q2")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Releases per quarter by organization:")
    assert lines[2].split() == ["2024"] and lines[3].split() == ["Q2", "total"]
    meta = next(line for line in lines if line.startswith("Meta"))
    counts = meta.split()[-2:]
    assert counts[0] == counts[1] and int(counts[0]) >= 2  # Llama 3 8B and 70B (and more), April 2024


@pytest.mark.parametrize("columns", ["50", "80"])
@pytest.mark.parametrize("fmt", ["plain", "table"])
def test_timeline_never_wider_than_the_terminal(taxo, columns, fmt):
    result = taxo("timeline", "--by", "quarter", "--format", fmt, env={"COLUMNS": columns})
    assert result.exit_code == 0
    assert widest(result.stdout) <= int(columns)
    assert "Q1" in result.stdout and "total" in result.stdout  # blocks continue below; the last has totals


def test_timeline_json_csv_and_markdown(taxo):
    data = json.loads(ex(taxo, "timeline", *ORG, "--format", "json").stdout)
    assert data["by"] == "year" and data["group"] == "category"
    assert data["periods"] == ["2022", "2023", "2024", "2025"]
    llm = next(g for g in data["groups"] if g["id"] == "llm")
    assert llm["total"] == 1 and llm["models"]["2024"] == ["ex-big"] and llm["models"]["2022"] == []
    assert data["all"]["total"] == 5 and data["undated"] == [] and data["excluded"] == {}
    rows = rows_of(ex(taxo, "timeline", *ORG, "--format", "csv").stdout)
    assert list(rows[0]) == ["period", "group", "label", "count", "models"]
    assert {"period": "2024", "group": "chat", "label": "chat", "count": "1", "models": "ex-secret"} in rows
    assert {"period": "2022", "group": "chat", "label": "chat", "count": "0", "models": ""} in rows
    markdown = ex(taxo, "timeline", *ORG, "--format", "markdown").stdout.splitlines()
    assert markdown[0] == "| Group | 2022 | 2023 | 2024 | 2025 | Total |"
    assert "| llm | 0 | 0 | 1 | 0 | 1 |" in markdown
    assert markdown[-1] == "| all models | 1 | 1 | 2 | 1 | 5 |"


# -- chart ----------------------------------------------------------------------------------------------------------


def test_chart_params_draws_bars_largest_first_with_the_sources_lines(taxo):
    result = ex(taxo, "chart", "params", *ORG, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Parameters, log scale: 3 models"
    bars = lines[1:4]
    assert [line.split()[0] for line in bars] == ["Ex", "Ex|Mid", "Ex"]
    assert bars[0].endswith("40B*") and bars[1].endswith("3.5B") and bars[2].endswith("120M")
    lengths = [line.count("█") for line in bars]
    assert lengths[0] > lengths[1] > lengths[2] > 0
    assert "┊" in bars[1]  # the 5B and 10B lines run past Ex|Mid's 3.5B bar
    assert "c ┊ 10B: 10B SLM line (Belcak et al. 2025); 10B LLM line (Zhao et al. 2023)" in lines
    assert "a ┊ 100M: 100M SLM floor (Lu et al. 2024)" in lines
    assert "* an estimate (whose: taxo show <id>)" in lines
    assert "Parameter count undisclosed by the makers (not guessed) (1): Ex Secret" in lines
    assert "No parameter count in the catalogue (1): Ex Painter" in lines


@pytest.mark.parametrize("columns", ["50", "80"])
@pytest.mark.parametrize("fmt", ["plain", "table"])
@pytest.mark.parametrize("metric", ["params", "context"])
def test_chart_never_wider_than_the_terminal(taxo, columns, fmt, metric):
    result = taxo("chart", metric, "--format", fmt, env={"COLUMNS": columns})
    assert result.exit_code == 0
    assert widest(result.stdout) <= int(columns)
    assert "Mistral 7B" in result.stdout or "Mistral…" in result.stdout
    assert "GPT-4" in result.stdout  # undisclosed, listed apart


def test_chart_bundled_slm_and_undisclosed(taxo):
    result = taxo("chart", "params", "--family", "mistral,phi,gpt-4", env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    mistral = next(i for i, line in enumerate(lines) if line.startswith("Mistral 7B "))
    phi = next(i for i, line in enumerate(lines) if line.startswith("Phi-2 "))
    assert lines[mistral].endswith("7.24B") and lines[phi].endswith("2.7B")
    assert mistral < phi  # largest first
    undisclosed = result.stdout[result.stdout.index("undisclosed by the makers"):]
    assert "GPT-4" in undisclosed and "GPT-4o" in undisclosed


def test_chart_context_lists_models_without_a_context_length(taxo):
    result = ex(taxo, "chart", "context", *ORG, env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert lines[0] == "Context length (tokens), log scale: 3 models"
    assert lines[1].startswith("Ex Secret") and lines[1].endswith("1M")
    assert lines[3].startswith("Ex Small") and lines[3].endswith("2K")
    assert "No context length in the catalogue (2): Ex Big, Ex Painter" in result.stdout
    assert "┊" not in result.stdout  # the LLM/SLM lines are parameter lines


def test_chart_filters_apply_and_their_notes_go_to_stderr(taxo):
    result = ex(taxo, "chart", "params", *ORG, "--params", "..1B")
    assert "Parameters, log scale: 1 model" in result.stdout
    assert "Ex Secret" not in result.stdout
    assert "1 model left out by --params" in result.stderr


def test_chart_json_csv_and_markdown(taxo):
    data = json.loads(ex(taxo, "chart", "params", *ORG, "--format", "json").stdout)
    assert data["metric"] == "params" and data["unit"] == "parameters" and data["scale"] == "log10"
    assert data["models"][0] == {"id": "ex-big", "name": "Ex Big", "value": 40_000_000_000, "display": "40B*",
                                 "status": "estimate"}  # fmt: skip
    assert [line["value"] for line in data["lines"]] == [100_000_000, 5_000_000_000, 10_000_000_000]
    ten = data["lines"][2]["thresholds"]
    assert {t["id"] for t in ten} == {"slm-belcak-2025", "llm-zhao-2023"} and all(t["sources"] for t in ten)
    assert data["undisclosed"] == [{"id": "ex-secret", "name": "Ex Secret"}]
    assert data["unknown"] == [{"id": "ex-painter", "name": "Ex Painter"}]
    rows = rows_of(ex(taxo, "chart", "params", *ORG, "--format", "csv").stdout)
    assert [r["id"] for r in rows] == ["ex-big", "ex-mid", "ex-small", "ex-secret", "ex-painter"]
    assert rows[3] == {"id": "ex-secret", "name": "Ex Secret", "value": "", "display": "", "status": "undisclosed"}
    assert rows[4]["status"] == "unknown"
    markdown = ex(taxo, "chart", "params", *ORG, "--format", "markdown").stdout
    assert markdown.startswith("| Model | ID | Value | Status | Log scale |\n| --- | --- | --- | --- | --- |\n")
    assert "| Ex Big | ex-big | 40B* | estimate | █" in markdown
    assert "| Ex Secret | ex-secret |   | undisclosed |   |" in markdown
    assert "- 10B: 10B SLM line (Belcak et al. 2025); 10B LLM line (Zhao et al. 2023)" in markdown


def test_chart_needs_a_known_metric(taxo):
    result = taxo("chart", "speed")
    assert result.exit_code == 2 and "Invalid value" in result.stderr


# -- paging and completion --------------------------------------------------------------------------------------


def test_pager_is_ignored_when_piped(taxo):
    for command in (("list", *ORG), ("timeline", *ORG), ("chart", "params", *ORG), ("search", "zorblax")):
        assert ex(taxo, *command, "--pager").stdout == ex(taxo, *command).stdout


@pytest.mark.parametrize("fmt", ["table", "plain"])
def test_pager_is_used_on_a_terminal_when_asked(taxo, monkeypatch, fmt):
    import pydoc

    from taxonomy_cli import output

    paged: list[str] = []
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr(pydoc, "pager", paged.append)
    result = ex(taxo, "list", *ORG, "--format", fmt, "--pager")
    assert result.exit_code == 0
    assert len(paged) == 1 and "ex-secret" in paged[0]
    assert "ex-secret" not in result.stdout
    paged.clear()
    ex(taxo, "list", *ORG, "--format", fmt)
    assert paged == []  # nothing pages unless asked


def complete(line: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash completion offers for the last word of `line`."""
    from typer.testing import CliRunner

    from taxonomy_cli.cli import app

    words = line.split(" ")
    full_env = {"_TAXO_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    result = CliRunner().invoke(app, [], env={**full_env, **(env or {})}, prog_name="taxo")
    return result.stdout.split()


def test_completion_of_option_values_from_the_catalogue():
    assert complete("taxo list --org mi") == ["microsoft", "minimax", "mistral-ai"]
    assert complete("taxo list --category s") == ["slm", "speech"]
    assert complete("taxo list --stage ") == ["base", "chat", "instruct"]
    assert complete("taxo timeline --weights g") == ["gated"]
    assert "llama-3" in complete("taxo chart params --family ll")
    assert complete("taxo list --org meta,goo") == ["meta,google", "meta,google-deepmind"]
    assert complete("taxo list --org ex", env={"TAXO_CATALOG": str(DATA / "explore")}) == ["exampleco"]


def test_completion_of_commands_and_options():
    assert {"list", "search", "timeline", "chart"} <= set(complete("taxo "))
    assert "--params" in complete("taxo list --p")


# -- the listing from cached pieces ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [{}, {"categories": ["slm"]}, {"parameters": "1B..10B"}, {"since": "2024", "until": "2024-06"},
     {"organizations": ["meta"], "families": ["llama-3"]}],
    ids=["all", "slm", "1B..10B", "2024 H1", "llama-3"],
)  # fmt: skip
def test_the_json_listing_put_together_from_each_models_json_is_the_whole_listing(filters):
    """What `taxo list --format json` writes to a pipe (each model's cached JSON, joined) is byte for byte the
    listing built as one document, for any filter, including what was left out."""
    from taxonomy_cli import catalog as catalog_module
    from taxonomy_cli import explore, render_card, render_list
    from taxonomy_cli.output import json_text

    catalog = catalog_module.load(catalog_module.bundled_files() + catalog_module.expand([DATA / "explore"]))
    listed = explore.listing(catalog)
    selection = explore.select(listed, explore.make_filters(listed, **filters))
    ordered = explore.sort_models(selection.models, "params", reverse=True)
    pieces = render_list.models_json(catalog)
    joined = b"".join(render_list.list_json(pieces, [m.id for m in ordered], len(ordered), selection.excluded))
    models = [catalog.models[m.id] for m in ordered]
    whole = {"models": [render_card.model_data(catalog, m) for m in models], "matched": len(ordered),
             "excluded": render_list.excluded_data(selection.excluded)}  # fmt: skip
    assert joined == json_text(whole).encode()
    assert json.loads(joined)["matched"] == len(ordered) > 0


# -- licences, commercial use, mixture of experts (issue 18) -------------------------------------------------------


def ids(taxo, *args: str) -> set[str]:
    return {m["id"] for m in taxo.json("list", *args)["models"]}


def test_license_filter_takes_spdx_ids_and_names_any_of_several(taxo):
    apache = ids(taxo, "--license", "Apache-2.0")
    assert "mistral-7b" in apache and "llama-3.1-8b" not in apache
    both = ids(taxo, "--license", "apache-2.0,Llama 3.1 Community License")
    assert {"mistral-7b", "llama-3.1-8b"} <= both
    result = taxo("list", "--license", "Apache-2.1")
    assert result.exit_code == 2 and "--license: unknown value 'Apache-2.1'" in result.stderr


def test_commercial_keeps_what_the_licence_allows_and_says_under_which_terms(taxo):
    commercial = ids(taxo, "--commercial")
    assert {"mistral-7b", "llama-3.1-8b"} <= commercial  # Apache-2.0; Llama's licence, with conditions
    assert not {"alpaca-7b", "command-r", "llama-7b"} & commercial  # CC-BY-NC, CC-BY-NC, research only
    assert all(m["license_terms"] in ("osi", "commercial", "commercial-conditions")
               for m in taxo.json("list", "--commercial")["models"])  # fmt: skip


def test_open_weights_still_means_downloadable_and_the_table_shows_the_licence_beside_it(taxo):
    assert {"command-r", "alpaca-7b"} & ids(taxo, "--weights", "open,gated")  # downloadable, research licence
    table = taxo("list", "--org", "cohere", "--format", "plain").stdout
    assert "non-commercial" in table


def test_moe_and_active_parameters(taxo):
    moe = ids(taxo, "--moe")
    assert {"mixtral-8x7b", "deepseek-v3", "kimi-k2"} <= moe and "mistral-7b" not in moe
    small_active = ids(taxo, "--moe", "--active-params", "..15B")
    assert "mixtral-8x7b" in small_active and "kimi-k2" not in small_active  # 12.9B vs 32B active
    dense = ids(taxo, "--active-params", "7B..7.5B")
    assert "mistral-7b" in dense  # a dense model's active parameters are all of them
    result = taxo("list", "--active-params", "undisclosed")
    assert result.exit_code == 2 and "--active-params takes a range" in result.stderr


def test_completion_of_licences():
    assert "apache-2.0" in complete("taxo list --license apa")


# -- what practitioners ask (issue 18): terms, search over what taxo explains, unknown names ---------------------


@pytest.mark.parametrize(
    ("asked", "term"),
    [("quantization", "quantization"), ("quantisation", "quantization"), ("MoE", "mixture-of-experts"),
     ("mixture of experts", "mixture-of-experts"), ("reasoning model", "reasoning-model"), ("LoRA", "lora"),
     ("open weights", "open-weights"), ("distillation", "distillation"), ("embedding model", "embedding-model"),
     ("diffusion model", "diffusion-model"), ("transformer", "transformer")],
)  # fmt: skip
def test_the_terms_practitioners_meet_are_explained(taxo, asked, term):
    data = taxo.json("explain", asked)
    assert data["id"] == term
    assert data["analogy"] and data["plain"] and data["technical"]["sources"]


def test_search_looks_at_what_taxo_explains_and_an_exact_word_beats_a_fuzzy_one(taxo):
    robot = taxo.json("search", "robot")["hits"]
    assert robot[0]["kind"] == "term" and robot[0]["field"] == "analogy"
    gguf = taxo.json("search", "gguf")["hits"]
    assert gguf[0]["id"] == "quantization"


def test_an_unknown_member_of_a_known_family_names_the_family(taxo):
    result = taxo("show", "gemma-9b")
    assert result.exit_code == 3
    assert "'gemma-9b' is not in the catalogue; the Gemma family has: gemma-2b" in result.stderr


def test_an_unknown_term_points_to_search_and_suggests_only_what_is_close(taxo):
    result = taxo("explain", "zzqq")
    assert result.exit_code == 3
    assert "did you mean" not in result.stderr and "try 'taxo search zzqq'" in result.stderr
    assert "did you mean 'quantization'" in taxo("explain", "quantizaton").stderr


def test_a_pasted_snapshot_or_repository_says_which_model_it_is_a_version_of(taxo):
    snapshot = taxo("show", "gpt-4o-2024-08-06")
    assert snapshot.exit_code == 0 and snapshot.stdout.startswith("GPT-4o (gpt-4o)")
    assert snapshot.stderr == "taxo: note: gpt-4o-2024-08-06 is an API id of GPT-4o (gpt-4o): the card is the model's\n"
    repo = taxo("show", "meta-llama/Llama-3.1-8B-Instruct", "--format", "json")
    assert "is a Hugging Face repository of Llama 3.1 8B Instruct" in repo.stderr
    assert taxo("show", "gpt-4o").stderr == ""  # its own id: nothing to say


@pytest.mark.parametrize("columns", ["100", "80", "60"])
@pytest.mark.parametrize(
    ("args", "kept"),
    [(("--org", "meta"), "Organization"), (("--license", "Llama-3.1-Community-License"), "Weights"),
     (("--category", "slm"), "Categories"), (("--since", "2025"), "Released"), (("--commercial",), "Weights"),
     (("--moe",), "Active"), (("--active-params", "1B..20B"), "Active"), (("--params", "1B..8B"), "Params")],
)  # fmt: skip
def test_a_narrow_table_keeps_the_filtered_column_and_whole_ids(taxo, columns, args, kept):
    """At 100 columns (and 80, 60) `list` drops other columns first, never the one filtered on, and never breaks
    an id across lines."""
    result = taxo("list", *args, "--format", "table", env={"COLUMNS": columns})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.strip().startswith("ID"))
    assert kept in header
    ids = {m["id"] for m in taxo.json("list", *args)["models"]}
    first_cells = {line.split()[0] for line in lines if line.startswith("  ") and line.split()}
    assert ids <= first_cells  # every id whole on its line
    assert max(len(line.rstrip()) for line in lines) <= int(columns)


def test_search_finds_organisations_and_sources_with_what_to_run_next(taxo):
    hits = taxo.json("search", "hugging face")["hits"]
    assert hits[0]["kind"] == "organization" and hits[0]["command"] == "taxo list --org hugging-face"
    hits = taxo.json("search", "textbooks are all you need")["hits"]
    assert hits[0]["kind"] == "source" and hits[0]["field"] == "title"
    assert hits[0]["command"] == "taxo sources phi-1"
    hits = taxo.json("search", "arxiv.org/abs/2310.06825")["hits"]
    assert hits[0]["kind"] == "source" and hits[0]["command"] == "taxo sources mistral-7b"


@pytest.mark.parametrize(
    ("tag", "ident"),
    [("qwen3:8b", "qwen-3-8b"), ("gemma3:4b", "gemma-3-4b"), ("phi4", "phi-4"), ("phi3:mini", "phi-3-mini"),
     ("deepseek-r1:7b", "deepseek-r1-distill-qwen-7b"), ("gpt-oss:20b", "gpt-oss-20b")],
)  # fmt: skip
def test_an_ollama_tag_shows_the_model_ollama_serves_under_it(taxo, tag, ident):
    """Ollama library tags (ollama.com/library/...) that name one catalogue model show its card, text and JSON."""
    result = taxo("show", tag)
    assert result.exit_code == 0 and f"({ident})" in result.stdout.splitlines()[0]
    assert taxo.json("show", tag)["id"] == ident


def test_a_listing_with_mixture_of_experts_models_shows_their_active_parameters(taxo):
    """Plain and table output gain an Active column when a listed model has an active-parameter figure; a listing
    of dense models has none; JSON and CSV are unchanged (active_parameters)."""
    plain = taxo("list", "--moe").stdout.splitlines()
    assert plain[0].split()[4:6] == ["Params", "Active"]
    row = next(line.split() for line in plain if line.startswith("mixtral-8x7b "))
    size = next(m for m in taxo.json("list", "--moe")["models"] if m["id"] == "mixtral-8x7b")["parameters"]
    assert row[row.index(size["display"]) + 1] == size["active_detail"]["display"]  # the card's figure, beside it
    assert "Active" not in taxo("list", "--family", "gemma-2").stdout.splitlines()[0]
    assert "active_parameters" in taxo("list", "--moe", "--format", "csv").stdout.splitlines()[0]
