"""What the operator commands share: exit codes 0 (done), 1 (bad input), 2 (bad usage)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TextIO, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accounts import bulk, roles
from audit.context import operator

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
    def execute(self, *args, **options):
        # What the command writes is the operator's doing, in the audit trail.
        with operator(self.__module__.rpartition(".")[2]):
            return super().execute(*args, **options)

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
    """A command that reads a CSV file (FILE, --dry-run, --encoding): all rows or none."""

    # What a file may be called: spreadsheets save tab-separated text as .txt or .tsv.
    suffixes = (".csv", ".tsv", ".txt")

    def add_file_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            type=Path,
            help=(
                "The CSV file, as a spreadsheet saves it: comma, semicolon or tab separated "
                "(found from the header), any letter case and spacing in the header names; "
                "blank rows are skipped."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row, against the database too, say what would change, and "
            "write nothing.",
        )
        parser.add_argument(
            "--encoding",
            choices=bulk.ENCODINGS,
            default="utf-8",
            help=(
                "The file's text encoding (default utf-8). A byte order mark decides on its "
                "own (UTF-8 or UTF-16). Excel's plain 'CSV' on Windows is cp1252."
            ),
        )

    def import_file(
        self,
        file: Path,
        *,
        encoding: str = "utf-8",
        verbosity: int,
        run: Callable[[TextIO, bulk.Progress], T],
    ) -> T:
        """Read `file` and return `run(text, progress)`; a bad file or line is BadInput.

        The progress bar goes to stderr, on a terminal only: piped output stays clean.
        """
        if file.suffix.lower() not in self.suffixes:
            raise BadInput(f"{file}: not a CSV file (expected a .csv, .tsv or .txt file).")
        show_progress = verbosity > 0 and sys.stderr.isatty()
        progress = partial(tqdm, file=sys.stderr, disable=not show_progress, leave=False)
        try:
            text = bulk.decode(file.read_bytes(), encoding)
            return run(io.StringIO(text, newline=""), progress)
        except OSError as exc:
            raise BadInput(f"{file}: {exc.strerror}.") from None
        except bulk.BadEncoding as exc:
            hint = (
                "; a spreadsheet's plain CSV on Windows is cp1252: try --encoding cp1252"
                if encoding == "utf-8"
                else "; try another --encoding"
            )
            raise BadInput(f"{file}: nothing imported.\n{exc.errors[0]}{hint}.") from None
        except bulk.BadFile as exc:
            raise self.bad_file(file, exc) from None

    def bad_file(self, file: Path, error: bulk.BadFile) -> BadInput:
        return BadInput(f"{file}: nothing imported.\n" + "\n".join(error.errors))
