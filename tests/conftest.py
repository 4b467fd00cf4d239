"""Shared test helpers: every test runs with the user's catalogue environment cleared."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from taxonomy_cli.cli import app

DATA = Path(__file__).parent / "data"

# Generated tests (test_generated.py): "ci" (the default) is a fixed, derandomized budget that runs in well under a
# minute; HYPOTHESIS_PROFILE=long tries 25 times as many random inputs, with a fresh seed each run.
_HYPOTHESIS = {
    "deadline": None,  # no timed asserts: a slow example is not a failure
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("ci", derandomize=True, database=None, **_HYPOTHESIS)
settings.register_profile("long", **_HYPOTHESIS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def _tests_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One catalogue cache folder for the whole run: never the user's. Parsing the bundled YAML once, not once per
    test, keeps the suite fast; test_cache.py gives each of its tests an empty folder of its own."""
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, _tests_cache: str) -> None:
    for var in ("TAXO_CATALOG", "TAXO_DEBUG", "FORCE_COLOR", "NO_COLOR", "COLUMNS", "TAXO_NO_CACHE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", _tests_cache)


class Taxo:
    """Runs the app in-process and returns typer's Result (stdout, stderr and exit_code apart)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None):
        return self.runner.invoke(app, list(args), env=env)

    def json(self, *args: str, env: dict[str, str] | None = None):
        result = self(*args, "--format", "json", env=env)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def taxo() -> Taxo:
    return Taxo()
