"""Generated input (hypothesis): random command lines and random catalogue files never give a traceback, always an
exit code from the README's table, and never put a raw control character on stdout or stderr.

Budgets: the "ci" profile (default) is derandomized, with the example counts below; HYPOTHESIS_PROFILE=long runs
25 times as many, freshly random each time (see the README). Generated input never exits 1 ("unexpected error"):
every rejection is a usage error (2), a name not found (3) or bad data (4).
"""

from __future__ import annotations

import errno
import os
import traceback
from pathlib import Path

import pytest
import yaml
from hypothesis import currently_in_test_context, event, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import DATA
from test_pipes_terminals import example_files
from hostile import EVIL, assert_inert, broken_evil_catalogue, evil_catalogue
from taxonomy_cli import catalog, yamlfile
from taxonomy_cli.cli import app
from taxonomy_cli.errors import CatalogError

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"


def budget(ci: int) -> int:
    """Examples for one test: `ci` in CI, 25 times as many in the long profile."""
    return ci * 25 if LONG else ci


RUNNER = CliRunner()


def invoke(argv: list[str], env: dict[str, str] | None = None, codes: frozenset[int] = frozenset({0, 2, 3, 4})):
    """Run taxo in-process and check the contract; return the result."""
    result = RUNNER.invoke(app, argv, env=env)
    if currently_in_test_context():
        event(f"exit {result.exit_code}")  # the statistics show which exit codes the inputs reached
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"taxo {argv!r} raised:\n{trace}")
    assert result.exit_code in codes, (argv, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert_inert(result.stdout, result.stderr, allow_sgr=bool(env and env.get("FORCE_COLOR")))
    return result


# -- speed: the bundled catalogue's files never change, so parse them once ------------------------------------------

_PARSED: dict[tuple[str, str], object] = {}


@pytest.fixture
def bundled_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse each bundled file once per session (user files are parsed every time: they are what is generated)."""
    real = yamlfile.parse

    def parse(text: str, name: str) -> object:
        if not name.startswith("catalog" + os.sep):
            return real(text, name)
        key = (name, text)
        if key not in _PARSED:
            _PARSED[key] = real(text, name)
        return _PARSED[key]

    monkeypatch.setattr(yamlfile, "parse", parse)


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled_parsed_once) -> dict[str, str]:  # noqa: ARG001
    """An empty working folder, and catalogue paths argv may name: valid, evil, broken, missing, an empty folder."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    home = tmp_path / "home"  # `--install-completion` is among the options drawn: it writes the shell's rc file
    home.mkdir()
    for variable in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "ZDOTDIR"):
        monkeypatch.setenv(variable, str(home))
    for name, value in example_files(work).items():  # model files and a Hugging Face cache `inspect` can read
        monkeypatch.setenv(name, value)
    (tmp_path / "empty").mkdir()
    return {
        "user": str(DATA / "user" / "my-models.yaml"),
        "evil": str(evil_catalogue(tmp_path)),
        "broken": str(broken_evil_catalogue(tmp_path)),
        "missing": str(tmp_path / "missing.yaml"),
        "empty": str(tmp_path / "empty"),
        "work": str(work),
    }


# -- argv ------------------------------------------------------------------------------------------------------------

def _vocabulary() -> tuple[list[str], list[str]]:
    """Every command and option name taxo has (new commands join the generated input by themselves)."""
    from typer.main import get_command

    group = get_command(app)
    options = {"--help", "-h"}
    for command in (group, *group.commands.values()):
        options.update(n for p in command.params if p.param_type_name == "option" for n in [*p.opts, *p.secondary_opts])
    return sorted(group.commands), sorted(options)


