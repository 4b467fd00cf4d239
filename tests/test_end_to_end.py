"""The installed `taxo` in a subprocess: what a user's shell sees."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TAXO = shutil.which("taxo")
pytestmark = pytest.mark.skipif(TAXO is None, reason="taxo is not installed (pip install .)")


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TAXO_")}
    full_env.update(env or {})
    return subprocess.run([TAXO, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60)


def test_piped_output_has_no_escape_codes(tmp_path):
    result = run("show", "mistral-7b", cwd=tmp_path)
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    assert "Mistral 7B" in result.stdout


def test_json_parses(tmp_path):
    result = run("show", "Mistral 7B", "--format", "json", cwd=tmp_path)
    assert json.loads(result.stdout)["id"] == "mistral-7b"


def test_head_closing_the_pipe_is_quiet(tmp_path):
    shell = f"'{TAXO}' show mistral-7b | head -1"
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.stdout == "Mistral 7B (mistral-7b)\n"
    assert result.stderr == ""


def test_help_and_version(tmp_path):
    assert run("--help", cwd=tmp_path).returncode == 0
    version = run("--version", cwd=tmp_path)
    assert "catalogue reviewed for releases up to" in version.stdout


def test_unknown_name_exit_code_and_stderr(tmp_path):
    result = run("show", "gtp-4", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stdout == ""
    assert "did you mean 'gpt-4'" in result.stderr


def test_installed_package_carries_its_catalogue(tmp_path):
    """Run from an empty folder: the catalogue must come from the installed package, not this checkout."""
    code = "import taxonomy_cli.catalog as c; print(c.bundled_dir())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    bundled = Path(result.stdout.strip())
    assert (bundled / "catalog.yaml").is_file()
    if ROOT not in bundled.parents:  # a regular (non-editable) install, as the README says
        assert bundled.parent.name == "taxonomy_cli"


def test_wheel_includes_the_catalogue(tmp_path):
    """The build puts catalog/ (at the repository's top level) inside the wheel."""
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("taxo-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "taxonomy_cli/catalog/catalog.yaml" in names
    assert "taxonomy_cli/catalog/models/mistral.yaml" in names
