import argparse
import getpass

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.management.base import BadInput, OperatorCommand
from students import services
from students.models import validate_school_year


def school_year(value: str) -> str:
    """Return `value` if it is a school year (YYYY-YYYY); a usage error otherwise."""
    try:
        validate_school_year(value)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(f"{value!r}: {' '.join(exc.messages)}") from None
    return value


def operator() -> str:
    """Return the login of whoever runs the command on the server."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no USER variable and no password database entry
        return "unknown"


def students(count: int) -> str:
    return f"{count} student" if count == 1 else f"{count} students"


class Command(OperatorCommand):
    help = (
        "Start a new school year: every active student moves up one grade, and students in "
        "grade 12 leave school (deactivated; their grade, classes and enrollments stay). "
        "All or nothing, in one transaction, and recorded (the admin lists past rollovers); "
        "a school year already done is refused unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--school-year",
            required=True,
            type=school_year,
            metavar="YYYY-YYYY",
            help="The school year that starts, like 2026-2027.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count who would move up and who would leave; write nothing.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run again for a school year already done: every student moves up once more.",
        )

    def handle(self, *, school_year, dry_run, force, verbosity, **options):
        try:
            result = services.students_promote(
                school_year=school_year, ran_by=operator(), force=force, dry_run=dry_run
            )
        except services.AlreadyRolledOver as exc:
            done = exc.rollover
            raise BadInput(
                f"School year {school_year} was already rolled over on "
                f"{timezone.localtime(done.ran_at):%Y-%m-%d %H:%M %Z} by {done.ran_by} "
                f"(moved up: {students(done.moved_up)}; left school: {done.left_school}). "
                "Nothing changed. To move every active student up once more, run again "
                "with --force."
            ) from None
        if verbosity == 0:
            return
        if dry_run:
            self.stdout.write(
                f"Would move up: {students(result.moved_up)}; would leave school "
                f"(grade 12, deactivated): {result.left_school}. Dry run: nothing written."
            )
            return
        forced = " (forced: it had been done before)" if result.rollover.forced else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Moved up: {students(result.moved_up)}; left school (grade 12, deactivated): "
                f"{result.left_school}. Recorded as the rollover to {school_year}{forced}."
            )
        )
