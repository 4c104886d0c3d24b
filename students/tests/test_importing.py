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


@pytest.mark.parametrize("grade", ["7", "7.0", " 7.00 ", "+7"])
def test_a_whole_grade_as_a_spreadsheet_writes_it(grade):
    bulk.users_import(
        role=StudentsConfig.role,
        file=io.StringIO(f"{STUDENT_HEADER}\nada,ada@example.com,,,{grade}\n", newline=""),
    )

    assert User.objects.get().student_profile.grade == 7


@pytest.mark.parametrize("grade", ["7.5", "7,0", "1e1"])
def test_a_grade_that_is_not_whole_is_refused(grade):
    with pytest.raises(bulk.BadFile) as excinfo:
        bulk.users_import(
            role=StudentsConfig.role,
            file=io.StringIO(f'{STUDENT_HEADER}\nada,ada@example.com,,,"{grade}"\n', newline=""),
        )

    assert excinfo.value.errors[0].startswith("line 2: grade: Select a valid choice.")


def test_students_without_email_are_imported():
    result = bulk.users_import(
        role=StudentsConfig.role,
        file=io.StringIO(
            f"{STUDENT_HEADER}\nada,,Ada,L,3\nalan,,Alan,T,3\nzoe,zoe@example.com,,,3\n",
            newline="",
        ),
    )

    assert result.created == 3
    assert dict(User.objects.values_list("username", "email")) == {
        "ada": "",
        "alan": "",
        "zoe": "zoe@example.com",
    }


def test_an_update_may_remove_a_students_email():
    text = f"{STUDENT_HEADER}\nada,ada@example.com,,,3\n"
    bulk.users_import(role=StudentsConfig.role, file=io.StringIO(text, newline=""))

    result = bulk.users_import(
        role=StudentsConfig.role,
        file=io.StringIO(f"{STUDENT_HEADER}\nada,,,,4\n", newline=""),
        mode=bulk.Mode.UPDATE,
    )

    assert result == bulk.ImportResult(updated=1)
    ada = User.objects.get()
    assert (ada.email, ada.student_profile.grade) == ("", 4)
