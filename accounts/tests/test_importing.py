import csv
import io
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import bulk
from accounts.models import Role, User
from accounts.tests.factories import StudentFactory, TeacherFactory
from students.models import Student, StudentProfile
from teachers.models import Teacher

pytestmark = pytest.mark.django_db

STUDENT_HEADER = "username,email,first_name,last_name,grade"


def run_import(text: str, role: Role = Role.STUDENT, **kwargs) -> int:
    return bulk.users_import(role=role, file=io.StringIO(text, newline=""), **kwargs)


def import_errors(text: str, role: Role = Role.STUDENT) -> list[str]:
    with pytest.raises(bulk.BadFile) as excinfo:
        run_import(text, role)
    assert not User.objects.exists(), "a refused file wrote accounts"
    return excinfo.value.errors


def test_import_creates_users_with_profiles_and_no_usable_password():
    count = run_import(
        f"{STUDENT_HEADER}\nada,Ada@Example.COM,Ada,Lovelace,7\nalan,alan@example.com,,,12\n"
    )

    assert count == 2
    ada = Student.objects.get(username="ada")
    assert ada.is_student and ada.is_active
    assert ada.email == "Ada@example.com"  # the domain normalised, as everywhere
    assert (ada.first_name, ada.last_name, ada.student_profile.grade) == ("Ada", "Lovelace", 7)
    assert not ada.has_usable_password()
    assert Student.objects.get(username="alan").student_profile.grade == 12


def test_import_teachers_uses_the_teacher_columns():
    run_import(
        "username,email,first_name,last_name,subject\ngrace,grace@example.com,Grace,Hopper,Navy\n",
        Role.TEACHER,
    )

    assert Teacher.objects.get(username="grace").teacher_profile.subject == "Navy"


def test_each_unusable_password_is_different():
    run_import(f"{STUDENT_HEADER}\na,a@example.com,,,1\nb,b@example.com,,,1\n")

    assert len(set(User.objects.values_list("password", flat=True))) == 2


def test_a_valid_password_hash_is_kept():
    hashed = make_password("imported-password-1")
    run_import(f"{STUDENT_HEADER},password_hash\nada,ada@example.com,,,3,{hashed}\n")

    assert User.objects.get().check_password("imported-password-1")


def test_bom_crlf_accents_and_blank_lines_are_read():
    text = f"\ufeff{STUDENT_HEADER}\r\nzoe,zoe@example.com,Zoë,Ñúñez-Łukasz,5\r\n\r\n"
    with (
        io.BytesIO(text.encode()) as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as file,
    ):
        bulk.users_import(role=Role.STUDENT, file=file)

    assert User.objects.get().last_name == "Ñúñez-Łukasz"


def test_a_quoted_cell_may_hold_a_comma_and_a_line_break():
    run_import(f'{STUDENT_HEADER}\nada,ada@example.com,"Ada, Countess","Love\nlace",3\n')

    assert User.objects.get().first_name == "Ada, Countess"


def test_dry_run_checks_and_writes_nothing():
    assert run_import(f"{STUDENT_HEADER}\nada,ada@example.com,,,3\n", dry_run=True) == 1
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        (f"{STUDENT_HEADER}\n", "the file has a header but no rows"),
        ("username,email,first_name,last_name\n", "line 1: the header must be"),
        (f"{STUDENT_HEADER},nickname\n", "unknown nickname"),
        (f"{STUDENT_HEADER},grade\n", "repeated grade"),
        ("username,email,first_name,last_name,subject\n", "missing grade"),
    ],
)
def test_bad_files_are_refused_with_a_clear_reason(text, expected):
    errors = import_errors(text)

    assert any(expected in error for error in errors), errors


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("bad name!,a@example.com,,,3", "line 2: username: Enter a valid username"),
        (",a@example.com,,,3", "line 2: username: This field is required."),
        (f"{'u' * 151},a@example.com,,,3", "line 2: username: Ensure this value has at most 150"),
        ("ada,not-an-email,,,3", "line 2: email: Enter a valid email address."),
        ("ada,,,,3", "line 2: email: This field is required."),
        ("ada,ada@example.com,,,13", "line 2: grade: Select a valid choice. 13"),
        ("ada,ada@example.com,,,0", "line 2: grade: Select a valid choice. 0"),
        ("ada,ada@example.com,,,seven", "line 2: grade: Select a valid choice. seven"),
        ("ada,ada@example.com,,,", "line 2: grade: This field is required."),
        ("ada,ada@example.com,,", "line 2: expected 5 fields, found 4"),
        ("ada,ada@example.com,,,3,extra", "line 2: expected 5 fields, found 6"),
        ("ada,ada@example.com,Ada\x00,,3", "line 2: first_name: Null characters are not allowed."),
    ],
)
def test_every_bad_row_is_refused(row, expected):
    errors = import_errors(f"{STUDENT_HEADER}\n{row}\n")

    assert len(errors) == 1 and errors[0].startswith(expected), errors


