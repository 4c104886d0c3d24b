import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from teachers.apps import DEMO_SUBJECTS, TeachersConfig
from teachers.models import Teacher

pytestmark = pytest.mark.django_db


def command_error(*args, **options) -> CommandError:
    with pytest.raises(CommandError) as excinfo:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO(), **options)
    return excinfo.value


def test_create_user_refuses_a_grade_for_a_teacher(monkeypatch, password):
    monkeypatch.setenv("SCHOOL_PASSWORD", password)

    error = command_error(
        "create_user",
        "--role",
        TeachersConfig.role,
        "--username",
        "ada",
        "--email",
        "ada@example.com",
        "--grade",
        "3",
        "--subject",
        "Art",
        "--no-input",
    )

    assert error.returncode == 2 and "--grade does not apply to a teacher." in str(error)
    assert not User.objects.exists()


def test_create_user_takes_the_subject(monkeypatch, password):
    answers = iter([password, password])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    call_command(
        "create_user",
        "--role",
        TeachersConfig.role,
        "--username",
        "grace",
        "--email",
        "g@example.com",
        "--subject",
        "Navy",
        stdout=io.StringIO(),
    )

    assert Teacher.objects.get().teacher_profile.subject == "Navy"


def test_seed_demo_gives_teachers_a_subject():
    call_command(
        "seed_demo", "--students", "0", "--teachers", "2", "--seed", "1", stdout=io.StringIO()
    )

    subjects = Teacher.objects.values_list("teacher_profile__subject", flat=True)
    assert len(subjects) == 2 and set(subjects) <= set(DEMO_SUBJECTS)


def test_create_user_needs_an_email_for_a_teacher(monkeypatch, password):
    monkeypatch.setenv("SCHOOL_PASSWORD", password)

    error = command_error(
        "create_user",
        *("--role", TeachersConfig.role, "--username", "grace", "--subject", "Art"),
        "--no-input",
    )

    assert error.returncode == 2 and "--email is required for a teacher." in str(error)
    assert not User.objects.exists()
