import pytest
from django.contrib.auth import SESSION_KEY

from accounts.tests.factories import AdminFactory, registration_data
from students.apps import StudentsConfig
from students.models import Student
from students.tests.factories import StudentFactory
from teachers.models import Teacher

from .factories import TeacherFactory

pytestmark = pytest.mark.django_db

TEACHER_HOME = "/teachers/home/"


def test_teacher_registers_and_lands_home_logged_in(client):
    response = client.post(
        "/teachers/register/",
        registration_data({"subject": "Chemistry"}),
    )

    assert response.url == TEACHER_HOME
    teacher = Teacher.objects.get(username="newkid")
    assert teacher.teacher_profile.subject == "Chemistry"
    assert client.session[SESSION_KEY] == str(teacher.pk)


class TestTeacherHome:
    def test_shows_the_teachers_own_details(self, client):
        me = TeacherFactory(first_name="Grace", last_name="Hopper", profile__subject="Computing")
        client.force_login(me)
        content = client.get(TEACHER_HOME).content.decode()
        assert "Hello, Grace Hopper" in content and "Computing" in content

    def test_lists_students_by_name_25_a_page(self, teacher_client):
        StudentFactory.create_batch(30)
        first = teacher_client.get(TEACHER_HOME)
        second = teacher_client.get(TEACHER_HOME, {"page": 2})

        def names(response):
            return [
                (s.last_name, s.first_name, s.username) for s in response.context["object_list"]
            ]

        assert len(names(first)) == 25 and len(names(second)) == 5
        assert names(first) + names(second) == sorted(
            (s.last_name, s.first_name, s.username) for s in Student.objects.all()
        )
        assert not set(names(first)) & set(names(second))

    def test_lists_only_students(self, teacher_client, teacher):
        StudentFactory()
        AdminFactory()
        listed = teacher_client.get(TEACHER_HOME).context["object_list"]
        assert [u.role for u in listed] == [StudentsConfig.role]

    def test_search_with_no_match_says_so(self, teacher_client):
        StudentFactory()
        response = teacher_client.get(TEACHER_HOME, {"q": "nobody-like-this"})
        assert b"No student matches your search." in response.content

    @pytest.mark.parametrize("size", [3, 60])
    def test_query_count_does_not_grow_with_the_students(
        self, teacher_client, django_assert_max_num_queries, size
    ):
        StudentFactory.create_batch(size)
        with django_assert_max_num_queries(6):
            response = teacher_client.get(TEACHER_HOME)
        assert len(response.context["object_list"]) == min(size, 25)
