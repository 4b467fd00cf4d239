"""One run of taxo: what was asked for (catalogue paths, --debug) and what is found or loaded once for it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from taxonomy_cli.records import Catalog

T = TypeVar("T")


class Session:
    """The per-run state the CLI layer shares between the root options and the command: typed, unlike a context's
    `obj` dict, and built directly by tests. Nothing is read until asked for."""

    def __init__(self, paths: Sequence[str] = (), debug: bool = False) -> None:
        self.paths = tuple(paths)  # --catalog, in order given (TAXO_CATALOG is read with the bundled files)
        self.debug = debug
        self._files: list[Path] | None = None
        self._stamp: tuple | None = None
        self._catalog: Catalog | None = None

    def files(self) -> list[Path]:
        """The catalogue files: bundled, TAXO_CATALOG, --catalog; each once."""
        if self._files is None:
            from taxonomy_cli import catalog

            self._files = catalog.files(self.paths)
        return self._files

    def catalog(self) -> Catalog:
        """The merged catalogue of those files: for a large one, records read from its store as they are asked for;
        else from the compiled cache when it matches them."""
        if self._catalog is None:
            from taxonomy_cli import cache, queries, store

            files, stamped = self.files(), self.stamp()
            self._catalog = store.open_catalog(files, queries.INDEXES, stamped) or cache.load(files, stamped)
            queries.read_placements_with(self._catalog, lambda: self.derived("placements", queries.placements, dict))
        return self._catalog

    def derived(self, name: str, build: Callable[[Catalog], T], kind: type[T]) -> T:
        """What `build` computes from the catalogue: from the cache when it can be, without loading the catalogue."""
        from taxonomy_cli import cache

        return cache.derived(self.files(), name, lambda: build(self.catalog()), kind, self.stamp())

    def stamp(self) -> tuple:
        """The catalogue files' display names and cache key (cache.stamp), worked out once a run."""
        if self._stamp is None:
            from taxonomy_cli import cache

            self._stamp = cache.stamp(self.files())
        return self._stamp
