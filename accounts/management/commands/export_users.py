import sys
from pathlib import Path

from accounts import bulk
from accounts.management.base import BadInput, OperatorCommand


class Command(OperatorCommand):
    help = (
        "Write the accounts of one role as CSV, in exactly the format import_users reads "
        "(username,email,first_name,last_name and the role's profile fields), ordered by id."
    )

    def add_arguments(self, parser):
        self.add_role_argument(parser)
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="Write to this file (UTF-8) instead of standard output.",
        )
        parser.add_argument(
            "--password-hash",
            action="store_true",
            help=(
                "Add a password_hash column so accounts keep their passwords when imported "
                "elsewhere. The file then holds secrets: store it like one."
            ),
        )

    def handle(self, *, role, output, password_hash, verbosity, **options):
        if output is None:
            count = bulk.users_export(role=role, file=self.stdout, password_hash=password_hash)
        else:
            try:
                with output.open("w", encoding="utf-8", newline="") as handle:
                    count = bulk.users_export(role=role, file=handle, password_hash=password_hash)
            except OSError as exc:
                raise BadInput(f"{output}: {exc.strerror}.") from None
        if verbosity > 0 and output is not None:
            sys.stderr.write(f"Exported {count} {role} accounts to {output}.\n")