COMMANDS, _OPTIONS = _vocabulary()
COMMANDS = [*COMMANDS, "help", "lst"]
OPTIONS = [*_OPTIONS, "--", "-", "--format=json", "-fjson", "--depth=0", "-d9", "--limit=-1", "--params=..", "--since=x"]
VALUES = [
    "json", "table", "plain", "markdown", "auto", "yaml", "JSON", "0", "1", "3", "4", "-1", "99999999999999999999",
    "phi-2", "Mistral 7B", "mistral7b", "llama-3", "llm", "slm", "foundation", "gpt-4", "gtp-4", "newcomer",
    "technical", "all", "", " ", "evil-chat", "evil-base", "evil-fam", "evilterm", "acme-tiny-chat", "llama 3 family",
    "csv", "params", "context", "quarter", "year", "org", "category", "1B..10B", "..7B", "10B..", "2024", "2023-06",
    "meta", "open", "image", "name", "released", "mistral-7b-v0.1.Q4_K_M.gguf", "Mistral-7B-v0.1",
    "mistralai/Mistral-7B-v0.1",
]  # fmt: skip
HOSTILE_PIECES = [
    "[bold]", "[/x]", "[/]", "[link=http://x]", "\x1b[2J", "\x1b]8;;http://x\x1b\\", "\x1b]52;c;aGk=\x07", "\x9b31m",
    "\u202e", "\u2066", "\u200b", "\ufeff", "\r", "\x08", "\x7f", "\udcff", "%s", "{0}", "{name.__class__}", "'",
    '"', "\\", "\n", "\t", "é", "中", "🙂", "\U000e0041",
]  # fmt: skip
# Real argv cannot hold NUL; lone surrogates are how undecodable bytes arrive.
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(st.characters(blacklist_characters="\x00"), max_size=8)),
    max_size=4,
).map("".join)
token = st.one_of(st.sampled_from(COMMANDS), st.sampled_from(OPTIONS), st.sampled_from(VALUES), hostile_text)
option_pair = st.tuples(st.sampled_from(OPTIONS), st.sampled_from(VALUES) | hostile_text).map(list)
well_formed = st.tuples(
    st.lists(st.sampled_from([["--debug"], ["--catalog", "x"]]), max_size=2).map(lambda parts: sum(parts, [])),
    st.sampled_from(COMMANDS).map(lambda name: [name]),
    st.lists(st.sampled_from(VALUES).map(lambda v: [v]) | hostile_text.map(lambda v: [v]) | option_pair, max_size=4)
    .map(lambda parts: sum(parts, [])),
).map(lambda parts: [*parts[0], *parts[1], *parts[2]])
WORKING = [
    ["show", "evil-chat"], ["show", "evil-fam"], ["explain", "evilterm"], ["compare", "evil-base", "evil-chat"],
    ["compare", "evil-chat", "llm", "slm"], ["tree"], ["show", "llama-3"], ["compare", "llm", "slm", "foundation"],
    ["explain", "foundation", "--level", "newcomer"], ["validate"], ["list"], ["search", "evil"],
    ["timeline", "--group", "org"], ["chart", "params", "--org", "evil-org"], ["myths", "evil-chat"],
    ["sources", "evil-chat"], ["inspect", "Mistral-7B-v0.1"], ["inspect", "--hf-cache"],
]  # fmt: skip
working = st.tuples(  # commands that succeed, drawn in every format, at every width: the renderers' turn
    st.sampled_from(WORKING), st.sampled_from([[], ["--format", "table"], ["--format", "plain"], ["--format", "json"]])
).map(lambda parts: ["--catalog", "evil", *parts[0], *parts[1]])
command_line = st.one_of(st.lists(token, max_size=8), well_formed, working)
catalog_choice = st.sampled_from(["user", "evil", "broken", "missing", "empty"])
environment = st.fixed_dictionaries(
    {},
    optional={
        "FORCE_COLOR": st.just("1"),
        "NO_COLOR": st.just("1"),
        "COLUMNS": st.sampled_from(["1", "5", "20", "40", "59", "60", "200", "abc", "-3", "0"]),
        "TERM": st.sampled_from(["dumb", "xterm-256color", "unknown"]),
    },
)


def safe_argv(tokens: list[str], catalogues: list[str], sandbox: dict[str, str]) -> list[str]:
    """Paths stay inside the sandbox: a --catalog value is one of its catalogues, and a token naming an existing
    path elsewhere (`/`, `..`) is swapped for a missing file, so no example walks the whole disk."""
    argv = []
    choices = iter(catalogues)
    for index, item in enumerate(tokens):
        if index and tokens[index - 1] == "--catalog":
            item = sandbox[item if item in ("user", "evil") else next(choices, "user")]
        elif item not in VALUES and item not in COMMANDS and os.path.lexists(item):
            if not os.path.realpath(item).startswith(os.path.dirname(sandbox["work"])):
                item = sandbox["missing"]
        argv.append(item)
    return argv


