"""Catalogue files: broken ones are reported with file:line and the field; user files add to the catalogue."""

from __future__ import annotations

import hashlib
import os

import pytest

from conftest import DATA

BROKEN = DATA / "broken"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("typo.yaml", "typo.yaml:5: model 'typo-model': paramters: unknown field 'paramters'; did you mean 'parameters'?"),
        ("wrong-type.yaml", "wrong-type.yaml:15: model 'wrong-type': parameters: value: expected a positive whole number"),
        ("duplicate.yaml", "duplicate.yaml:7: model 'mistral-7b': id: duplicate model id 'mistral-7b' (first defined at"),
        ("dangling.yaml", "dangling.yaml:14: model 'dangling': base_model: unknown model 'llama-3-8bb'; did you mean 'llama-3-8b'?"),
        ("dangling.yaml", "dangling.yaml:15: model 'dangling': sources: unknown source 'no-such-source'"),
        ("no-status.yaml", "no-status.yaml:15: model 'no-status': parameters: missing required field 'status'"),
        ("no-status.yaml", "no-status.yaml:17: model 'no-status': context_length: method: a derived number must say how"),
        ("bad-date.yaml", "bad-date.yaml:10: model 'bad-date': released: date: '2024-13-45' is not a date"),
        ("cutoff.yaml", "cutoff.yaml:11: model 'cutoff-late': knowledge_cutoff: 2024-06 is after the release 2024-01-10"),
        ("malformed.yaml", "malformed.yaml:4: malformed YAML"),
        ("python-tag.yaml", "python-tag.yaml:1: unsupported YAML tag"),
        ("alias-bomb.yaml", "alias-bomb.yaml:2: YAML aliases (*name) are not supported"),
        ("duplicate-key.yaml", "duplicate-key.yaml:3: duplicate key 'id' (first at line 2)"),
    ],
)
def test_broken_file_is_named_with_line_and_field(taxo, fixture, expected):
    result = taxo("validate", str(BROKEN / fixture))
    assert result.exit_code == 4
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_lists_every_problem_not_just_the_first(taxo):
    result = taxo("validate", str(BROKEN / "typo.yaml"))
    lines = [line for line in result.stderr.splitlines() if line.startswith("taxo: error:")]
    assert len(lines) >= 6


def test_validate_json_reports_problems(taxo):
    import json

    result = taxo("validate", str(BROKEN / "dangling.yaml"), "--format", "json")
    assert result.exit_code == 4
    data = json.loads(result.stdout)
    assert data["ok"] is False and len(data["problems"]) == 2


def test_validate_bundled_catalogue_passes(taxo):
    result = taxo("validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_broken_user_catalogue_stops_show_with_file_line(taxo):
    result = taxo("--catalog", str(BROKEN / "typo.yaml"), "show", "mistral-7b")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "typo.yaml:5:" in result.stderr


def test_catalog_option_adds_a_model_that_show_finds(taxo):
    result = taxo("--catalog", str(DATA / "user" / "my-models.yaml"), "show", "Acme Tiny Chat", "--format", "json")
    assert result.exit_code == 0, result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["id"] == "acme-tiny-chat"
    assert data["lineage"] == ["mistral-7b", "acme-tiny-chat"]
    assert "chat" in {c["id"] for c in data["categories"]}
    foundation = next(c for c in data["categories"] if c["id"] == "foundation")
    assert foundation["rule"] == "foundation-adapted"  # a fine-tune: it inherits its base's pre-training
    assert "adapted from Mistral 7B" in foundation["why"]


def test_catalog_option_takes_a_folder(taxo):
    result = taxo("--catalog", str(DATA / "user"), "show", "acme-tiny-chat")
    assert result.exit_code == 0, result.stderr


def test_taxo_catalog_environment_variable(taxo):
    paths = os.pathsep.join([str(DATA / "user" / "my-models.yaml"), str(DATA / "user")])
    result = taxo("show", "acme-tiny-chat", env={"TAXO_CATALOG": str(DATA / "user" / "my-models.yaml")})
    assert result.exit_code == 0, result.stderr
    # the same file named twice (directly and through its folder) is the same catalogue, read once
    twice = taxo("show", "acme-tiny-chat", env={"TAXO_CATALOG": paths})
    assert (twice.exit_code, twice.stdout, twice.stderr) == (0, result.stdout, result.stderr)
    again = taxo("--catalog", str(DATA / "user" / "my-models.yaml"), "validate", str(DATA / "user"),
                 env={"TAXO_CATALOG": paths})  # fmt: skip
    assert again.exit_code == 0, again.stderr


def test_an_empty_catalogue_path_is_a_usage_error_not_the_working_directory(taxo):
    for args in (("--catalog", "", "show", "phi-2"), ("validate", "")):
        result = taxo(*args)
        assert result.exit_code == 2, result.stderr
        assert result.stderr == "taxo: error: an empty catalogue path was given: name a YAML file or a folder of them\n"


def test_missing_catalog_path_is_a_clear_error(taxo, tmp_path):
    result = taxo("--catalog", str(tmp_path / "nope.yaml"), "show", "mistral-7b")
    assert result.exit_code == 4
    assert "nope.yaml: no such file or folder" in result.stderr


def test_user_files_are_never_modified(taxo):
    files = sorted((DATA).rglob("*.yaml"))
    before = {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    taxo("--catalog", str(DATA / "user"), "show", "acme-tiny-chat")
    for f in sorted(BROKEN.glob("*.yaml")):
        taxo("validate", str(f))
    after = {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    assert before == after


def test_a_session_reads_its_catalogue_once_and_only_when_asked():
    from taxonomy_cli.session import Session

    session = Session([str(DATA / "user" / "my-models.yaml")])
    assert session._catalog is None  # nothing read by making it
    loaded = session.catalog()
    assert "acme-tiny-chat" in loaded.models
    assert session.catalog() is loaded
    assert session.files()[-1].name == "my-models.yaml"
