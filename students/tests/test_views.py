import re
from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import AdminFactory, registration_data
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.apps import StudentsConfig
from students.models import Student
from teachers.tests.factories import TeacherFactory

from .factories import StudentFactory

pytestmark = pytest.mark.django_db

STUDENT_HOME = "/students/home/"
STUDENT_DIRECTORY = "/directory/students/"
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

    def test_lists_only_the_teachers_of_the_students_classes(self, client, student):
        curie = TeacherFactory(first_name="Marie", last_name="Curie", profile__subject="Chemistry")
        TeacherFactory(first_name="Alan", last_name="Turing", profile__subject="Computing")
        EnrollmentFactory(classroom=ClassroomFactory(teacher=curie), student=student)
        client.force_login(student)

        content = client.get(STUDENT_HOME).content.decode()

        assert "Marie Curie" in content and "Chemistry" in content
        assert "Turing" not in content and "Computing" not in content  # in the directory only
        assert 'href="/directory/teachers/"' in content

    @pytest.mark.parametrize("size", [3, 60])
    def test_query_count_does_not_grow_with_the_teachers(
        self, student_client, django_assert_max_num_queries, size
    ):
        TeacherFactory.create_batch(size)
        with django_assert_max_num_queries(6):
            student_client.get(STUDENT_HOME)


class TestStudentDirectory:
    def test_shows_name_username_and_grade_but_no_email(self, teacher_client):
        StudentFactory(
            first_name="Ada",
            last_name="Lovelace",
            username="ada-l",
            email="ada.private@example.com",
            profile__grade=9,
        )
        response = teacher_client.get(STUDENT_DIRECTORY)
        row = next(
            line.strip() for line in response.content.decode().splitlines() if "Lovelace" in line
        )
        # The cells' text: name (with the username under it on phones), username, grade.
        cells = [re.sub(r"<[^>]+>", " ", cell).split() for cell in row.split("</td>")[:-1]]
        assert cells == [["Ada", "Lovelace", "ada-l"], ["ada-l"], ["9"]]
        assert b"ada.private" not in response.content and b"@example.com" not in response.content

    @pytest.mark.parametrize("term", ["ada.private@example.com", "ada.private", "example.com"])
    def test_search_does_not_reach_the_email(self, teacher_client, term):
        StudentFactory(username="ada-l", email="ada.private@example.com")
        response = teacher_client.get(STUDENT_DIRECTORY, {"q": term})
        assert list(response.context["object_list"]) == []
        assert b"No student matches your search." in response.content

    @pytest.mark.parametrize("term", ["ADA", "lovelace", "ada-l", "ada lovelace"])
    def test_search_by_name_or_username(self, teacher_client, term):
        ada = StudentFactory(first_name="Ada", last_name="Lovelace", username="ada-l")
        StudentFactory.create_batch(3, first_name="Other", last_name="Pupil")
        response = teacher_client.get(STUDENT_DIRECTORY, {"q": term})
        assert list(response.context["object_list"]) == [ada]

    def test_lists_students_by_name_25_a_page(self, teacher_client):
        StudentFactory.create_batch(30)
        first = teacher_client.get(STUDENT_DIRECTORY)
        second = teacher_client.get(STUDENT_DIRECTORY, {"page": 2})

        def names(response):
            return [
                (s.last_name, s.first_name, s.username) for s in response.context["object_list"]
            ]

        assert len(names(first)) == 25 and len(names(second)) == 5
        assert names(first) + names(second) == sorted(
            (s.last_name, s.first_name, s.username) for s in Student.objects.all()
        )
        past_the_end = teacher_client.get(STUDENT_DIRECTORY, {"page": 3})
        assert past_the_end.status_code == HTTPStatus.NOT_FOUND

    def test_lists_only_students(self, teacher_client, teacher):
        StudentFactory()
        AdminFactory()
        listed = teacher_client.get(STUDENT_DIRECTORY).context["object_list"]
        assert [u.role for u in listed] == [StudentsConfig.role]

    def test_a_student_may_not_browse_it(self, student_client):
        assert student_client.get(STUDENT_DIRECTORY).status_code == HTTPStatus.FORBIDDEN

    @pytest.mark.parametrize("size", [3, 60])
    def test_query_count_does_not_grow_with_the_students(
        self, teacher_client, django_assert_max_num_queries, size
    ):
        StudentFactory.create_batch(size)
        with django_assert_max_num_queries(6):
            response = teacher_client.get(STUDENT_DIRECTORY)
        assert len(response.context["object_list"]) == min(size, 25)


class TestWithoutEmail:
    def test_a_student_registers_without_email(self, client):
        response = client.post(REGISTER, student_registration(email=""))

        assert response.url == STUDENT_HOME
        assert Student.objects.get(username="newkid").email == ""

    def test_the_reset_page_tells_them_to_ask_their_teacher(self, client):
        content = client.get("/accounts/password/reset/").content.decode()

        assert "No email address? Ask your teacher to reset your password." in content


class TestPasswordSetByTheirTeacher:
    def test_from_a_join_link_through_login_and_the_change_to_the_class(self, client, password):
        student = StudentFactory(password=password, email="", must_change_password=True)
        classroom = ClassroomFactory(name="Algebra 7B")
        join = reverse("classrooms:join_link", args=[classroom.join_code])

        response = client.get(join)
        assert response.url == f"/students/login/?next={join}"
        response = client.post(
            response.url, {"username": student.username, "password": password}, follow=True
        )
        assert response.redirect_chain == [
            (join, HTTPStatus.FOUND),
            (f"/accounts/password/change/?next={join}", HTTPStatus.FOUND),
        ]
        response = client.post(
            f"/accounts/password/change/?next={join}",
            {
                "old_password": password,
                "new_password1": "my-own-secret-words",
                "new_password2": "my-own-secret-words",
            },
            follow=True,
        )

        assert response.redirect_chain == [(join, HTTPStatus.FOUND)]
        assert "Algebra 7B" in response.content.decode()
        student.refresh_from_db()
        assert not student.must_change_password
