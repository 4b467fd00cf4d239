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


def pick(catalog, **filters) -> explore.Selection:
    """The models these filter options keep, as list, chart and timeline choose them (records.Listed)."""
    listed = explore.listing(catalog)
    return explore.select(listed, explore.make_filters(listed, **filters))


def records(catalog, listed) -> list:
    """The catalogue's own records of models chosen by `pick`."""
    return [catalog.models[m.id] for m in listed]


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
    listed = explore.listing(catalog)
    filters = explore.make_filters(listed, organizations=["Mistral AI", "facebook,exampleco"], categories=["SLM"])
    assert filters.organizations == ("mistral-ai", "meta", "exampleco")
    assert filters.categories == ("slm",)


def test_unknown_filter_value_is_a_usage_error_with_a_hint(catalog):
    with pytest.raises(UsageError, match="--org: unknown value 'metta'; did you mean 'meta'"):
        explore.make_filters(explore.listing(catalog), organizations=["metta"])
    with pytest.raises(UsageError, match="--stage: unknown value 'sft'; known: base, chat, instruct"):
        explore.make_filters(explore.listing(catalog), stages=["sft"])
    with pytest.raises(UsageError, match="after --until"):
        explore.make_filters(explore.listing(catalog), since="2024", until="2023")


def test_filters_combine_and_all_must_match(catalog):
    chosen = pick(catalog, organizations=["exampleco"], stages=["chat"])
    assert ids(chosen.models) == ["ex-mid", "ex-secret"]
    open_slm = pick(catalog, categories=["slm"], weights=["open"])
    assert "mistral-7b" in ids(open_slm.models) and "phi-2" in ids(open_slm.models)
    assert "gemini-1.0-nano-1" not in ids(open_slm.models)  # an SLM, but API only


def test_params_filter_counts_what_it_leaves_out_and_why(catalog):
    chosen = pick(catalog, organizations=["exampleco"], parameters="1B..")
    assert ids(chosen.models) == ["ex-mid", "ex-big"]
    assert {k: ids(v) for k, v in chosen.excluded.items()} == {
        "undisclosed_parameters": ["ex-secret"],
        "unknown_parameters": ["ex-painter"],
    }
    small = pick(catalog, organizations=["exampleco"], parameters="..100M")
    assert ids(small.models) == []  # ex-small has 120M; the undisclosed are still only counted, not kept
    assert set(small.excluded) == {"undisclosed_parameters", "unknown_parameters"}


def test_params_undisclosed_and_unknown_list_the_models_without_a_number(catalog):
    def chosen(word: str) -> list[str]:
        return ids(pick(catalog, organizations=["exampleco"], parameters=word).models)

    assert chosen("undisclosed") == ["ex-secret"]
    assert chosen("unknown") == ["ex-painter"]


def test_date_filters_are_inclusive_of_the_named_period(catalog):
    base = {"organizations": ["exampleco"]}
    since = pick(catalog, since="2024-08", **base)
    assert ids(since.models) == ["ex-big", "ex-secret", "ex-painter"]
    until = pick(catalog, until="2023", **base)
    assert ids(until.models) == ["ex-small", "ex-mid"]
    quarter = pick(catalog, since="2024-Q4", until="2024-Q4", **base)
    assert ids(quarter.models) == ["ex-secret"]


def test_modality_matches_inputs_or_outputs(catalog):
    chosen = pick(catalog, organizations=["exampleco"], modalities=["image"])
    assert ids(chosen.models) == ["ex-secret", "ex-painter"]


def test_sorting_puts_unknowns_last_even_reversed(catalog):
    models = pick(catalog, organizations=["exampleco"]).models
    by_size = ["ex-small", "ex-mid", "ex-big", "ex-painter", "ex-secret"]
    assert ids(explore.sort_models(models, "params")) == by_size
    assert ids(explore.sort_models(models, "params", reverse=True))[:3] == ["ex-big", "ex-mid", "ex-small"]
    assert ids(explore.sort_models(models, "params", reverse=True))[3:] == ["ex-painter", "ex-secret"]
    assert ids(explore.sort_models(models, "released"))[0] == "ex-small"
    assert ids(explore.sort_models(models, "name"))[0] == "ex-big"


# -- search ---------------------------------------------------------------------------------------------------------


def test_search_forgives_a_typo(catalog):
    hits = explore.search(explore.search_index(catalog), "mistrall").hits
    top = {(h.kind, h.id) for h in hits[:4]}  # after the families named Mistral
    assert ("model", "mistral-7b") in top


