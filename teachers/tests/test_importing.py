import io

import pytest

from accounts import bulk
from accounts.models import User
from teachers.apps import TeachersConfig
from teachers.models import Teacher

pytestmark = pytest.mark.django_db

TEACHER_HEADER = "username,email,first_name,last_name,subject"


def run_import(text: str) -> int:
    return bulk.users_import(role=TeachersConfig.role, file=io.StringIO(text, newline=""))


def test_the_columns():
    assert ",".join(bulk.columns(TeachersConfig.role)) == TEACHER_HEADER


def test_import_teachers_uses_the_teacher_columns():
    run_import(f"{TEACHER_HEADER}\ngrace,grace@example.com,Grace,Hopper,Navy\n")

    assert Teacher.objects.get(username="grace").teacher_profile.subject == "Navy"


def test_a_teacher_needs_a_subject():
    with pytest.raises(bulk.BadFile) as excinfo:
        run_import(f"{TEACHER_HEADER}\ngrace,g@example.com,,,\n")

    assert excinfo.value.errors == ["line 2: subject: This field is required."]
    assert not User.objects.exists()


def test_a_teacher_needs_an_email():
    with pytest.raises(bulk.BadFile) as excinfo:
        bulk.users_import(
            role=TeachersConfig.role,
            file=io.StringIO(f"{TEACHER_HEADER}\ngrace,,,,Computing\n", newline=""),
            mode=bulk.Mode.UPSERT,
        )

    assert excinfo.value.errors == ["line 2: email: This field is required."]
