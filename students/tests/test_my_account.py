"""My account for students: the grade is the school's, not theirs to change."""

from http import HTTPStatus

import pytest

from .factories import StudentFactory

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def test_the_grade_is_not_in_the_form_and_a_posted_grade_is_ignored(client):
    student = StudentFactory(first_name="Ada", profile__grade=7)
    client.force_login(student)
    assert b'name="grade"' not in client.get(PROFILE).content

    response = client.post(PROFILE, {"first_name": "Ada", "last_name": "King", "grade": "12"})

    assert response.status_code == HTTPStatus.FOUND
    student.refresh_from_db()
    student.student_profile.refresh_from_db()
    assert student.last_name == "King"
    assert student.student_profile.grade == 7