def test_search_says_where_each_hit_matched(catalog):
    hits = {h.id: h for h in explore.search(explore.search_index(catalog), "zorblax").hits}
    assert hits["ex-big"].field in ("architecture", "description")
    assert "zorblax" in hits["ex-big"].matched
    org = {h.id: h for h in explore.search(explore.search_index(catalog), "example co").hits}
    assert org["ex-small"].field == "organization"


def test_search_ranks_an_exact_name_above_a_partial_one(catalog):
    hits = [h.id for h in explore.search(explore.search_index(catalog), "o1").hits if h.kind == "model"]
    assert hits[0] == "o1"
    assert set(hits[1:3]) == {"o1-mini", "o1-preview"}


def test_search_finds_terms_and_myths_and_points_to_the_right_command(catalog):
    term = next(h for h in explore.search(explore.search_index(catalog), "small language model").hits if h.kind == "term")
    assert term.id == "slm" and term.command == "taxo explain slm"
    myth = next(h for h in explore.search(explore.search_index(catalog), "170 trillion").hits if h.kind == "myth")
    assert myth.command == "taxo show gpt-4"


def test_search_of_nothing_searchable_is_a_usage_error(catalog):
    with pytest.raises(UsageError):
        explore.search(explore.search_index(catalog), " -- ")


@pytest.fixture(scope="module")
def index(catalog):
    return explore.search_index(catalog)


def _words_of(catalog) -> list[str]:
    index = explore.search_index(catalog)
    documents = (explore.document(index, number) for number in range(explore.document_count(index)))
    return sorted({w for *_, fields in documents for _, text in fields for w in text.split() if w.isalnum()})


def _typos(draw, word: str) -> str:
    """The word, or a prefix of it, or one letter dropped, doubled or changed."""
    how = draw(st.sampled_from(["same", "prefix", "drop", "double", "change", "upper"]))
    at = draw(st.integers(0, max(len(word) - 1, 0)))
    if how == "prefix":
        return word[: max(at, 1)]
    if how == "drop":
        return word[:at] + word[at + 1 :]
    if how == "double":
        return word[:at] + word[at : at + 1] * 2 + word[at + 1 :]
    if how == "change":
        return word[:at] + draw(st.sampled_from("aeiouxz7-")) + word[at + 1 :]
    return word.upper() if how == "upper" else word


@settings(max_examples=150)
@given(data=st.data())
def test_search_finds_exactly_what_scoring_every_document_finds(catalog, index, data):
    """The index only skips documents that cannot match, and a limit only skips scoring the documents that cannot
    be among the first hits: the hits, their order, scores and snippets, and the count of all matches, are the
    same as scoring every document, for words of the catalogue, their typos and prefixes, and for anything at all."""
    words = _words_of(catalog)
    picked = data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=3))
    query = " ".join(_typos(data.draw, w) for w in picked)
    query = data.draw(st.one_of(st.just(query), st.text(min_size=1, max_size=12)))
    limit = data.draw(st.sampled_from([None, 1, 2, 5, 20]))
    try:
        indexed = explore.search(index, query, limit)
    except UsageError:
        indexed = "usage error"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(explore, "candidates", lambda index, scorer: (set(range(explore.document_count(index))), set(), *[set(range(explore.document_count(index)))] * 2))
        try:
            everything = explore.search(index, query)
            everything = explore.Found(everything.hits[:limit], everything.matched)
        except UsageError:
            everything = "usage error"
    assert indexed == everything


# -- timeline and chart ------------------------------------------------------------------------------------------


def test_timeline_counts_per_period_and_category_without_gaps(catalog):
    models = records(catalog, pick(catalog, organizations=["exampleco"]).models)
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
    models = records(catalog, pick(catalog, organizations=["exampleco"]).models)
    bars = explore.chart(catalog, models, "params")
    assert [m.id for m, _ in bars.bars] == ["ex-big", "ex-mid", "ex-small"]
    assert ids(bars.undisclosed) == ["ex-secret"] and ids(bars.unknown) == ["ex-painter"]
    assert (10_000_000_000, ("slm-belcak-2025", "llm-zhao-2023")) in bars.lines
    context = explore.chart(catalog, models, "context")
    assert context.lines == ()  # the sources' lines are parameter lines
    assert set(ids(context.unknown)) == {"ex-big", "ex-painter"}