@settings(max_examples=budget(400))
@given(
    tokens=command_line,
    catalogues=st.lists(catalog_choice, max_size=3),
    env=environment,
    lead=st.sampled_from([[], ["--catalog", "evil"], ["--catalog", "user"]]),
)
@example(tokens=["show", "\x1b[2J"], catalogues=[], env={}, lead=[])
@example(tokens=["show", "evil-chat", "--format", "table"], catalogues=["evil"], env={"FORCE_COLOR": "1"}, lead=[])
@example(tokens=["compare", "evil-base", "evil-chat"], catalogues=["evil"], env={"COLUMNS": "1"}, lead=["--catalog", "evil"])
@example(tokens=["tree", "-d", "1"], catalogues=[], env={"COLUMNS": "5", "FORCE_COLOR": "1"}, lead=[])
def test_any_command_line(sandbox, tokens, catalogues, env, lead):
    argv = safe_argv([*lead, *tokens], catalogues, sandbox)
    invoke(argv, env)


# -- catalogue documents -----------------------------------------------------------------------------------------------

FIELDS = {
    "sources": ["id", "title", "url", "kind", "date"],
    "organizations": ["id", "name", "aliases", "url", "parent"],
    "families": ["id", "name", "organization", "description", "aliases", "sources"],
    "models": [
        "id", "name", "organization", "family", "aliases", "description", "released", "parameters",
        "active_parameters", "architecture", "architecture_notes", "modalities", "context_length", "training_tokens",
        "knowledge_cutoff", "weights", "license", "stage", "base_model", "lineage_note", "broad_pretraining",
        "classification", "sources", "hf_repos", "api_ids",
    ],
    "terms": [
        "id", "kind", "name", "aliases", "summary", "parent", "analogy", "plain", "technical", "technical_sources",
        "characteristics", "axes", "relations", "sources",
    ],
    "axes": ["id", "label"],
    "rules": ["id", "category", "when", "because", "sources"],
    "thresholds": ["id", "parameters", "label", "note", "sources"],
    "myths": ["id", "claim", "correction", "about", "sources"],
    "licenses": ["id", "name", "aliases", "terms", "summary", "url", "sources"],
    "conditions": ["id", "why_not", "unknown"],
    "stages": ["id", "label", "term"],
}  # fmt: skip
INNER_KEYS = [
    "value", "status", "method", "estimate_by", "note", "sources", "alternatives", "date", "input", "output",
    "category", "include", "judgement", "by", "relation", "term", "text", "broad_pretraining", "input_any",
    "parameters_at_least", "parameters_below", "stage", "architecture_excludes", "why_not", "unknown",
]  # fmt: skip
WORDS = [
    "gen-a", "gen-b", "gen-fam", "gen-org", "gen-src", "gen-term", "mistral-7b", "llama-3", "phi-2", "llm", "slm",
    "foundation", "chat", "mistral-ai", "open", "gated", "api", "base", "instruct", "chat", "official", "derived",
    "estimate", "undisclosed", "text", "image", "audio", "code", "embedding", "paper", "model-card", "concept",
    "category", "2024-01-15", "2024-02", "2024-13-45", "https://example.org/x", "{name} {parameters}", "{name.upper}",
    "{parameters:>999999999}", "{", "}", "{0}", "small", "llm-size-line",
]  # fmt: skip
text = st.one_of(st.sampled_from(WORDS), hostile_text.filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)))
scalar = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), text, st.sampled_from([0, 1, 7_000_000_000])
)
value = st.recursive(
    scalar,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(INNER_KEYS) | text, children, max_size=5),
    max_leaves=12,
)


def record(section: str) -> st.SearchStrategy[dict]:
    """A record of a section: any subset of its fields, mostly sensible values, sometimes anything at all."""
    ids = st.sampled_from(["gen-a", "gen-b", "gen-fam", "gen-org", "gen-src", "gen-term", "mistral-7b"]) | text
    fields = {name: (ids if name == "id" else st.one_of(value, st.sampled_from(WORDS))) for name in FIELDS[section]}
    return st.fixed_dictionaries({}, optional={**fields, "unknown_field": value})


