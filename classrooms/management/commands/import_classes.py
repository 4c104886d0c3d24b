import sys
from functools import partial
from pathlib import Path

from tqdm import tqdm

from accounts.bulk import BadFile
from accounts.management.base import BadInput, OperatorCommand
from classrooms import bulk


class Command(OperatorCommand):
    help = (
        "Create classes and enroll students from a CSV file: all rows or none. The header "
        "row names the columns class_name,subject,teacher_username,student_username; each "
        "row enrolls one student, and a row with an empty student_username makes the class "
        "alone. A class is found by its teacher and its name, in any case, or created with "
        "a new join code; an existing class keeps its subject unless it has none, and an "
        "archived class is refused. Students already enrolled are counted, not repeated, so "
        "importing a file twice changes nothing. Every bad line is reported as 'line N: "
        "reason' and the command exits with 1, writing nothing."
    )

    def add_arguments(self, parser):
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

    def handle(self, *, file, dry_run, verbosity, **options):
        if file.suffix.lower() != ".csv":
            raise BadInput(f"{file}: not a CSV file (expected a .csv file).")
        show_progress = verbosity > 0 and sys.stderr.isatty()
        progress = partial(tqdm, file=sys.stderr, disable=not show_progress, leave=False)
        try:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                result = bulk.classes_import(file=handle, dry_run=dry_run, progress=progress)
        except OSError as exc:
            raise BadInput(f"{file}: {exc.strerror}.") from None
        except BadFile as exc:
            raise BadInput(f"{file}: nothing imported.\n" + "\n".join(exc.errors)) from None
        if verbosity > 0:
            self.stdout.write(self.report(result, dry_run=dry_run))

    def report(self, result: bulk.ImportResult, *, dry_run: bool) -> str:
        counts = (
            f"{result.classes_created} classes created ({result.classes_found} already there), "
            f"{result.enrollments_added} enrollments added "
            f"({result.enrollments_already} already there)"
        )
        if result.subjects_set:
            counts += f", {result.subjects_set} subjects filled in"
        if dry_run:
            return f"{result.rows} rows are valid; would be: {counts}. Nothing written (dry run)."
        if not result.changes:
            return f"Nothing to do: {counts}."
        return self.style.SUCCESS(f"Imported {result.rows} rows: {counts}.")
