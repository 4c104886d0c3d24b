from http import HTTPStatus

import pytest
from django.urls import reverse

from teachers.models import Teacher
from teachers.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

TEACHERS = "/admin/teachers/teacher/"


def test_subject_column(staff_client):
    TeacherFactory(profile__subject="Geography")

    content = staff_client.get(TEACHERS).content

    assert b'<td class="field-teacher_profile__subject">Geography</td>' in content


def test_add_teacher_requires_a_subject(staff_client):
    response = staff_client.post(
        reverse("admin:teachers_teacher_add"),
        {
            "username": "t",
            "email": "t@example.com",
            "password1": "an-admin-set-passphrase",
            "password2": "an-admin-set-passphrase",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "subject" in response.context["adminform"].form.errors
    assert not Teacher.objects.exists()


def test_staff_cannot_add_a_teacher_without_email(staff_client):
    response = staff_client.post(
        reverse("admin:teachers_teacher_add"),
        {
            "username": "grace",
            "email": "",
            "subject": "Art",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )

    assert response.context["adminform"].form.errors["email"] == ["This field is required."]
    assert not Teacher.objects.exists()
