"""Guards on the bundled catalogue: every number sourced and plausible, required ids present, myths corrected."""

from __future__ import annotations

import re

import datetime as dt

import pytest

from taxonomy_cli import queries
from taxonomy_cli.catalog import bundled_files, load
from taxonomy_cli.records import Quantity, Status

CATALOG = load(bundled_files())
MODELS = list(CATALOG.models.values())

REQUIRED = {
    "gpt-3": None, "gpt-4": None, "chatgpt": None, "bert-base": "bert", "bert-large": "bert", "t5-11b": "t5",
    "palm": None, "palm-2": None, "llama-7b": "llama", "llama-13b": "llama", "llama-33b": "llama",
    "llama-65b": "llama", "llama-3-8b": "llama-3", "llama-3-70b": "llama-3", "mistral-7b": None, "phi-2": None,
    "gemma-2b": "gemma", "gemma-7b": "gemma", "tinyllama-1.1b": None, "alpaca-7b": None, "clip": None,
    "dall-e": None, "gemini-1.5-pro": None, "deberta": None, "unilm": None,
}  # fmt: skip


@pytest.mark.parametrize(("ident", "family"), REQUIRED.items())
def test_required_ids_resolve_with_their_family(taxo, ident, family):
    data = taxo.json("show", ident)
    assert data["id"] == ident
    if family:
        assert data["family"] == family


def test_gemini_1_5_alias_resolves(taxo):
    assert taxo.json("show", "gemini-1.5")["id"] == "gemini-1.5-pro"


def test_catalogue_is_broad():
    assert len(CATALOG.models) >= 80
    assert len({m.organization for m in MODELS}) >= 20


def quantities(model):
    for name in ("parameters", "active_parameters", "context_length", "training_tokens"):
        quantity = getattr(model, name)
        stack = [quantity] if quantity else []
        while stack:
            q: Quantity = stack.pop()
            yield name, q
            stack.extend(q.alternatives)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.id)
def test_every_number_has_a_status_and_a_source_and_a_method_when_derived(model):
    for name, q in quantities(model):
        assert q.sources, f"{model.id}.{name} has no source"
        assert all(s in CATALOG.sources for s in q.sources)
        if q.status is Status.DERIVED:
            assert q.method, f"{model.id}.{name} is derived but does not say how"
        if q.status is Status.ESTIMATE:
            assert q.estimate_by, f"{model.id}.{name} is an estimate of no one"
        if q.status is Status.UNDISCLOSED:
            assert q.value is None
        else:
            assert q.value is not None


PLAUSIBLE = {
    "parameters": (10**6, 10**13),
    "active_parameters": (10**6, 10**13),
    "context_length": (64, 100_000_000),
    "training_tokens": (10**9, 10**15),
}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.id)
def test_numbers_and_dates_are_plausible(model):
    for name, q in quantities(model):
        if q.value is not None:
            low, high = PLAUSIBLE[name]
            assert low <= q.value <= high, f"{model.id}.{name} = {q.value}"
    total, active = model.parameters, model.active_parameters
    if total and active and total.value and active.value:
        assert active.value <= total.value
    if model.released:
        released = dt.date.fromisoformat(model.released.date)
        assert dt.date(2015, 1, 1) <= released <= dt.date.fromisoformat(CATALOG.data_as_of)
        # a release cannot come after the announcement or paper cited as its evidence
        for source in queries.sources_of(CATALOG, model.released.sources):
            if source.date and source.kind.value in ("announcement", "paper"):
                assert model.released.date <= source.date, f"{model.id} released after {source.id}"
    if model.knowledge_cutoff and model.released:
        assert model.knowledge_cutoff.date[:7] <= model.released.date[:7]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.id)
def test_every_model_is_classified_with_a_reason(model):
    memberships = queries.classify(CATALOG, model)
    assert memberships, f"{model.id} fits no category"
    assert all(m.why for m in memberships)


@pytest.mark.parametrize("ident", ["gpt-4", "gpt-4o", "claude-3-opus", "gemini-1.5-pro", "palm-2"])
def test_closed_models_keep_an_honest_undisclosed(ident):
    assert CATALOG.models[ident].parameters.status is Status.UNDISCLOSED


def test_mixture_of_experts_models_give_active_parameters():
    for ident in ("mixtral-8x7b", "deepseek-v3", "llama-4-maverick", "qwen-3-235b-a22b", "gpt-oss-120b"):
        model = CATALOG.models[ident]
        assert model.active_parameters and model.active_parameters.value < model.parameters.value


