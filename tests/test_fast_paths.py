"""Shortcuts taken for start-up speed (issue 9) give exactly the answers of the plain code they replace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA
from taxonomy_cli import catalog, queries
from taxonomy_cli.names import normalise
from taxonomy_cli.records import CATALOGUE_WEIGHTS


def _reference_normalise(text: str) -> str:
    """What normalise promises, written the slow, obvious way: NFKC, casefold, letters and digits of every script,
    and a dot only between two digits."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).casefold().replace("+", "plus")
    kept = "".join(c for c in folded if c.isalnum() or c == ".")
    return "".join(c for i, c in enumerate(kept) if c != "." or (0 < i < len(kept) - 1 and kept[i - 1].isdigit()
                                                                  and kept[i + 1].isdigit()))  # fmt: skip


@given(st.text() | st.sampled_from(["Mistral 7B", "GPT-4.5", "Command R+", "DALL·E 3", "Phi-3 [mini]", "ǅ", "ß",
                                    "OPT-1.3B", "ＧＰＴ－４", "通义千问 7B", "0.0", "v1..2", ".5"]))  # fmt: skip
def test_normalise_agrees_with_the_slow_obvious_version(text):
    assert normalise(text) == _reference_normalise(text)


def test_names_that_differ_in_a_decimal_point_or_a_script_stay_apart():
    assert normalise("OPT-1.3B") != normalise("OPT-13B")
    assert normalise("通义千问") != normalise("文心一言")
    assert normalise("ＧＰＴ－４") == normalise("gpt-4")
    assert normalise("!!!") == normalise("") == ""


def test_an_exact_model_id_finds_what_the_name_index_finds():
    loaded = catalog.load(catalog.bundled_files() + [DATA / "user" / "my-models.yaml"])
    index = queries.name_index(loaded)
    for ident in loaded.models:
        assert queries.find(loaded, ident) is index[normalise(ident)]


def test_catalogue_folders_are_walked_like_rglob(tmp_path):
    for name in ("a.yaml", "b.yml", "c.txt", ".hidden.yaml", ".yaml", "x.yaml.", "deep/er/d.yaml", ".dot/e.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "deep", target_is_directory=True)
    (tmp_path / "link.yaml").symlink_to(tmp_path / "a.yaml")
    walked = sorted(p for p in tmp_path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    expected = [p for p in walked if p.name != "link.yaml"]  # the same file as a.yaml: read once
    assert catalog.expand([tmp_path]) == expected
    assert catalog.expand([catalog.bundled_dir()]) == sorted(
        p for p in catalog.bundled_dir().rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
    )


def _display_name(path: Path) -> str:
    """What display_names shortcuts: each path and base resolved in full."""
    for base in (catalog.bundled_dir().parent, Path.cwd()):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def test_display_names_match_fully_resolved_paths(tmp_path, monkeypatch):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "m.yaml").write_text("", encoding="utf-8")
    (tmp_path / "real" / "sub").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "deep").symlink_to(tmp_path / "real" / "sub", target_is_directory=True)
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real" / "m.yaml")
    elsewhere = DATA / "user" / "my-models.yaml"
    paths = [
        *catalog.bundled_files(),
        tmp_path / "real" / "m.yaml",
        tmp_path / "alias" / "m.yaml",
        tmp_path / "link.yaml",
        Path("real/m.yaml"),
        Path("alias/../real/m.yaml"),
        Path("deep/../m.yaml"),  # '..' of the link's target (real/), not of the link's folder
        elsewhere,
        Path(os.path.relpath(elsewhere, tmp_path)),
    ]
    monkeypatch.chdir(tmp_path)
    assert catalog.display_names(paths) == [_display_name(p) for p in paths]


@pytest.mark.parametrize("fmt", ["json", "csv", "plain"])
@pytest.mark.parametrize("extra", [(), ("--limit", "7")])
def test_the_unfiltered_listing_by_name_answers_as_the_filtered_path_does(taxo, fmt, extra):
    """`taxo list` with no filter, by name, takes its order from the cached listing JSON without the listing's
    records: the same answer as a filter that keeps every model (every kind of weights)."""
    everything = ",".join(w.value for w in CATALOGUE_WEIGHTS)
    fast = taxo("list", *extra, "--format", fmt)
    plain = taxo("list", "--weights", everything, *extra, "--format", fmt)
    assert fast.exit_code == plain.exit_code == 0
    assert (fast.stdout, fast.stderr) == (plain.stdout, plain.stderr)