def near_valid_model() -> st.SearchStrategy[dict]:
    """A model that loads unless a field is replaced: how random text reaches the renderers."""
    model = {
        "id": "gen-a", "name": "Gen A", "organization": "mistral-ai", "family": "mistral",
        "description": "A generated model.", "released": {"date": "2025-01-15", "sources": ["gen-src"]},
        "parameters": {"value": 7_000_000_000, "status": "official", "sources": ["gen-src"]},
        "architecture": "decoder-only transformer", "modalities": {"input": ["text"], "output": ["text"]},
        "weights": "open", "license": "Apache-2.0", "stage": "chat", "base_model": "mistral-7b",
        "sources": ["gen-src"],
    }  # fmt: skip
    changes = st.dictionaries(st.sampled_from(FIELDS["models"]), st.one_of(text, value), max_size=1)
    free_text = st.dictionaries(st.sampled_from(["name", "description", "architecture", "license", "lineage_note"]),
                                hostile_text.filter(lambda s: s.strip() and not any(0xD800 <= ord(c) <= 0xDFFF for c in s)),
                                max_size=3)  # fmt: skip
    # the extremes the loader must bound or the renderers must survive (issue 20): huge counts, any date from
    # 0001 to 9999, names in any script (or none at all)
    names = st.text(st.characters(categories=["Lu", "Ll", "Lo", "Nd", "No", "Mn", "Pd", "Po", "Zs"]), min_size=1,
                    max_size=12)  # fmt: skip
    extremes = st.one_of(
        st.integers(1, 10**40).map(lambda v: {"parameters": {"value": v, "status": "official", "sources": ["gen-src"]}}),
        st.integers(1, 10**40).map(lambda v: {"context_length": {"value": v, "status": "official", "sources": ["gen-src"]}}),
        st.dates().map(lambda d: {"released": {"date": f"{d.year:04d}-{d.month:02d}-{d.day:02d}", "sources": ["gen-src"]}}),
        names.map(lambda n: {"name": n}),
        names.map(lambda n: {"aliases": [n]}),
    )
    changes = st.one_of(changes, free_text, extremes)
    return changes.map(lambda changed: {**model, **changed})


def lineage_chain(length: int) -> dict:
    """A valid catalogue of one fine-tuning chain `length` models long (the loader bounds lineage depth)."""
    models = [
        {"id": f"gen-{n}", "name": f"Gen {n}", "organization": "mistral-ai", "architecture": "decoder-only transformer",
         "modalities": {"input": ["text"], "output": ["text"]}, "weights": "open", "stage": "base" if n == 0 else "chat",
         "base_model": f"gen-{n - 1}" if n else None, "sources": ["gen-src"]}
        for n in range(length)
    ]  # fmt: skip
    return {"sources": [SOURCE], "models": models}


SOURCE = {"id": "gen-src", "title": "Generated", "url": "https://example.org/gen", "kind": "paper"}
near_valid_document = st.fixed_dictionaries(
    {"sources": st.just([SOURCE]), "models": st.lists(near_valid_model(), min_size=1, max_size=2, unique_by=lambda m: repr(m["id"]))}
)
document = st.one_of(
    st.fixed_dictionaries({}, optional={section: st.lists(record(section), max_size=3) | value for section in FIELDS}),
    near_valid_document,  # twice: half the documents are near-valid, so random text reaches every renderer
    near_valid_document,
    st.integers(1, 130).map(lineage_chain),
    st.fixed_dictionaries(
        {"sources": st.just([SOURCE]), "models": st.lists(near_valid_model(), min_size=1, max_size=1)},
        optional={"myths": st.lists(record("myths"), max_size=1), "families": st.lists(record("families"), max_size=1)},
    ),
    value,
)


def commands_for(doc: object, path: str) -> list[list[str]]:
    """The commands that show what the document defines (its models, families, terms), in several formats."""
    ids = ["gen-a"]
    if isinstance(doc, dict):
        for section in ("models", "families", "terms"):
            records = doc.get(section)
            if isinstance(records, list):
                ids.extend(str(r["id"]) for r in records if isinstance(r, dict) and "id" in r)
    first = ids[-1]
    return [
        ["--catalog", path, "show", first, "--format", "json"],
        ["--catalog", path, "compare", first, "mistral-7b"],
        ["--catalog", path, "explain", first],
        ["--catalog", path, "myths", first],
        ["--catalog", path, "tree", "--format", "plain"],
        ["--catalog", path, "list", "--org", "mistral-ai", "--format", "table"],
        ["--catalog", path, "search", first],
        ["--catalog", path, "timeline", "--group", "org", "--format", "plain"],
        ["--catalog", path, "timeline", "--by", "quarter", "--format", "plain"],
        ["--catalog", path, "chart", "params", "--org", "mistral-ai"],
    ]


