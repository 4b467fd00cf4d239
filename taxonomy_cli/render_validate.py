"""`taxo validate`: what a catalogue holds, or every problem found in it."""

from __future__ import annotations

from taxonomy_cli.document import View
from taxonomy_cli.records import Catalog


def validation_view(files: int, loaded: Catalog) -> View:
    """A valid catalogue: how much of each kind it holds."""
    summary = {
        "ok": True,
        "files": files,
        "models": len(loaded.models),
        "families": len(loaded.families),
        "organizations": len(loaded.organizations),
        "sources": len(loaded.sources),
        "myths": len(loaded.myths),
        "problems": [],
    }
    text = (
        f"ok: {files} files, {summary['models']} models, {summary['families']} families, "
        f"{summary['organizations']} organizations, {summary['sources']} sources, {summary['myths']} myths\n"
    )
    return View(lambda: summary, text=lambda: text)


def problems_view(files: int, problems: tuple[str, ...]) -> View:
    """An invalid catalogue, for JSON (people read the problems on stderr, one line each)."""
    return View(lambda: {"ok": False, "files": files, "problems": list(problems)})
