import io

import pytest

from accounts import bulk
from accounts.models import User
from students.apps import StudentsConfig

pytestmark = pytest.mark.django_db

STUDENT_HEADER = "username,email,first_name,last_name,grade"


def test_the_columns():
    assert ",".join(bulk.columns(StudentsConfig.role)) == STUDENT_HEADER


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("ada,ada@example.com,,,13", "line 2: grade: Select a valid choice. 13"),
        ("ada,ada@example.com,,,0", "line 2: grade: Select a valid choice. 0"),
        ("ada,ada@example.com,,,seven", "line 2: grade: Select a valid choice. seven"),
        ("ada,ada@example.com,,,", "line 2: grade: This field is required."),
    ],
)
def test_a_bad_grade_is_refused(row, expected):
    with pytest.raises(bulk.BadFile) as excinfo:
        bulk.users_import(
            role=StudentsConfig.role, file=io.StringIO(f"{STUDENT_HEADER}\n{row}\n", newline="")
        )

    errors = excinfo.value.errors
    assert len(errors) == 1 and errors[0].startswith(expected), errors
    assert not User.objects.exists()