def test_no_description_repeats_a_myth_as_fact():
    claims = [m.claim.rstrip(".").lower() for m in CATALOG.myths.values()]
    for record in (*CATALOG.models.values(), *CATALOG.families.values()):
        text = record.description.lower()
        for claim in claims:
            assert claim not in text, f"{record.id} repeats the myth {claim!r}"


def test_every_source_is_used_and_every_myth_is_sourced():
    cited = set()
    for model in MODELS:
        cited.update(queries.model_source_ids(model))
    records = (*CATALOG.families.values(), *CATALOG.myths.values(), *CATALOG.rules, *CATALOG.thresholds.values(),
               *CATALOG.licenses.values())  # fmt: skip
    for record in (*records, *CATALOG.architectures, *CATALOG.stage_evidence):  # the last two: taxo inspect's
        cited.update(record.sources)
    for term in CATALOG.terms.values():
        cited.update(term.sources)
        cited.update(term.technical_sources)
    unused = set(CATALOG.sources) - cited
    assert not unused, f"sources nothing cites: {sorted(unused)}"
    assert all(m.sources for m in CATALOG.myths.values())


def test_myths_command_in_every_format(taxo):
    plain = taxo("myths")
    assert plain.exit_code == 0
    assert "Myth: GPT-4 has 170 trillion parameters." in plain.stdout
    data = taxo.json("myths")
    ids = {m["id"] for m in data}
    assert {"gpt-4-170-trillion-parameters", "llama-3-launched-128k"} <= ids
    assert all(m["sources"] and m["correction"] for m in data)
    table = taxo("myths", "gpt-4", "--format", "table", env={"COLUMNS": "80"})
    assert table.exit_code == 0 and "170 trillion" in table.stdout


def test_myths_about_one_model_include_its_family(taxo):
    ids = {m["id"] for m in taxo.json("myths", "llama-3-8b")}
    assert "llama-3-launched-128k" in ids


def test_dall_e_diffusion_myth_is_corrected(taxo):
    data = taxo.json("myths", "dall-e")
    assert any("diffusion" in m["claim"].lower() for m in data)


def test_sources_command_says_which_fields_each_source_supports(taxo):
    data = taxo.json("sources", "mistral-7b")
    supports = {c["source"]["id"]: c["supports"] for c in data["sources"]}  # each source beside what it supports
    assert "parameters" in supports["mistral-7b-config"]
    assert "released" in supports["mistral-7b-announcement"]
    out = taxo("sources", "mistral-7b").stdout
    assert re.search(r"supports: [^\n]*\breleased\b", out)
    assert taxo("sources", "llm", "--format", "table", env={"COLUMNS": "60"}).exit_code == 0
    assert taxo("sources", "no-such-thing").exit_code == 3


def test_version_shows_the_catalogue_data_as_of_date(taxo):
    assert f"catalogue reviewed for releases up to {CATALOG.data_as_of}" in taxo("--version").stdout


def test_myths_and_sources_as_csv_and_markdown(taxo):
    import csv
    import io

    myths = list(csv.DictReader(io.StringIO(taxo("myths", "--format", "csv").stdout)))
    assert {"gpt-4-170-trillion-parameters"} <= {m["id"] for m in myths}
    assert all(m["correction"] and m["sources"].startswith("http") for m in myths)
    sources = list(csv.DictReader(io.StringIO(taxo("sources", "phi-2", "--format", "csv").stdout)))
    assert any("parameters" in s["supports"] for s in sources)
    markdown = taxo("myths", "gpt-4", "--format", "markdown").stdout.splitlines()
    assert markdown[0] == "| Id | Myth | Correction | About | Sources |"
    assert taxo("sources", "llm", "--format", "markdown").stdout.startswith("| Id | Title |")


# -- the catalogue through 2026-11 (issue 16): breadth, licences, ids, organisations, where facts come from -------


def test_the_catalogue_covers_the_field_and_the_last_year():
    assert len(CATALOG.models) >= 450
    assert len({m.organization for m in MODELS}) >= 40
    recent = [m for m in MODELS if m.released and "2025-11-01" <= m.released.date <= CATALOG.data_as_of]
    assert len(recent) >= 70
    assert len({m.organization for m in recent}) >= 14


