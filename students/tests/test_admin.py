from http import HTTPStatus

import pytest
from django.urls import reverse

from students.apps import StudentsConfig
from students.models import Student
from students.tests.factories import StudentFactory
from teachers.apps import TeachersConfig

pytestmark = pytest.mark.django_db

STUDENTS = "/admin/students/student/"


def test_grade_column(staff_client):
    StudentFactory(profile__grade=11)

    content = staff_client.get(STUDENTS).content

    assert b'<td class="field-student_profile__grade">11</td>' in content


def test_grade_column_is_headed_grade_and_sorts(staff_client):
    StudentFactory(username="older", profile__grade=10)
    StudentFactory(username="younger", profile__grade=2)

    response = staff_client.get(STUDENTS, {"o": "5"})  # the fifth column: grade

    assert [s.username for s in response.context["cl"].result_list] == ["younger", "older"]
    assert b'<a href="?o=-5">Student profile  grade</a>' in response.content


def test_grade_filter(staff_client):
    match = StudentFactory(profile__grade=3)
    StudentFactory(profile__grade=4)

    result = staff_client.get(STUDENTS, {"student_profile__grade": 3}).context["cl"].result_list

    assert list(result) == [match]


def test_editing_the_grade(staff_client):
    student = StudentFactory(profile__grade=5)

    response = staff_client.post(
        reverse("admin:students_student_change", args=[student.pk]),
        {
            "username": student.username,
            "email": student.email,
            "first_name": student.first_name,
            "last_name": student.last_name,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "student_profile-TOTAL_FORMS": "1",
            "student_profile-INITIAL_FORMS": "1",
            "student_profile-MIN_NUM_FORMS": "1",
            "student_profile-MAX_NUM_FORMS": "1",
            "student_profile-0-user": str(student.pk),
            "student_profile-0-grade": "6",
            "role": TeachersConfig.role,
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    student.refresh_from_db()
    assert student.student_profile.grade == 6
    assert student.has_role(StudentsConfig.role)  # the role cannot be changed


def test_staff_add_a_student_without_email(staff_client):
    response = staff_client.post(
        reverse("admin:students_student_add"),
        {
            "username": "kid",
            "email": "",
            "grade": "2",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "must_change_password": "on",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    kid = Student.objects.get(username="kid")
    assert kid.email == "" and kid.must_change_password
