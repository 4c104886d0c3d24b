import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from students.apps import StudentsConfig
from students.models import Student

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


def test_create_user_makes_a_student_without_email(monkeypatch, password):
    monkeypatch.setenv("SCHOOL_PASSWORD", password)

    call_command("create_user", *ARGS[:4], "--grade", "3", "--no-input", stdout=io.StringIO())

    assert Student.objects.get(username="ada").email == ""
