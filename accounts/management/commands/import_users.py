import io
import os
from pathlib import Path
from typing import TextIO

from accounts import bulk, roles
from accounts.management.base import BadInput, ImportCommand


class Command(ImportCommand):
    @property
    def help(self) -> str:
        fields = "; ".join(
            f"{', '.join(config.profile_fields)} for a {config.role_name}"
            for config in roles.registered()
        )
        return (
            "Create or update accounts of one role from a CSV file: all rows or none. The "
            "header row names the columns username,email,first_name,last_name and the role's "
            f"profile fields ({fields}), optionally is_active (true/false, yes/no, 1/0) and "
            "password_hash (a Django password hash). Accounts without a hash have no usable "
            "password until their owner sets one through password reset, unless "
            "--one-time-passwords gives them one. Prints what it did (or, with --dry-run, "
            "would do): create N, update M, unchanged K. Every bad line is reported as "
            "'line N: reason' and the command exits with 1, writing nothing."
        )

    def add_arguments(self, parser):
        self.add_role_argument(parser)
        self.add_file_arguments(parser)
        parser.add_argument(
            "--mode",
            choices=bulk.Mode.values,
            default=bulk.Mode.CREATE,
            help=(
                "create (the default): every row is a new account; update: every row names "
                "an existing account of the role by username (any case) and its other "
                "columns replace the stored ones; upsert: creates the new ones, updates the "
                "others. Rows identical to their account are left alone."
            ),
        )
        parser.add_argument(
            "--one-time-passwords",
            type=Path,
            metavar="OUT.csv",
            help=(
                "Give every created account a one-time password (to be changed at the "
                "first login) and write username,password to this new file, readable by "
                "you only (mode 0600). An existing file is never overwritten. With "
                "--dry-run, only checked."
            ),
        )

    def handle(
        self, *, role, file, mode, dry_run, encoding, one_time_passwords, verbosity, **options
    ):
        out = self.open_passwords(one_time_passwords, dry_run=dry_run)
        # A dry run counts the passwords it would give, and writes none.
        counting = io.StringIO() if dry_run and one_time_passwords else None

        def run(handle: TextIO, progress: bulk.Progress) -> bulk.ImportResult:
            try:
                return bulk.users_import(
                    role=role,
                    file=handle,
                    mode=mode,
                    dry_run=dry_run,
                    progress=progress,
                    passwords=out or counting,
                )
            except bulk.BadFile as error:
                if dry_run and error.result is not None:
                    self.stdout.write(self.summary(error.result, dry_run=True, bad=True))
                raise

        try:
            result = self.import_file(file, encoding=encoding, verbosity=verbosity, run=run)
        except BaseException:
            if out is not None:
                out.close()
                one_time_passwords.unlink()  # ours, and empty: the next run may make it
            raise
        if out is not None:
            out.close()
        if verbosity > 0:
            self.stdout.write(self.summary(result, dry_run=dry_run))
            if one_time_passwords is not None:
                self.stdout.write(self.passwords_note(result, one_time_passwords, dry_run=dry_run))

    def open_passwords(self, path: Path | None, *, dry_run: bool) -> TextIO | None:
        """Create the one-time passwords file, for its owner only; None for a dry run."""
        if path is None:
            return None
        refusal = f"{path}: exists; not overwritten (it may hold passwords). Nothing imported."
        if dry_run:
            if path.exists():
                raise BadInput(refusal)
            return None
        try:
            # Never an existing file (nor one a link points to): it may hold earlier passwords.
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            raise BadInput(refusal) from None
        except OSError as exc:
            raise BadInput(f"{path}: {exc.strerror}. Nothing imported.") from None
        return os.fdopen(fd, "w", encoding="utf-8", newline="")

    def summary(self, result: bulk.ImportResult, *, dry_run: bool, bad: bool = False) -> str:
        if dry_run:
            good = " (the good rows)" if bad else ""
            return f"Dry run: would {result.counts()}{good}; nothing written."
        return self.style.SUCCESS(f"Imported: {result.counts()}.")

    def passwords_note(self, result: bulk.ImportResult, path: Path, *, dry_run: bool) -> str:
        if dry_run:
            return f"Would write {result.passwords} one-time passwords to {path}."
        return (
            f"Wrote {result.passwords} one-time passwords to {path} (readable by you only): "
            "hand them out, then delete the file."
        )