@settings(max_examples=budget(200))
@given(doc=document, colour=st.booleans())
def test_any_catalogue_document(sandbox, doc, colour):
    path = Path(sandbox["work"]).parent / "generated.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {"FORCE_COLOR": "1"} if colour else None
    valid = invoke(["validate", str(path), "--format", "json"], env).exit_code == 0
    event(f"validate: exit {0 if valid else 4}")
    if not valid:  # every other command refuses the same file the same way: one is checked
        invoke(["--catalog", str(path), "show", "phi-2"], env, codes=frozenset({4}))
        return
    for argv in commands_for(doc, str(path)):
        invoke(argv, env)


@settings(max_examples=budget(150))
@given(content=st.binary(max_size=2000))
@example(content=b"")
@example(content=b"\xef\xbb\xbf")
@example(content=b"models:\n- id: x\n  name: \xff\n")
@example(content=b"&a [*a]")
@example(content=b"%YAML 1.1\n---\nx: 1\n")
@example(content=b"!!python/object/new:os.system [ls]")
def test_any_bytes(sandbox, content):
    path = Path(sandbox["work"]).parent / "generated.yaml"
    path.write_bytes(content)
    if invoke(["validate", str(path)], codes=frozenset({0, 4})).exit_code == 0:
        invoke(["--catalog", str(path), "show", "phi-2"], codes=frozenset({0}))


YAML_SYNTAX = list(":-[]{}&*!|>'\"%@`#,?\n \t\\") + ["<<: *a", "&a ", "*a", "!!str ", "---\n", "...\n", "\x1b[2J"]
USER_TEXT = (DATA / "user" / "my-models.yaml").read_text(encoding="utf-8")


@settings(max_examples=budget(150))
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(USER_TEXT)), st.integers(0, 8), st.lists(st.sampled_from(YAML_SYNTAX) | text, max_size=3).map("".join)),
        min_size=1,
        max_size=4,
    )
)
def test_any_edit_of_a_real_catalogue_file(sandbox, edits):
    """The user's real file, with a few characters deleted and syntax or text inserted here and there."""
    content = USER_TEXT
    for position, deleted, inserted in edits:
        position = min(position, len(content))
        content = content[:position] + inserted + content[position + deleted :]
    path = Path(sandbox["work"]).parent / "edited.yaml"
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    if invoke(["validate", str(path)], codes=frozenset({0, 4})).exit_code == 0:
        invoke(["--catalog", str(path), "show", "acme-tiny-chat"], codes=frozenset({0, 3}))


def test_the_generated_checks_can_fail(sandbox):
    """A raw control character on stdout is caught by the same check the generated tests use."""
    with pytest.raises(AssertionError, match="raw control"):
        assert_inert("fine\x1b[2J")
    assert invoke(["--catalog", sandbox["evil"], "show", "evil-chat"]).stdout.count("[/x]") >= 1
    with pytest.raises(CatalogError):
        catalog.load([Path(sandbox["broken"])])
    assert EVIL  # the strings the generated input draws from include the named attacks


# -- the filesystem fails: every OSError while reading is a clear message naming the path (issue 20) ------------------

_ERRNOS = [errno.EIO, errno.EINVAL, errno.EOPNOTSUPP, errno.EACCES, errno.ENAMETOOLONG, errno.ELOOP, errno.ENOTDIR,
           errno.ESTALE, errno.ENXIO]  # fmt: skip
_CALLS = ["open", "read", "scandir", "stat"]


