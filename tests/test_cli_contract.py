"""Exit codes one by one, help text for every command, --version; every user error is `taxo: error: ...`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from taxonomy_cli import catalog, queries
from taxonomy_cli.cli import app
from taxonomy_cli.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
BOX = re.compile("[\u2500-\u257f]")  # rich's panel and table borders


def test_exit_0_ok(taxo):
    assert taxo("show", "phi-2").exit_code == 0


def test_exit_1_unexpected_error_is_one_line_without_trace(taxo, monkeypatch):
    def boom(*_args):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(queries, "find", boom)
    result = taxo("show", "phi-2")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "unexpected RuntimeError: kaboom" in result.stderr
    assert "--debug" in result.stderr


def test_debug_shows_the_trace(taxo, monkeypatch):
    def boom(*_args):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(queries, "find", boom)
    result = taxo("--debug", "show", "phi-2")
    assert isinstance(result.exception, RuntimeError)


def test_debug_environment_variable_shows_the_trace(taxo, monkeypatch):
    def boom(*_args):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(queries, "find", boom)
    assert isinstance(taxo("show", "phi-2", env={"TAXO_DEBUG": "1"}).exception, RuntimeError)
    assert taxo("show", "phi-2", env={"TAXO_DEBUG": "0"}).exit_code == 1


def test_exit_1_before_a_command_runs_is_one_line_too(taxo, monkeypatch):
    """An unexpected error while options are parsed (--version reads the catalogue) is caught as well."""

    def boom(*_args, **_kwargs):
        raise RuntimeError("version \x1b[2J kaboom")

    monkeypatch.setattr(catalog, "load", boom)
    result = taxo("--version")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "taxo: error: unexpected RuntimeError: version \\x1b[2J kaboom",
        "taxo: run again with --debug (or TAXO_DEBUG=1) to see the full trace, and report it",
    ]
    assert isinstance(taxo("--debug", "--version").exception, RuntimeError)


def test_exit_2_usage(taxo):
    result = taxo("show", "phi-2", "--format", "yaml")
    assert result.exit_code == 2
    assert "Invalid value" in result.stderr
    assert taxo("no-such-command").exit_code == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "phi-2", "--format", "yaml"], "Invalid value for '--format' / '-f': 'yaml' is not one of"),
        (["shwo", "phi-2"], "No such command 'shwo'. Did you mean 'show'?"),
        (["show"], "Missing argument 'name'."),
        (["tree", "--depth", "9"], "Invalid value for '--depth' / '-d': 9 is not in the range 1<=x<=3."),
        (["tree", "extra"], "Got unexpected extra argument"),
        (["show", "phi-2", "--colour"], "No such option: --colour"),
        (["--bogus", "show", "phi-2"], "No such option: --bogus"),
        (["--catalog"], "Option '--catalog' requires an argument."),
        (["compare", "llm"], "compare needs at least two names"),
        (["explain", "llm", "--level", "expert"], "Invalid value for '--level' / '-l'"),
    ],
)
def test_usage_errors_are_short_plain_taxo_error_lines(taxo, argv, message):
    result = taxo(*argv)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("taxo: error: ") and message in lines[0]
    assert len(lines) <= 3  # the error, the usage, where to get help
    assert not BOX.search(result.stderr)  # never a rich box
    if len(lines) == 3:
        assert lines[1].startswith("Usage: taxo") and lines[2].startswith("Try 'taxo")


def test_taxo_alone_prints_help_and_exit_2(taxo):
    result = taxo()
    assert result.exit_code == 2
    assert "Usage: taxo" in result.stderr and "Exit codes" in result.stderr


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["show", "gtp-4"], 3),
        (["explain", "foundatoin"], 3),
        (["explain", "phi-2"], 3),
        (["compare", "llm", "nope"], 3),
        (["--catalog", "/nonexistent/x.yaml", "tree"], 4),
        (["validate", "/nonexistent/x.yaml"], 4),
        (["show", "phi-2", "--format", "yaml"], 2),
        (["compare", "llm"], 2),
    ],
)
def test_every_user_error_is_a_taxo_error_line_on_stderr(taxo, argv, code):
    result = taxo(*argv)
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr.startswith("taxo: error: ")
    assert "Traceback" not in result.stderr


def test_not_found_says_what_to_try(taxo):
    result = taxo("show", "gtp-4")
    assert result.stderr.startswith("taxo: error: no model or family named 'gtp-4'; did you mean 'gpt-4'")


def test_readme_exit_code_table_is_the_exit_code_enum(taxo):
    """The README documents exactly the codes taxo uses, and --help's epilog names them all."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.MULTILINE)}
    assert documented == {int(code) for code in ExitCode}
    epilog = taxo("--help").stdout
    assert all(f"{int(code)} " in epilog for code in ExitCode)


def test_exit_3_not_found(taxo):
    assert taxo("show", "no-such-model-at-all").exit_code == 3


def test_exit_4_bad_data(taxo):
    from conftest import DATA

    assert taxo("validate", str(DATA / "broken" / "malformed.yaml")).exit_code == 4


def test_exit_130_interrupted(taxo, monkeypatch):
    def interrupt(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(queries, "find", interrupt)
    result = taxo("show", "phi-2")
    assert result.exit_code == 130
    assert "Traceback" not in result.stderr


def test_every_command_has_help_with_an_example(taxo):
    from typer.main import get_command

    group = get_command(app)
    for name, command in group.commands.items():
        assert command.help, f"{name} has no help"
        result = taxo(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout, f"{name} --help shows no example"


def test_top_level_help_lists_commands_and_exit_codes(taxo):
    result = taxo("--help")
    assert result.exit_code == 0
    assert "show" in result.stdout and "validate" in result.stdout
    assert "Exit codes" in result.stdout


def test_version_shows_data_as_of(taxo):
    result = taxo("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("taxo ")
    assert "catalogue reviewed for releases up to 20" in result.stdout


@pytest.mark.parametrize("prefix", ["mistral", "llama-3"])
def test_completion_offers_catalogue_ids(prefix):
    from taxonomy_cli.cli import _complete_names

    names = _complete_names(prefix)
    assert names and all(n.startswith(prefix) for n in names)


@pytest.mark.parametrize("columns", ["80", "100", "60"])
def test_help_summaries_end_at_a_sentence_not_mid_phrase(taxo, columns):
    """`taxo --help` lists each command with a whole first sentence, never cut with '...'."""
    out = taxo("--help", env={"COLUMNS": columns}).stdout
    listed = out.split("Commands:", 1)[1].split("\n\n", 1)[0].splitlines()
    summaries = [line.split(None, 1)[1] for line in listed if line.startswith("  ") and len(line.split(None, 1)) == 2
                 and not line.startswith("   ")]  # fmt: skip
    assert len(summaries) >= 13
    assert all(s.rstrip().endswith(".") and not s.rstrip().endswith("...") for s in summaries), summaries