def test_a_teacher_needs_a_subject():
    errors = import_errors(
        "username,email,first_name,last_name,subject\ngrace,g@example.com,,,\n", Role.TEACHER
    )

    assert errors == ["line 2: subject: This field is required."]


def test_a_bad_password_hash_is_refused():
    errors = import_errors(f"{STUDENT_HEADER},password_hash\nada,ada@example.com,,,3,plain-text\n")

    assert errors == ["line 2: password_hash: not a password hash this site can check"]


def test_every_bad_line_is_reported_with_its_physical_line_number():
    text = (
        f"{STUDENT_HEADER}\n"
        "ok,ok@example.com,,,1\n"  # line 2
        "\n"  # line 3, blank: skipped but counted
        'multi,multi@example.com,"two\nlines",,99\n'  # lines 4-5
        "bad,bad,,,1\n"  # line 6
    )
    errors = import_errors(text)

    assert [error.split(":")[0] for error in errors] == ["line 4", "line 6"]


def test_duplicates_within_the_file_regardless_of_case():
    errors = import_errors(f"{STUDENT_HEADER}\nada,ada@example.com,,,1\nADA,Ada@Example.com,,,2\n")

    assert errors == ["line 3: username ADA repeats line 2; email Ada@example.com repeats line 2"]


def test_duplicates_against_the_database_regardless_of_case():
    TeacherFactory(username="Grace", email="grace@example.com")
    with pytest.raises(bulk.BadFile) as excinfo:
        run_import(f"{STUDENT_HEADER}\ngrace,other@example.com,,,1\nada,GRACE@example.com,,,2\n")

    assert excinfo.value.errors == [
        "line 2: username grace is already taken",
        "line 3: email GRACE@example.com is already taken",
    ]
    assert not Student.objects.exists()


def test_nothing_is_written_when_the_database_refuses_a_profile_midway():
    real_bulk_create = StudentProfile.objects.bulk_create

    def fail(objs, **kwargs):
        real_bulk_create(objs[:1], **kwargs)  # some rows are in before it fails
        raise IntegrityError("simulated")

    with (
        mock.patch.object(StudentProfile.objects, "bulk_create", side_effect=fail),
        pytest.raises(bulk.BadFile, match="nothing was imported"),
    ):
        run_import(f"{STUDENT_HEADER}\nada,ada@example.com,,,1\nalan,alan@example.com,,,2\n")

    assert not User.objects.exists()
    assert not StudentProfile.objects.exists()


def test_export_writes_the_import_format():
    StudentFactory(
        username="zoe",
        email="zoe@example.com",
        first_name="Zoë",
        last_name="O'Neil, Jr",
        profile__grade=4,
    )
    TeacherFactory()
    file = io.StringIO()

    assert bulk.users_export(role=Role.STUDENT, file=file) == 1
    assert file.getvalue() == f'{STUDENT_HEADER}\r\nzoe,zoe@example.com,Zoë,"O\'Neil, Jr",4\r\n'


def _snapshot(role: Role) -> dict[str, tuple]:
    profile = {Role.STUDENT: "student_profile__grade", Role.TEACHER: "teacher_profile__subject"}[
        role
    ]
    rows = User.objects.filter(role=role).values_list(
        "username", "email", "first_name", "last_name", "is_active", profile, "password"
    )
    return {row[0]: row for row in rows}


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER])
def test_round_trip_export_empty_import_gives_the_same_accounts(role):
    StudentFactory.create_batch(3, first_name="Zoë")
    TeacherFactory.create_batch(2, last_name="Ñúñez")
    run_import(f"{STUDENT_HEADER}\nnopass,nopass@example.com,,,3\n")
    before = _snapshot(role)
    file = io.StringIO()
    bulk.users_export(role=role, file=file, password_hash=True)
    User.objects.all().delete()

    file.seek(0)
    run_import(file.getvalue(), role)

    after = _snapshot(role)
    assert {name: row[:-1] for name, row in after.items()} == {
        name: row[:-1] for name, row in before.items()
    }
    # A password survives as its hash; an unusable one comes back unusable.
    for name, row in before.items():
        old, new = row[-1], after[name][-1]
        assert new == old or (old.startswith("!") and new.startswith("!")), name


hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["", " ", "\x00", "\r", "\n", '"', "ａｄａ", "аda", "Ada\u200b", "ß", "İ", "=1+1", "\ufeff"]
    ),
)
hostile_grade = st.one_of(st.integers(-5, 20).map(str), hostile_text)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(hostile_text, hostile_text, hostile_text, hostile_text, hostile_grade), max_size=5
    )
)
def test_hostile_cells_never_crash_nor_half_write(rows):
    file = io.StringIO(newline="")
    writer = csv.writer(file)
    writer.writerow(STUDENT_HEADER.split(","))
    writer.writerows(rows)
    file.seek(0)
    try:
        count = bulk.users_import(role=Role.STUDENT, file=file)
    except bulk.BadFile as error:
        errors = error.errors
        assert errors
        assert not User.objects.exists()
    else:
        assert Student.objects.count() == StudentProfile.objects.count() == count
        User.objects.all().delete()
