"""Exit codes and the exceptions lower layers raise for people to read."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented in the README; each one is tested."""

    OK = 0
    ERROR = 1  # unexpected failure
    USAGE = 2  # bad command line (unknown option, bad value)
    NOT_FOUND = 3  # no model, family or term of that name
    BAD_DATA = 4  # a catalogue or model file is malformed (or, for `check`, an article could not be read)
    FINDINGS = 5  # `taxo check` found claims at or above --fail-on
    INTERRUPTED = 130  # Ctrl-C


class TaxoError(Exception):
    """An error with a message a person can act on."""

    exit_code = ExitCode.ERROR


class UsageError(TaxoError):
    exit_code = ExitCode.USAGE


class NotFound(TaxoError):
    exit_code = ExitCode.NOT_FOUND


class CatalogError(TaxoError):
    """One or more problems in catalogue files, each naming file:line."""

    exit_code = ExitCode.BAD_DATA

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(problems))


class ModelFileError(TaxoError):
    """A model file (safetensors, GGUF, config.json...) that is truncated, malformed or hostile: `path: problem`."""

    exit_code = ExitCode.BAD_DATA
