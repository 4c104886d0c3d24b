import sys
from functools import partial
from pathlib import Path

from tqdm import tqdm

from accounts import bulk, roles
from accounts.management.base import BadInput, OperatorCommand


class Command(OperatorCommand):
    @property
    def help(self) -> str:
        fields = "; ".join(
            f"{', '.join(config.profile_fields)} for a {config.role_name}"
            for config in roles.registered()
        )
        return (
            "Create accounts of one role from a CSV file: all rows or none. The header row "
            "names the columns username,email,first_name,last_name and the role's profile "
            f"fields ({fields}), optionally password_hash (a Django password hash). Accounts "
            "without a hash have no usable password until their owner sets one through "
            "password reset. Every bad line is reported as 'line N: reason' and the command "
            "exits with 1, writing nothing."
        )

    def add_arguments(self, parser):
        self.add_role_argument(parser)
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

    def handle(self, *, role, file, dry_run, verbosity, **options):
        if file.suffix.lower() != ".csv":
            raise BadInput(f"{file}: not a CSV file (expected a .csv file).")
        show_progress = verbosity > 0 and sys.stderr.isatty()
        progress = partial(tqdm, file=sys.stderr, disable=not show_progress, leave=False)
        try:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                count = bulk.users_import(
                    role=role, file=handle, dry_run=dry_run, progress=progress
                )
        except OSError as exc:
            raise BadInput(f"{file}: {exc.strerror}.") from None
        except bulk.BadFile as exc:
            raise BadInput(f"{file}: nothing imported.\n" + "\n".join(exc.errors)) from None
        if verbosity > 0:
            if dry_run:
                self.stdout.write(f"{count} {role} rows are valid; nothing written (dry run).")
            else:
                self.stdout.write(self.style.SUCCESS(f"Imported {count} {role} accounts."))
