"""The `taxo` command line: parse options, ask a query, pick a renderer, emit. Nothing else.

The frame (app, error handling, shared options) is cli_base.py; importing the command modules registers them.
"""

from taxonomy_cli import commands_cards, commands_check, commands_explore  # noqa: F401 - registers the commands
from taxonomy_cli.cli_base import _complete_names, app  # noqa: F401 - the CLI's public face
from taxonomy_cli.errors import UsageError  # noqa: F401 - re-exported


def main() -> None:
    """Console-script entry point."""
    app(prog_name="taxo")


__all__ = ["app", "main", "UsageError"]
