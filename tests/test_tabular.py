"""The shared format writers (rows + columns -> CSV, markdown, plain, rich Table); explore commands end to end."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taxonomy_cli import tabular

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = [("id", "ID"), ("name", "Name"), ("size", "Size"), ("tags", "Tags")]
ROWS = [
    {"id": "a", "name": "Alpha | one", "size": 7, "tags": ["x", "y"]},
    {"id": "bb", "name": "B\x1b[2Jeta\nline", "size": None, "tags": []},
    {"id": "c", "name": "[bold]C[/bold]", "size": 1234, "tags": ["z"], "ignored": "not a column"},
]


def test_csv_round_trips_through_the_csv_module_with_a_key_header():
    text = tabular.to_csv(COLUMNS, ROWS)
    assert text.splitlines()[0] == "id,name,size,tags"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0] == {"id": "a", "name": "Alpha | one", "size": "7", "tags": "x; y"}
    assert rows[1]["size"] == "" and rows[1]["tags"] == ""
    assert rows[1]["name"] == "B\\x1b[2Jeta\nline"  # control characters shown, a newline kept inside quotes
    assert rows[2]["name"] == "[bold]C[/bold]"


def test_markdown_escapes_pipes_and_keeps_each_row_on_one_line():
    lines = tabular.to_markdown(COLUMNS, ROWS).splitlines()
    assert lines[:2] == ["| ID | Name | Size | Tags |", "| --- | --- | --- | --- |"]
    assert lines[2] == "| a | Alpha \\| one | 7 | x; y |"
    assert lines[3] == "| bb | B\\\\x1b[2Jeta line |   |   |"
    assert len(lines) == 5


def test_plain_aligns_columns_and_right_aligns_numbers():
    lines = tabular.to_plain(COLUMNS, ROWS).splitlines()
    assert lines[0] == "ID  Name              Size  Tags"
    assert lines[1] == "a   Alpha | one          7  x; y"
    assert lines[2] == "bb  B\\x1b[2Jeta line"  # escapes shown, the newline folded, empty cells trimmed
    assert lines[3] == "c   [bold]C[/bold]    1234  z"
    assert "\x1b" not in "".join(lines)


def test_rich_table_drops_optional_columns_to_fit_and_keeps_markup_literal():
    from rich.console import Console

    def render(width: int) -> str:
        console = Console(file=io.StringIO(), width=width, color_system=None)
        console.print(tabular.rich_table(COLUMNS, ROWS, width=width, optional=("tags", "size")))
        return console.file.getvalue()

    wide, narrow = render(80), render(24)
    assert "Tags" in wide and "hidden" not in wide and "[bold]C[/bold]" in wide
    assert "Tags" not in narrow.splitlines()[1] and "hidden at this width: Size, Tags" in " ".join(narrow.split())
    assert max(len(line) for line in narrow.splitlines()) <= 24


def test_rich_table_keeps_ids_and_words_whole_when_the_width_allows():
    """A narrow table wraps between words ('undisclosed', 'Organization' whole) and never inside an id, while
    long sentences still fold to fit."""
    from rich.console import Console

    columns = [("id", "ID"), ("org", "Organization"), ("size", "Params"), ("note", "Note")]
    rows = [{"id": "qwen-3-235b-a22b-thinking", "org": "Alibaba Cloud", "size": "undisclosed",
             "note": "a long remark that has to wrap over several lines " * 2}]  # fmt: skip
    console = Console(file=io.StringIO(), width=70, color_system=None)
    console.print(tabular.rich_table(columns, rows, width=70, whole=("id",)))
    out = console.file.getvalue()
    words = out.split()
    assert {"qwen-3-235b-a22b-thinking", "undisclosed", "Organization"} <= set(words)
    assert max(len(line) for line in out.splitlines()) <= 70


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.dictionaries(st.sampled_from(["id", "name", "size"]), st.text(max_size=12)), max_size=5))
def test_every_writer_gives_one_header_line_and_no_raw_control_characters(rows):
    for writer in (tabular.to_markdown, tabular.to_plain):
        text = writer(COLUMNS, rows)
        assert len(text.splitlines()) >= 1 + (len(rows) if writer is tabular.to_markdown else 0)
        assert not any(ch in text for ch in "\x1b\x07\x9b\u202e")
    parsed = list(csv.reader(io.StringIO(tabular.to_csv(COLUMNS, rows))))
    assert len(parsed) == 1 + len(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["--params", "--since", "--until", "--org", "--category", "--modality", "--stage"]),
    st.text(max_size=12),
    st.sampled_from(["list", "timeline", "chart params"]),
)
def test_no_filter_value_gives_a_traceback(taxo, option, value, command):
    result = taxo(*command.split(), option, value, "--format", "json")
    assert result.exit_code in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith(("taxo: error:", "Usage:"))


def _python_taxo(args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """This checkout's taxo (python -m, not the installed one) in a shell pipeline."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TAXO_CATALOG", None)
    command = f"'{sys.executable}' -m taxonomy_cli {args}"
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)


