import sys
from pathlib import Path

from accounts.management.base import BadInput, OperatorCommand
from classrooms import bulk


class Command(OperatorCommand):
    help = (
        "Write the active classes as CSV, in exactly the format import_classes reads "
        "(class_name,subject,teacher_username,student_username): one row per enrolled "
        "student, and one row without a student for a class that has none. Archived classes "
        "are left out (import_classes refuses them)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="Write to this file (UTF-8) instead of standard output.",
        )

    def handle(self, *, output, verbosity, **options):
        if output is None:
            count = bulk.classes_export(file=self.stdout)
        else:
            try:
                with output.open("w", encoding="utf-8", newline="") as handle:
                    count = bulk.classes_export(file=handle)
            except OSError as exc:
                raise BadInput(f"{output}: {exc.strerror}.") from None
        if verbosity > 0 and output is not None:
            sys.stderr.write(f"Exported {count} rows to {output}.\n")
