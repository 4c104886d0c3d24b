"""What the operator commands share: exit codes 0 (done), 1 (bad input), 2 (bad usage)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TextIO, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accounts import bulk, roles

T = TypeVar("T")


class BadInput(CommandError):
    """The input is wrong (a bad file, a taken name); nothing was written."""

    def __init__(self, message: str):
        super().__init__(message, returncode=1)


class BadUsage(CommandError):
    """The command line is wrong: an unknown option, a missing or conflicting argument."""

    def __init__(self, message: str):
        super().__init__(message, returncode=2)


class UsageParser(CommandParser):
    def error(self, message):
        if self.called_from_command_line:
            super().error(message)  # argparse prints the usage and exits with 2
        # call_command(): Django would raise a plain CommandError, which exits with 1.
        raise BadUsage(f"Error: {message}")


class OperatorCommand(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # BaseCommand builds a CommandParser itself; give it our usage-error exit code.
        parser.__class__ = UsageParser
        return parser

    def add_role_argument(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--role",
            required=True,
            choices=[config.role for config in roles.registered()],
            help="The role of the accounts; it decides their profile fields.",
        )


class ImportCommand(OperatorCommand):
    """A command that reads a CSV file (FILE, --dry-run): all rows or none."""

    def add_file_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            type=Path,
            help="The CSV file, UTF-8 (a byte order mark and Windows line endings are fine).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row, against the database too, and write nothing.",
        )

    def import_file(
        self, file: Path, *, verbosity: int, run: Callable[[TextIO, bulk.Progress], T]
    ) -> T:
        """Open `file` and return `run(handle, progress)`; a bad file or line is BadInput.

        The progress bar goes to stderr, on a terminal only: piped output stays clean.
        """
        if file.suffix.lower() != ".csv":
            raise BadInput(f"{file}: not a CSV file (expected a .csv file).")
        show_progress = verbosity > 0 and sys.stderr.isatty()
        progress = partial(tqdm, file=sys.stderr, disable=not show_progress, leave=False)
        try:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                return run(handle, progress)
        except OSError as exc:
            raise BadInput(f"{file}: {exc.strerror}.") from None
        except bulk.BadFile as exc:
            raise BadInput(f"{file}: nothing imported.\n" + "\n".join(exc.errors)) from None