def _big_catalogue(tmp_path: Path, count: int = 1500) -> Path:
    lines = [
        "sources: [{id: gen-src, title: Generated, url: 'https://example.org/gen', kind: docs}]",
        "organizations: [{id: gen-org, name: Generated Org}]",
        "models:",
    ]
    for i in range(count):
        lines.append(
            f"  - {{id: gen-{i}, name: Generated {i}, organization: gen-org, description: 'A generated model for "
            f"the pipe test, long enough to fill the pipe quickly.', "
            f"released: {{date: 2024-01-01, sources: [gen-src]}}, "
            f"parameters: {{value: {i + 1}000000, status: official, sources: [gen-src]}}, architecture: transformer, "
            f"modalities: {{input: [text], output: [text]}}, weights: open, stage: base, sources: [gen-src]}}"
        )
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_list_piped_into_head_ends_quietly(tmp_path):
    big = _big_catalogue(tmp_path)  # far more than a pipe buffer holds, so taxo is still writing when head exits
    for fmt in ("plain", "json", "csv"):
        result = _python_taxo(f"--catalog '{big}' list --format {fmt} | head -1", tmp_path)
        assert result.stderr == "", fmt
        assert len(result.stdout.splitlines()) == 1


def test_piped_explore_output_has_no_escape_codes_but_forced_colour_has(tmp_path):
    plain = _python_taxo("chart params | cat", tmp_path)
    assert plain.returncode == 0 and "█" in plain.stdout and "\x1b[" not in plain.stdout
    coloured = _python_taxo("timeline --format table | cat", tmp_path)
    assert "\x1b[" not in coloured.stdout  # table format without a terminal: no colour either
    forced = subprocess.run(
        [sys.executable, "-m", "taxonomy_cli", "timeline"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "FORCE_COLOR": "1"},
    )  # fmt: skip
    assert "\x1b[" in forced.stdout


class _ClosedPipe(io.StringIO):
    """A stdout whose reader went away after the first line (what `| head -1` does on most systems)."""

    def write(self, text: str) -> int:
        if self.tell() > 0 or "\n" in text[:-1]:
            super().write(text.split("\n", 1)[0] + "\n" if self.tell() == 0 else "")
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly_in_process(monkeypatch, capsys):
    """This sandbox's pipes never report EPIPE, so the subprocess test above cannot provoke it: simulate it."""
    import pytest

    from taxonomy_cli.cli import main

    for args in (["list"], ["list", "--format", "json"], ["timeline"], ["chart", "params"], ["search", "gpt"]):
        pipe = _ClosedPipe()
        monkeypatch.setattr(sys, "stdout", pipe)
        monkeypatch.setattr(sys, "argv", ["taxo", *args])
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code in (0, 1)
        assert capsys.readouterr().err == ""
        assert pipe.getvalue().count("\n") == 1
