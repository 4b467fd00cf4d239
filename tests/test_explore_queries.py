"""The explore queries on their own: parsing user words, filters, sorting, search ranking, timeline and chart data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA
from taxonomy_cli import catalog as catalog_module
from taxonomy_cli import explore
from taxonomy_cli.errors import UsageError


@pytest.fixture(scope="module")
def catalog():
    files = catalog_module.bundled_files() + catalog_module.expand([DATA / "explore"])
    return catalog_module.load(files)


def ids(models) -> list[str]:
    return [m.id for m in models]


# -- parsing ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("7B", 7_000_000_000), ("1.5b", 1_500_000_000), ("500M", 500_000_000), ("2k", 2_000), ("1T", 10**12),
     ("7_000", 7_000), ("2,048", 2_048), (" 3 B ", 3_000_000_000), (".5B", 500_000_000), ("110m", 110_000_000)],
)  # fmt: skip
def test_parse_size_reads_units(text, value):
    assert explore.parse_size(text) == value


@pytest.mark.parametrize("text", ["", "B", "7X", "seven", "1e9", "-5B", "1.2.3B", "7BB"])
def test_parse_size_rejects_nonsense_with_a_usage_error(text):
    with pytest.raises(UsageError, match="not a size"):
        explore.parse_size(text)


def test_parse_size_range_either_end_optional():
    assert explore.parse_size_range("1B..10B") == explore.SizeRange(10**9, 10**10)
    assert explore.parse_size_range("7B..") == explore.SizeRange(7 * 10**9, None)
    assert explore.parse_size_range("..500M") == explore.SizeRange(None, 500 * 10**6)
    assert explore.parse_size_range("Undisclosed") == explore.SizeRange(missing="undisclosed")
    assert 10**10 in explore.parse_size_range("1B..10B")  # inclusive at both ends
    assert 10**9 in explore.parse_size_range("1B..10B")


@pytest.mark.parametrize(
    ("text", "message"), [("7B", "LOW..HIGH"), ("..", "at least one end"), ("10B..1B", "low end is above")]
)
def test_parse_size_range_errors_say_how_to_write_one(text, message):
    with pytest.raises(UsageError, match=message):
        explore.parse_size_range(text)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("2023", "2023-01-01", "2023-99-99"), ("2024-06", "2024-06-01", "2024-06-99"),
     ("2024-6", "2024-06-01", "2024-06-99"), ("2024-06-15", "2024-06-15", "2024-06-15"),
     ("2023-Q2", "2023-04-01", "2023-06-99"), ("2023q4", "2023-10-01", "2023-12-99")],
)  # fmt: skip
def test_parse_period_covers_the_whole_period_named(text, start, end):
    assert explore.parse_period(text, end=False) == start
    assert explore.parse_period(text, end=True) == end
    assert "2024-06-30" <= explore.parse_period("2024-06", end=True)  # comparable with ISO release dates


@pytest.mark.parametrize("text", ["23", "2024-13", "2024-02-30", "2024-Q5", "last year", "2024/06"])
def test_parse_period_rejects_what_is_not_a_date(text):
    with pytest.raises(UsageError):
        explore.parse_period(text, end=False)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_range_and_period_parsers_only_ever_raise_usage_errors(text):
    for parse in (explore.parse_size_range, lambda t: explore.parse_period(t, end=True)):
        try:
            parse(text)
        except UsageError:
            pass


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["", "K", "M", "B", "T"]))
def test_parse_size_round_trips_whole_numbers(number, unit):
    scale = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}[unit]
    if number * scale <= 10**18:
        assert explore.parse_size(f"{number}{unit}") == number * scale


# -- filters ------------------------------------------------------------------------------------------------------


def test_filters_resolve_names_aliases_and_comma_lists(catalog):
    filters = explore.make_filters(catalog, organizations=["Mistral AI", "facebook,exampleco"], categories=["SLM"])
    assert filters.organizations == ("mistral-ai", "meta", "exampleco")
    assert filters.categories == ("slm",)


def test_unknown_filter_value_is_a_usage_error_with_a_hint(catalog):
    with pytest.raises(UsageError, match="--org: unknown value 'metta'; did you mean 'meta'"):
        explore.make_filters(catalog, organizations=["metta"])
    with pytest.raises(UsageError, match="--stage: unknown value 'sft'; known: base, chat, instruct"):
        explore.make_filters(catalog, stages=["sft"])
    with pytest.raises(UsageError, match="after --until"):
        explore.make_filters(catalog, since="2024", until="2023")


def test_filters_combine_and_all_must_match(catalog):
    chosen = explore.select(catalog, explore.make_filters(catalog, organizations=["exampleco"], stages=["chat"]))
    assert ids(chosen.models) == ["ex-mid", "ex-secret"]
    open_slm = explore.select(catalog, explore.make_filters(catalog, categories=["slm"], weights=["open"]))
    assert "mistral-7b" in ids(open_slm.models) and "phi-2" in ids(open_slm.models)
    assert "gemini-1.0-nano-1" not in ids(open_slm.models)  # an SLM, but API only


def test_params_filter_counts_what_it_leaves_out_and_why(catalog):
    filters = explore.make_filters(catalog, organizations=["exampleco"], parameters="1B..")
    chosen = explore.select(catalog, filters)
    assert ids(chosen.models) == ["ex-mid", "ex-big"]
    assert {k: ids(v) for k, v in chosen.excluded.items()} == {
        "undisclosed_parameters": ["ex-secret"],
        "unknown_parameters": ["ex-painter"],
    }
    small = explore.select(catalog, explore.make_filters(catalog, organizations=["exampleco"], parameters="..100M"))
    assert ids(small.models) == []  # ex-small has 120M; the undisclosed are still only counted, not kept
    assert set(small.excluded) == {"undisclosed_parameters", "unknown_parameters"}


def test_params_undisclosed_and_unknown_list_the_models_without_a_number(catalog):
    def chosen(word: str) -> list[str]:
        filters = explore.make_filters(catalog, organizations=["exampleco"], parameters=word)
        return ids(explore.select(catalog, filters).models)

    assert chosen("undisclosed") == ["ex-secret"]
    assert chosen("unknown") == ["ex-painter"]


def test_date_filters_are_inclusive_of_the_named_period(catalog):
    base = {"organizations": ["exampleco"]}
    since = explore.select(catalog, explore.make_filters(catalog, since="2024-08", **base))
    assert ids(since.models) == ["ex-big", "ex-secret", "ex-painter"]
    until = explore.select(catalog, explore.make_filters(catalog, until="2023", **base))
    assert ids(until.models) == ["ex-small", "ex-mid"]
    quarter = explore.select(catalog, explore.make_filters(catalog, since="2024-Q4", until="2024-Q4", **base))
    assert ids(quarter.models) == ["ex-secret"]


def test_modality_matches_inputs_or_outputs(catalog):
    chosen = explore.select(catalog, explore.make_filters(catalog, organizations=["exampleco"], modalities=["image"]))
    assert ids(chosen.models) == ["ex-secret", "ex-painter"]


def test_sorting_puts_unknowns_last_even_reversed(catalog):
    models = explore.select(catalog, explore.make_filters(catalog, organizations=["exampleco"])).models
    by_size = ["ex-small", "ex-mid", "ex-big", "ex-painter", "ex-secret"]
    assert ids(explore.sort_models(catalog, models, "params")) == by_size
    assert ids(explore.sort_models(catalog, models, "params", reverse=True))[:3] == ["ex-big", "ex-mid", "ex-small"]
    assert ids(explore.sort_models(catalog, models, "params", reverse=True))[3:] == ["ex-painter", "ex-secret"]
    assert ids(explore.sort_models(catalog, models, "released"))[0] == "ex-small"
    assert ids(explore.sort_models(catalog, models, "name"))[0] == "ex-big"


# -- search ---------------------------------------------------------------------------------------------------------


def test_search_forgives_a_typo(catalog):
    hits = explore.search(catalog, "mistrall")
    top = {(h.kind, h.id) for h in hits[:2]}
    assert ("model", "mistral-7b") in top


def test_search_says_where_each_hit_matched(catalog):
    hits = {h.id: h for h in explore.search(catalog, "zorblax")}
    assert hits["ex-big"].field in ("architecture", "description")
    assert "zorblax" in hits["ex-big"].matched
    org = {h.id: h for h in explore.search(catalog, "example co")}
    assert org["ex-small"].field == "organization"


def test_search_ranks_an_exact_name_above_a_partial_one(catalog):
    hits = [h.id for h in explore.search(catalog, "o1") if h.kind == "model"]
    assert hits[0] == "o1"
    assert set(hits[1:3]) == {"o1-mini", "o1-preview"}


def test_search_finds_terms_and_myths_and_points_to_the_right_command(catalog):
    term = next(h for h in explore.search(catalog, "small language model") if h.kind == "term")
    assert term.id == "slm" and term.command == "taxo explain slm"
    myth = next(h for h in explore.search(catalog, "170 trillion") if h.kind == "myth")
    assert myth.command == "taxo show gpt-4"


def test_search_of_nothing_searchable_is_a_usage_error(catalog):
    with pytest.raises(UsageError):
        explore.search(catalog, " -- ")


# -- timeline and chart ------------------------------------------------------------------------------------------


def test_timeline_counts_per_period_and_category_without_gaps(catalog):
    models = explore.select(catalog, explore.make_filters(catalog, organizations=["exampleco"])).models
    history = explore.timeline(catalog, models, "quarter", "category")
    assert history.periods[0] == "2022-Q1" and history.periods[-1] == "2025-Q1"
    assert len(history.periods) == 13  # every quarter between, empty ones included
    assert ids(history.cells[("2024-Q3", "llm")]) == ["ex-big"]
    assert ("2022-Q2", "slm") not in history.cells


def test_timeline_by_org_orders_the_busiest_first(catalog):
    history = explore.timeline(catalog, list(catalog.models.values()), "year", "org")
    totals = [sum(len(history.cells.get((p, ident), ())) for p in history.periods) for ident, _ in history.groups]
    assert totals == sorted(totals, reverse=True) and len(totals) > 5
    assert ("openai", "OpenAI") in history.groups


def test_chart_keeps_models_without_a_number_apart(catalog):
    models = explore.select(catalog, explore.make_filters(catalog, organizations=["exampleco"])).models
    bars = explore.chart(catalog, models, "params")
    assert [m.id for m, _ in bars.bars] == ["ex-big", "ex-mid", "ex-small"]
    assert ids(bars.undisclosed) == ["ex-secret"] and ids(bars.unknown) == ["ex-painter"]
    assert (10_000_000_000, ("slm-belcak-2025", "llm-zhao-2023")) in bars.lines
    context = explore.chart(catalog, models, "context")
    assert context.lines == ()  # the sources' lines are parameter lines
    assert set(ids(context.unknown)) == {"ex-big", "ex-painter"}