class Faults:
    """Makes one kind of system call fail with one errno, for paths under `root` only (a failing disk, NFS, FUSE)."""

    def __init__(self, root: Path, call: str, number: int) -> None:
        self.root, self.call, self.number = os.fspath(root), call, number
        self.descriptors: set[int] = set()
        self.hits = 0

    def mine(self, path: object) -> bool:
        try:
            return os.fspath(path).startswith(self.root)
        except TypeError:
            return isinstance(path, int) and path in self.descriptors

    def fail(self, path: object = None) -> None:
        self.hits += 1
        raise OSError(self.number, os.strerror(self.number), *([os.fspath(path)] if path is not None else []))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_open, real_read, real_scandir, real_stat, real_fdopen = os.open, os.read, os.scandir, os.stat, os.fdopen

        def fake_open(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            if self.call == "open" and self.mine(path):
                self.fail(path)
            descriptor = real_open(path, *args, **kwargs)
            if self.mine(path):
                self.descriptors.add(descriptor)
            return descriptor

        def fake_read(descriptor, *args):  # noqa: ANN001, ANN002, ANN202
            if self.call == "read" and descriptor in self.descriptors:
                self.fail()
            return real_read(descriptor, *args)

        def fake_fdopen(descriptor, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            file = real_fdopen(descriptor, *args, **kwargs)
            if self.call == "read" and descriptor in self.descriptors:
                failing = self

                class Failing:
                    def __getattr__(self, name: str):  # noqa: ANN204
                        if name in ("read", "readinto", "readline", "readlines", "seek"):
                            return lambda *a, **k: failing.fail()
                        return getattr(file, name)

                    def __enter__(self):  # noqa: ANN204
                        return self

                    def __exit__(self, *exc: object) -> None:
                        file.close()

                return Failing()
            return file

        def fake_scandir(path=".", *args):  # noqa: ANN001, ANN002, ANN202
            if self.call == "scandir" and self.mine(path):
                self.fail(path)
            return real_scandir(path, *args)

        def fake_stat(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            if self.call == "stat" and self.mine(path):
                self.fail(path)
            return real_stat(path, *args, **kwargs)

        for name, fake in (("open", fake_open), ("read", fake_read), ("fdopen", fake_fdopen),
                           ("scandir", fake_scandir), ("stat", fake_stat)):  # fmt: skip
            monkeypatch.setattr(os, name, fake)


def _fault_commands(folder: Path) -> list[list[str]]:
    return [
        ["--catalog", str(folder / "my-models.yaml"), "show", "acme-tiny-chat"],
        ["validate", str(folder)],
        ["inspect", str(folder / "Mistral-7B-v0.1")],
        ["inspect", str(folder / "mistral-7b-v0.1.Q4_K_M.gguf")],
        ["inspect", "--hf-cache"],
        ["inspect", str(folder / ("n" * 300))],
    ]


@settings(max_examples=budget(60))
@given(call=st.sampled_from(_CALLS), number=st.sampled_from(_ERRNOS), which=st.integers(0, 5))
@example(call="read", number=errno.EIO, which=2)  # an EIO while reading a model file is a read error, not "cannot write"
@example(call="scandir", number=errno.EIO, which=4)  # one unreadable cache folder: that model's problem
def test_a_failing_filesystem_is_a_message_never_a_traceback(sandbox, monkeypatch, call, number, which):
    work = Path(sandbox["work"])
    argv = _fault_commands(work)[which]
    faults = Faults(work.parent, call, number)
    monkeypatch.setenv("TAXO_NO_CACHE", "1")
    with monkeypatch.context() as patched:
        faults.install(patched)
        result = invoke(argv, env={"TAXO_NO_CACHE": "1"}, codes=frozenset({0, 3, 4}))
    event(f"{call} failed {faults.hits} times")
    assert "cannot write the output" not in result.stderr
    if faults.hits and result.exit_code:
        assert result.stderr.startswith("taxo: error: ") or result.stderr.startswith("taxo: note: ")
        assert os.strerror(number) in result.stderr or "no such file" in result.stderr, result.stderr


def test_the_fault_layer_makes_reads_fail(sandbox, monkeypatch):
    """The layer above injects what it says: a model file whose reads fail with EIO is refused, naming it."""
    work = Path(sandbox["work"])
    with monkeypatch.context() as patched:
        Faults(work, "read", errno.EIO).install(patched)
        result = invoke(["inspect", str(work / "mistral-7b-v0.1.Q4_K_M.gguf")], codes=frozenset({4}))
    assert result.stderr == f"taxo: error: {work / 'mistral-7b-v0.1.Q4_K_M.gguf'}: cannot read: {os.strerror(errno.EIO)}\n"
