"""The README's opening commands are what CI runs, so CI proves the README."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def opening_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_opens_with_install_and_test_commands():
    commands = opening_commands()
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && taxo ")
    assert "pytest" in commands[1]


def test_ci_runs_exactly_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert [line for line in ci if line.startswith("pip ")] == opening_commands()


def test_ci_runs_them_in_a_fresh_environment_then_again_with_the_lowest_declared_versions():
    """What this machine happens to have installed must never decide whether CI passes."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    first_pip = next(n for n, line in enumerate(ci) if line.startswith("pip "))
    assert any("-m venv" in line for line in ci[:first_pip]), "the README's commands run in a fresh venv"
    assert any("bin/activate" in line for line in ci[:first_pip])
    lowest = [n for n, line in enumerate(ci) if "--resolution lowest-direct" in line and not line.startswith("#")]
    assert lowest and lowest[0] > first_pip
    assert any(line.strip() == "pytest" for line in ci[lowest[0] :]), "the lowest versions run the tests too"
