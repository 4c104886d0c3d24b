"""What the operator commands share: exit codes 0 (done), 1 (bad input), 2 (bad usage)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import roles


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
