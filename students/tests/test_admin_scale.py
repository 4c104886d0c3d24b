import io

import pytest

from accounts import bulk
from students.apps import StudentsConfig
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

STUDENTS = "/admin/students/student/"


def import_students(count: int) -> None:
    rows = "".join(
        f"pupil{n},pupil{n}@example.com,Zoë,Pupil {n},{n % 12 + 1}\n" for n in range(count)
    )
    bulk.users_import(
        role=StudentsConfig.role,
        file=io.StringIO("username,email,first_name,last_name,grade\n" + rows),
    )


def test_page_of_a_large_school_names_the_grades(staff_client, django_assert_max_num_queries):
    import_students(250)

    with django_assert_max_num_queries(8):
        response = staff_client.get(STUDENTS)

    assert response.context["cl"].show_full_result_count is False
    assert b"Grade 1" in response.content and b"pupil0" in response.content


def test_filter_by_grade_active_and_search(staff_client):
    StudentFactory(username="ninth", profile__grade=9)
    StudentFactory(username="third", profile__grade=3, first_name="Zelda")
    StudentFactory(username="gone", profile__grade=9, is_active=False)

    def names(**params):
        return {u.username for u in staff_client.get(STUDENTS, params).context["cl"].result_list}

    assert names(student_profile__grade__exact=9) == {"ninth", "gone"}
    assert names(student_profile__grade__exact=9, is_active__exact=1) == {"ninth"}
    assert names(q="zelda") == {"third"}
