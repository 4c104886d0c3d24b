import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from classrooms.tests.factories import EnrollmentFactory
from students.apps import StudentsConfig
from students.models import SchoolYearRollover, Student, StudentProfile
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

STUDENT_HEADER = "username,email,first_name,last_name,grade"
ARGS = ("--role", StudentsConfig.role, "--username", "ada", "--email", "ada@example.com")


def command_error(*args, **options) -> CommandError:
    with pytest.raises(CommandError) as excinfo:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO(), **options)
    return excinfo.value


def test_import_names_every_bad_line_and_writes_nothing(tmp_path):
    path = tmp_path / "students.csv"
    path.write_text(
        f"{STUDENT_HEADER}\nada,ada@example.com,,,7\nbob,bob,,,7\nada,x@example.com,,,14\n",
        encoding="utf-8",
    )

    error = command_error("import_users", "--role", StudentsConfig.role, str(path))

    assert error.returncode == 1
    assert "line 3: email: Enter a valid email address." in str(error)
    assert "line 4: grade: Select a valid choice. 14" in str(error)
    assert "line 4: " in str(error) and "username ada repeats line 2" in str(error)
    assert not User.objects.exists()


def test_create_user_refuses_an_out_of_range_grade(monkeypatch, password):
    monkeypatch.setenv("SCHOOL_PASSWORD", password)

    error = command_error("create_user", *ARGS, "--grade", "13", "--no-input")

    assert error.returncode == 1 and "grade: Select a valid choice." in str(error)
    assert not User.objects.exists()


def test_create_user_needs_a_grade_for_a_student(monkeypatch, password):
    monkeypatch.setenv("SCHOOL_PASSWORD", password)

    error = command_error("create_user", *ARGS, "--no-input")

    assert error.returncode == 2 and "--grade is required for a student." in str(error)
    assert not User.objects.exists()


def test_seed_demo_gives_students_a_grade():
    call_command(
        "seed_demo", "--students", "6", "--teachers", "0", "--seed", "1", stdout=io.StringIO()
    )

    assert Student.objects.filter(student_profile__grade__range=(1, 12)).count() == 6


# promote_students


def promote(*args: str) -> str:
    stdout = io.StringIO()
    call_command("promote_students", *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def school_of(count: int) -> None:
    """Add `count` active students, in grades 1 to 12 in turn (bulk: no per-row queries)."""
    users = Student.objects.bulk_create(
        Student(username=f"pupil{n}", email=f"pupil{n}@example.com", role=StudentsConfig.role)
        for n in range(count)
    )
    StudentProfile.objects.bulk_create(
        StudentProfile(user=user, grade=n % 12 + 1) for n, user in enumerate(users)
    )


def test_promote_students_prints_the_counts_and_records_the_operator(monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "night-ops")
    StudentFactory(profile__grade=3)
    StudentFactory(profile__grade=7)
    leaver = StudentFactory(profile__grade=12)
    EnrollmentFactory(student=leaver)

    output = promote("--school-year", "2026-2027")

    assert "Moved up: 2 students; left school (grade 12, deactivated): 1." in output
    assert sorted(Student.objects.values_list("student_profile__grade", flat=True)) == [4, 8, 12]
    leaver.refresh_from_db()
    assert not leaver.is_active and leaver.enrollments.count() == 1
    rollover = SchoolYearRollover.objects.get()
    assert (rollover.school_year, rollover.ran_by) == ("2026-2027", "night-ops")
    assert (rollover.moved_up, rollover.left_school) == (2, 1)


def test_promote_students_dry_run_says_would_and_writes_nothing():
    StudentFactory(profile__grade=3)
    StudentFactory(profile__grade=12)

    output = promote("--school-year", "2026-2027", "--dry-run")

    assert "Would move up: 1 student; would leave school (grade 12, deactivated): 1." in output
    assert "nothing written" in output
    assert sorted(Student.objects.values_list("student_profile__grade", flat=True)) == [3, 12]
    assert Student.objects.filter(is_active=True).count() == 2
    assert not SchoolYearRollover.objects.exists()


def test_promote_students_refuses_a_school_year_already_done():
    student = StudentFactory(profile__grade=3)
    promote("--school-year", "2026-2027")

    error = command_error("promote_students", "--school-year", "2026-2027")

    assert error.returncode == 1
    assert "School year 2026-2027 was already rolled over on " in str(error)
    assert "Nothing changed." in str(error) and "--force" in str(error)
    student.refresh_from_db()
    assert student.student_profile.grade == 4
    assert SchoolYearRollover.objects.count() == 1


def test_promote_students_force_runs_again():
    student = StudentFactory(profile__grade=3)
    promote("--school-year", "2026-2027")

    output = promote("--school-year", "2026-2027", "--force")

    assert "Moved up: 1 student;" in output and "forced" in output
    student.refresh_from_db()
    assert student.student_profile.grade == 5
    assert list(SchoolYearRollover.objects.values_list("forced", flat=True)) == [True, False]


@pytest.mark.parametrize("year", ["2026", "2026-2028", "2027-2026", "2026-27", "next"])
def test_promote_students_refuses_a_malformed_school_year(year):
    StudentFactory(profile__grade=3)

    error = command_error("promote_students", "--school-year", year)

    assert error.returncode == 2 and "like 2026-2027" in str(error)
    assert not SchoolYearRollover.objects.exists()
    assert Student.objects.get().student_profile.grade == 3


def test_promote_students_needs_a_school_year():
    assert command_error("promote_students").returncode == 2


def test_promote_students_queries_do_not_grow_with_the_school():
    def queries_for(count: int) -> int:
        Student.objects.all().delete()
        SchoolYearRollover.objects.all().delete()
        school_of(count)
        with CaptureQueriesContext(connection) as queries:
            promote("--school-year", "2026-2027")
        return len(queries)

    small, large = queries_for(10), queries_for(1000)

    # A check, two UPDATEs, the record, its audit entry (and savepoints).
    assert small == large <= 7
    assert Student.objects.filter(is_active=False).count() == 1000 // 12


def test_create_user_makes_a_student_without_email(monkeypatch, password):
    monkeypatch.setenv("SCHOOL_PASSWORD", password)

    call_command("create_user", *ARGS[:4], "--grade", "3", "--no-input", stdout=io.StringIO())

    assert Student.objects.get(username="ada").email == ""
