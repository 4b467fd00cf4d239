"""The local Hugging Face cache: where it is and how it is laid out, found the way huggingface_hub finds it.

Layout: <cache>/models--ORG--NAME/{refs/main, snapshots/<revision>/<files>, blobs/}. Only read, never written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

MAX_REPOS = 10_000
_REVISION = re.compile(r"^[0-9A-Za-z._-]{1,128}$")
_REPO_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,95}(/[0-9A-Za-z._-]{1,96})?$")


def location(environ: Mapping[str, str] | None = None) -> Path:
    """HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE (older name), else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub,
    else ~/.cache/huggingface/hub (huggingface_hub.constants)."""
    env = os.environ if environ is None else environ

    def expand(value: str) -> Path:
        return Path(os.path.expanduser(os.path.expandvars(value)))

    for name in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if env.get(name):
            return expand(env[name])
    if env.get("HF_HOME"):
        return expand(env["HF_HOME"]) / "hub"
    cache_home = env.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
    return expand(cache_home) / "huggingface" / "hub"


def folder_name(repo: str) -> str:
    """'mistralai/Mistral-7B-v0.1' -> 'models--mistralai--Mistral-7B-v0.1'."""
    return "models--" + repo.replace("/", "--")


def repo_id(name: str) -> str | None:
    """'models--mistralai--Mistral-7B-v0.1' -> 'mistralai/Mistral-7B-v0.1'; None for datasets, spaces, others."""
    if not name.startswith("models--"):
        return None
    repo = name.removeprefix("models--").replace("--", "/", 1)
    return repo if _REPO_ID.match(repo) else None


def looks_like_repo_id(text: str) -> bool:
    return bool(_REPO_ID.match(text))


def repos(root: Path) -> tuple[tuple[str, Path], ...]:
    """(repository id, folder) of every model in the cache, sorted by id (case-insensitively): at most MAX_REPOS + 1
    of them, so that a caller can tell the listing was cut. A folder that cannot be listed is a ModelFileError; an
    entry that cannot be examined (a loop of links) is listed, and reading it names its problem."""
    from taxonomy_cli.errors import ModelFileError

    found: list[tuple[str, Path]] = []
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                repo = repo_id(entry.name)
                if not repo:
                    continue
                try:
                    folder = entry.is_dir()
                except OSError:
                    folder = True
                if folder:
                    found.append((repo, Path(entry.path)))
                    if len(found) > MAX_REPOS:
                        break
    except OSError as exc:
        raise ModelFileError(f"{root}: cannot read the Hugging Face cache: {exc.strerror or exc}") from None
    return tuple(sorted(found, key=lambda item: item[0].casefold()))


def find(repo: str, root: Path) -> Path | None:
    """The cache folder of a repository id, if it is cached."""
    if not looks_like_repo_id(repo):
        return None
    folder = root / folder_name(repo)
    return folder if folder.is_dir() else None


def snapshot(repo_folder: Path) -> tuple[Path, str] | None:
    """The snapshot `refs/main` points at, else the newest one: (folder, revision), or None when there is none."""
    snapshots = repo_folder / "snapshots"
    revision = _read_ref(repo_folder / "refs" / "main")
    if revision and (snapshots / revision).is_dir():
        return snapshots / revision, revision
    try:
        candidates = [p for p in snapshots.iterdir() if p.is_dir() and _REVISION.match(p.name)]
    except OSError:
        return None
    if not candidates:
        return None
    newest = max(candidates, key=lambda p: (p.stat().st_mtime, p.name))
    return newest, newest.name


def is_repo_folder(path: Path) -> bool:
    """A cache folder such as models--ORG--NAME (a user may point `inspect` at it)."""
    return repo_id(path.name) is not None and (path / "snapshots").is_dir()


def _read_ref(path: Path) -> str | None:
    from taxonomy_cli.errors import ModelFileError
    from taxonomy_cli.model_headers import read_small

    try:
        text = read_small(str(path), 256).decode("ascii", "replace").strip()
    except ModelFileError:
        return None
    return text if _REVISION.match(text) else None
