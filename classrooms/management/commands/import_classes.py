from accounts.management.base import ImportCommand
from classrooms import bulk


class Command(ImportCommand):
    help = (
        "Create classes and enroll students from a CSV file: all rows or none. The header "
        "row names the columns class_name,subject,teacher_username,student_username; each "
        "row enrolls one student, and a row with an empty student_username makes the class "
        "alone. A class is found by its teacher and its name, in any case, or created with "
        "a new join code; an existing class keeps its subject unless it has none, and an "
        "archived class is refused. Students already enrolled are counted, not repeated, so "
        "importing a file twice changes nothing. Every bad line is reported as 'line N: "
        "reason' and the command exits with 1, writing nothing. The file may be comma, "
        "semicolon or tab separated, in any encoding --encoding names."
    )

    def add_arguments(self, parser):
        self.add_file_arguments(parser)

    def handle(self, *, file, dry_run, encoding, verbosity, **options):
        result = self.import_file(
            file,
            encoding=encoding,
            verbosity=verbosity,
            run=lambda handle, progress: bulk.classes_import(
                file=handle, dry_run=dry_run, progress=progress
            ),
        )
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