def test_every_licence_a_model_names_is_known_with_its_terms(taxo):
    for model in MODELS:
        if model.license:
            known = queries.license_of(CATALOG, model)
            assert known is not None, f"{model.id}: licence {model.license!r} is not in catalog/licenses.yaml"
            assert known.sources and all(s in CATALOG.sources for s in known.sources)
    data = taxo.json("show", "llama-3.1-8b")
    assert data["license"] == "Llama 3.1 Community License"
    assert data["license_terms"] == "commercial-conditions"
    assert taxo.json("show", "gpt-4o")["license_terms"] is None


def test_weights_that_are_not_released_have_no_licence():
    for model in MODELS:
        if model.weights.value in ("api", "unreleased"):
            assert model.license is None, model.id


_NOT_PRIMARY = re.compile(
    r"wikipedia\.org|medium\.com|substack\.com|towardsdatascience|reddit\.com|news\.ycombinator|artificialanalysis"
    r"|llm-stats|emergentmind|modelcards\.net|openrouter\.ai|libertify|theverge\.com|techcrunch\.com"
    r"|huggingface\.co/(unsloth|TheBloke|bartowski|lmstudio-community|mlx-community|mradermacher)/"
)


def test_sources_are_primary_never_an_aggregator_news_site_or_a_re_upload():
    offenders = [(s.id, s.url) for s in CATALOG.sources.values() if _NOT_PRIMARY.search(s.url)]
    assert offenders == []


def test_pasted_hugging_face_and_api_ids_find_their_model(taxo):
    for model in MODELS:
        for pasted in (*model.hf_repos, *model.api_ids):
            assert queries.find(CATALOG, pasted) is model, (pasted, model.id)
    assert taxo.json("show", "meta-llama/Llama-3.1-8B-Instruct")["id"] == "llama-3.1-8b-instruct"
    assert taxo.json("show", "claude-3-5-sonnet-20241022")["id"] == "claude-3.5-sonnet"
    assert taxo.json("show", "gpt-4o-2024-08-06")["id"] == "gpt-4o"


def test_an_organisation_finds_what_its_parts_released(taxo):
    google = {m["id"] for m in taxo.json("list", "--org", "google")["models"]}
    deepmind = {m["id"] for m in taxo.json("list", "--org", "google-deepmind")["models"]}
    assert {"gemini-1.5-pro", "gemma-7b", "bert-base"} <= google
    assert "gemini-1.5-pro" in deepmind and "bert-base" not in deepmind
    assert CATALOG.organizations["google-deepmind"].parent == "google"


def test_an_unknown_model_says_how_far_the_catalogue_reaches(taxo):
    result = taxo("show", "gpt-99")
    assert result.exit_code == 3
    assert f"covers releases up to {CATALOG.data_as_of[:7]}" in result.stderr
    assert "--catalog" in result.stderr


def test_the_condition_vocabulary_is_one_table_that_the_catalogue_and_its_readme_follow():
    from pathlib import Path

    from taxonomy_cli.catalog import RULE_CONDITIONS
    from taxonomy_cli.conditions import CONDITIONS, WORDING_FIELDS

    assert RULE_CONDITIONS == {name: condition.kind for name, condition in CONDITIONS.items()}
    assert set(CATALOG.wording) == set(CONDITIONS), "every condition has its 'why not' wording in rules.yaml"
    for name, wording in CATALOG.wording.items():
        assert CONDITIONS[name].sized == (wording.unknown is not None), name
    readme = (Path(__file__).resolve().parent.parent / "catalog" / "README.md").read_text(encoding="utf-8")
    for name in [*CONDITIONS, *WORDING_FIELDS]:
        assert f"`{name}`" in readme or f"`{{{name}}}`" in readme, f"catalog/README.md does not mention {name}"
    used = {key for rule in CATALOG.rules for key, _ in rule.when}
    assert used <= set(CONDITIONS)


def test_a_condition_s_wording_names_only_known_facts(taxo, tmp_path):
    path = tmp_path / "wording.yaml"
    path.write_text('conditions:\n  - {id: stage, why_not: "{secret.__class__}"}\n', encoding="utf-8")
    result = taxo("validate", str(path))
    assert result.exit_code == 4
    assert "is not a fact this text can name" in result.stderr


def test_every_training_stage_is_named_by_the_catalogue(taxo):
    from taxonomy_cli.records import Stage

    assert set(CATALOG.stages) == {s.value for s in Stage}
    for stage in CATALOG.stages.values():
        assert stage.term in CATALOG.terms
    assert "Training stage:  instruct (instruction-tuned)" in taxo("show", "mistral-7b-instruct").stdout
