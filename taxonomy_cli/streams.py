"""The standard streams of one run: made safe to write to (closed, full, narrow, non-UTF-8), asked whether they are
terminals and how wide, and the one way a note reaches stderr."""

from __future__ import annotations

import sys
from typing import IO

from taxonomy_cli.safety import _ERROR_HANDLER, _stand_in, inert_line

MAX_COLUMNS = 1000  # wider terminals are drawn 1000 columns wide: bounded time and memory


def prepare_streams() -> None:
    """Make stdout and stderr write ASCII stand-ins for whatever their encoding cannot carry, never raise.

    Also covers lone surrogates (undecodable bytes in arguments), which even a UTF-8 stream refuses."""
    import codecs

    try:
        codecs.lookup_error(_ERROR_HANDLER)
    except LookupError:
        codecs.register_error(_ERROR_HANDLER, _stand_in)
    import os

    if sys.stdout is None:  # started with stdout closed (`taxo show x >&-`): output fails as a full disk would
        sys.stdout = _ClosedOutput()
    if sys.stderr is None:  # started with stderr closed: messages go nowhere, exit codes still tell
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors=_ERROR_HANDLER)
        except (AttributeError, ValueError, OSError):
            pass  # not a text stream we can configure (a test's capture, a closed stream)
    if not isinstance(sys.stderr, _Messages):
        sys.stderr = _Messages(sys.stderr)
    if os.environ.get("FORCE_COLOR", "").strip().lower() in ("0", "false", "no", "off"):
        del os.environ["FORCE_COLOR"]  # 'FORCE_COLOR=0' asks for no forcing (rich would force on any value)


class _ClosedOutput:
    """stdout when the process started without one: every write fails like a write to a closed descriptor."""

    encoding = "utf-8"

    def write(self, _text: str) -> int:
        import errno

        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Messages:
    """stderr that never raises: a message that cannot be written (2>/dev/full, a closed pipe) is dropped, so the
    exit code still tells what happened (a full stderr used to turn 'not found' into exit 1 or 120)."""

    def __init__(self, stream) -> None:  # noqa: ANN001
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str):  # noqa: ANN204 - isatty, fileno, encoding ... of the real stream
        return getattr(self._stream, name)


def can_show(stream: IO[str], text: str = "≠•→─") -> bool:
    """Whether the stream's encoding carries `text` (by default: the symbols taxo draws)."""
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def silence_stdout() -> None:
    """After a closed pipe (`taxo ... | head -1`): send what is left to /dev/null, so exiting flushes quietly."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, ValueError, OSError):
        pass  # not a real file (a test's capture): nothing will be flushed to a closed pipe


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _is_terminal(stream) -> bool:  # noqa: ANN001
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        return False


def note(message: str) -> None:
    """A diagnostic beside the data (what was left out, what was cut): stderr, so stdout stays clean."""
    text = f"taxo: note: {inert_line(message)}"
    if _is_terminal(sys.stderr) and len(text) > width():  # a narrow terminal: wrapped, not cut mid-word by it
        import textwrap  # lazy: only long notes on a terminal need it

        text = textwrap.fill(text, width(), subsequent_indent="  ", break_on_hyphens=False)
    sys.stderr.write(text + "\n")


def width() -> int:
    """Columns to lay a picture out in: COLUMNS, else the terminal's, else 80 (also when piped)."""
    import shutil

    return min(MAX_COLUMNS, max(20, shutil.get_terminal_size((80, 24)).columns))


def columns() -> int | None:
    """COLUMNS as rich may use it: None (rich asks the terminal) when unset or not a positive number, and at most
    MAX_COLUMNS (COLUMNS=0 drew nothing; COLUMNS=99999999 made a chart of gigabytes)."""
    import os

    value = os.environ.get("COLUMNS", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        del os.environ["COLUMNS"]  # so that neither rich nor shutil reads it
        return None
    return min(int(value), MAX_COLUMNS)


def resolve_format(chosen: str) -> str:
    """'auto' is a table on a terminal (or when colour is forced), plain text when piped; any other stays."""
    import os

    if chosen != "auto":
        return chosen
    return "table" if stdout_is_terminal() or os.environ.get("FORCE_COLOR") else "plain"

