from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY

from accounts.models import User
from accounts.tests.factories import registration_data
from students.models import Student
from teachers.tests.factories import TeacherFactory

from .factories import StudentFactory

pytestmark = pytest.mark.django_db

STUDENT_HOME = "/students/home/"
REGISTER = "/students/register/"


def student_registration(**extra):
    return registration_data({"grade": "6"}, **extra)


class TestRegister:
    def test_student_registers_and_sees_their_grade_at_home(self, client):
        response = client.post(REGISTER, student_registration())

        assert response.url == STUDENT_HOME
        student = Student.objects.get(username="newkid")
        assert student.student_profile.grade == 6
        assert client.session[SESSION_KEY] == str(student.pk)
        assert b"Grade 6" in client.get(STUDENT_HOME).content

    def test_invalid_grade_is_shown_again_and_nothing_is_written(self, client):
        response = client.post(REGISTER, student_registration(grade="13", email="not-an-email"))
        assert response.status_code == HTTPStatus.OK
        assert set(response.context["form"].errors) == {"grade", "email"}
        assert not User.objects.exists()
        assert SESSION_KEY not in client.session


class TestStudentHome:
    def test_shows_the_students_own_details(self, client):
        me = StudentFactory(first_name="Ada", last_name="Lovelace", profile__grade=9)
        StudentFactory(first_name="Someone", last_name="Else")
        client.force_login(me)
        content = client.get(STUDENT_HOME).content.decode()
        assert "Hello, Ada Lovelace" in content
        assert "Grade 9" in content
        assert "Someone" not in content

    def test_lists_every_teacher_with_subject(self, student_client):
        TeacherFactory(first_name="Marie", last_name="Curie", profile__subject="Chemistry")
        TeacherFactory(first_name="Alan", last_name="Turing", profile__subject="Computing")
        response = student_client.get(STUDENT_HOME)
        content = response.content.decode()
        assert "Marie Curie" in content and "Chemistry" in content
        assert "Alan Turing" in content and "Computing" in content
        assert [t.last_name for t in response.context["object_list"]] == ["Curie", "Turing"]

    @pytest.mark.parametrize("size", [3, 60])
    def test_query_count_does_not_grow_with_the_teachers(
        self, student_client, django_assert_max_num_queries, size
    ):
        TeacherFactory.create_batch(size)
        with django_assert_max_num_queries(6):
            student_client.get(STUDENT_HOME)
