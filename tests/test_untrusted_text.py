"""Untrusted strings stay inert: catalogue text and the user's own arguments never reach the terminal as rich markup
or control sequences, in any command or format; JSON keeps the exact string."""

from __future__ import annotations

import json
import sys
import unicodedata

import pytest

from hostile import EVIL, MARKUP, assert_inert, broken_evil_catalogue, evil_catalogue
from taxonomy_cli.output import inert

# Every command that shows catalogue text, each reaching the evil records.
COMMANDS = [
    ("show", "evil-base"),
    ("show", "evil-chat"),
    ("show", "evil-fam"),
    ("explain", "evilterm"),
    ("compare", "evil-base", "evil-chat"),
    ("compare", "evil-chat", "llm", "slm"),
    ("compare", "evil-term", "llm"),
    ("tree",),
    ("tree", "--depth", "3"),
    ("list",),
    ("list", "--org", "evil-org"),
    ("search", "evil"),
    ("timeline", "--group", "org"),
    ("chart", "params", "--org", "evil-org"),
    ("myths", "evil-chat"),
    ("sources", "evil-chat"),
]
CUT = ("timeline", "chart")  # pictures cut names to their column
LISTINGS = [("list",), ("search", "evil"), ("timeline", "--group", "org"), ("chart", "params", "--org", "evil-org")]


@pytest.fixture
def evil(tmp_path):
    return str(evil_catalogue(tmp_path))


SHOWN = [(c, f) for f in ("table", "plain") for c in COMMANDS] + [(c, f) for f in ("csv", "markdown") for c in LISTINGS]


@pytest.mark.parametrize(("command", "fmt"), SHOWN, ids=[f"{f}-{' '.join(c)}" for c, f in SHOWN])
def test_catalogue_text_is_shown_escaped_never_obeyed(taxo, evil, command, fmt):
    result = taxo("--catalog", evil, *command, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout, result.stderr)
    if command[0] in CUT:
        return  # names cut to fit a picture: what shows is checked above, not that all of it shows
    assert "\\x1b[2J" in result.stdout  # visibly escaped, not dropped
    if fmt == "plain":
        assert all(markup in result.stdout for markup in MARKUP)  # markup is text, shown literally
    else:
        assert "[/x]" in result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_forced_colour_adds_only_rich_colour_codes(taxo, evil, command):
    """With FORCE_COLOR the only escape sequences are rich's own SGR (ESC [ ... m); nothing from the catalogue."""
    result = taxo("--catalog", evil, *command, env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    assert "\x1b[" in result.stdout  # colour is really on, so the check below means something
    assert_inert(result.stdout, result.stderr, allow_sgr=True)
    assert "[/x]" in result.stdout or command[0] in CUT


def test_compare_markdown_is_inert(taxo, evil):
    result = taxo("--catalog", evil, "compare", "evil-base", "evil-chat", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout, result.stderr)
    assert "[bold]x[/x]" in result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_json_keeps_the_exact_string_escaped_as_json_does(taxo, evil, command):
    result = taxo("--catalog", evil, *command, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout, result.stderr)  # C1 controls and bidi overrides are \u escapes in the JSON text
    assert any(EVIL in text for text in strings(json.loads(result.stdout)))  # ...and parse back exactly


def strings(data: object) -> list[str]:
    """Every string in parsed JSON, keys included."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [*data, *(s for value in data.values() for s in strings(value))]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return []


def test_json_fields_are_exact(taxo, evil):
    data = taxo.json("--catalog", evil, "show", "evil-base")
    assert data["name"] == "Evil Base " + EVIL
    assert data["description"] == "Description " + EVIL
    assert data["parameters"]["note"] == "note " + EVIL
    term = taxo.json("--catalog", evil, "explain", "evilterm")
    assert term["name"] == "Evil term " + EVIL


def test_validate_error_messages_quoting_the_file_are_inert(taxo, tmp_path):
    broken = str(broken_evil_catalogue(tmp_path))
    result = taxo("validate", broken)
    assert result.exit_code == 4
    assert result.stderr.startswith("taxo: error: ")
    assert "broken-evil.yaml:5: model: " in result.stderr
    assert_inert(result.stdout, result.stderr)
    as_json = taxo("validate", broken, "--format", "json")
    assert as_json.exit_code == 4
    assert_inert(as_json.stdout)
    problems = json.loads(as_json.stdout)["problems"]
    assert any(EVIL in problem for problem in problems)  # the JSON problems keep the exact text


def test_a_broken_evil_file_stops_other_commands_inertly(taxo, tmp_path):
    broken = str(broken_evil_catalogue(tmp_path))
    for command in (("show", "phi-2"), ("tree",), ("explain", "llm"), ("compare", "llm", "slm")):
        result = taxo("--catalog", broken, *command)
        assert result.exit_code == 4, command
        assert result.stdout == ""
        assert_inert(result.stderr)


# -- the user's own arguments, echoed in messages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["show", "\x1b[2J"], 3),
        (["show", EVIL], 3),
        (["explain", EVIL], 3),
        (["compare", EVIL, "llm"], 3),
        (["compare", "llm", "\x1b]52;c;aGVsbG8=\x07"], 3),
        (["show", "--format", EVIL, "phi-2"], 2),
        (["tree", "--depth", EVIL], 2),
        (["tree", EVIL], 2),
        ([EVIL], 2),
        (["show", "phi-2", "--\x1b[2J"], 2),
        (["--catalog", "/nonexistent/\x1b[2J.yaml", "show", "phi-2"], 4),
        (["validate", "/nonexistent/\u202eevil.yaml"], 4),
        (["show", "\udcff\udcfe"], 3),  # undecodable bytes in argv arrive as lone surrogates
    ],
)
def test_echoed_arguments_are_inert(taxo, argv, code):
    result = taxo(*argv)
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("taxo: error: ")
    assert "Traceback" not in result.stderr
    assert_inert(result.stdout, result.stderr)


def test_a_huge_argument_gives_a_short_message(taxo):
    result = taxo("show", "x" * 200_000)
    assert result.exit_code == 3
    assert len(result.stderr) < 1100


# -- the mechanism ---------------------------------------------------------------------------------------------------


def test_inert_escapes_every_control_format_and_separator_character():
    """Every Cc, Cf, Zl, Zp and surrogate code point this Python knows (tab and newline aside) comes out escaped."""
    unsafe = "".join(
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in {"Cc", "Cf", "Zl", "Zp", "Cs"} and chr(code) not in "\t\n"
    )
    assert len(unsafe) > 2000
    shown = inert(unsafe)
    assert shown.isascii() and shown.isprintable()
    assert inert("tab\tand\nnewline, é, 中, 🙂 stay") == "tab\tand\nnewline, é, 中, 🙂 stay"


def test_inert_escapes_are_visible():
    assert inert("a\x1b[2Jb\u202ec\x9bd") == "a\\x1b[2Jb\\u202ec\\x9bd"


@pytest.mark.parametrize("command", [("show", "evil-chat"), ("compare", "evil-base", "evil-chat"), ("explain", "evilterm")],
                         ids=" ".join)
def test_narrow_terminal_stacked_layout_is_inert_too(taxo, evil, command):
    result = taxo("--catalog", evil, *command, "--format", "table", env={"COLUMNS": "40", "FORCE_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout, result.stderr, allow_sgr=True)
