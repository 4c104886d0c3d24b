from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY

from accounts.models import User
from accounts.tests.factories import registration_data
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.tests.factories import StudentFactory
from teachers.models import Teacher

from .factories import TeacherFactory

pytestmark = pytest.mark.django_db

TEACHER_HOME = "/teachers/home/"
TEACHER_DIRECTORY = "/directory/teachers/"
STUDENT_DIRECTORY = "/directory/students/"


def test_teacher_registers_and_lands_home_logged_in(client, settings):
    settings.TEACHER_SIGNUP = "open"
    response = client.post(
        "/teachers/register/",
        registration_data({"subject": "Chemistry"}),
    )

    assert response.url == TEACHER_HOME
    teacher = Teacher.objects.get(username="newkid")
    assert teacher.teacher_profile.subject == "Chemistry"
    assert client.session[SESSION_KEY] == str(teacher.pk)


def test_a_stranger_registering_as_a_teacher_sees_no_student(client, password):
    """The default policy: a new teacher waits for staff before seeing anyone's data."""
    StudentFactory(username="pupil-ada", email="ada@example.com")

    client.post(
        "/teachers/register/",
        registration_data({"subject": "Chemistry"}, password1=password, password2=password),
    )
    client.post("/teachers/login/", {"username": "newkid", "password": password})

    assert not User.objects.get(username="newkid").is_active
    assert SESSION_KEY not in client.session
    for url in (TEACHER_HOME, STUDENT_DIRECTORY):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert "/login/?next=" in response.url


class TestTeacherHome:
    def test_shows_the_teachers_own_details(self, client):
        me = TeacherFactory(first_name="Grace", last_name="Hopper", profile__subject="Computing")
        client.force_login(me)
        content = client.get(TEACHER_HOME).content.decode()
        assert "Hello, Grace Hopper" in content and "Computing" in content

    def test_shows_no_student_of_another_class(self, teacher_client, teacher):
        EnrollmentFactory(
            classroom=ClassroomFactory(teacher=teacher),
            student=StudentFactory(first_name="Mine", last_name="Pupil"),
        )
        stranger = StudentFactory(first_name="Zoltan", last_name="Farkas", username="zoltan-f")
        EnrollmentFactory(student=stranger)  # a class of another teacher
        StudentFactory(first_name="Nobody", last_name="Enrolled", username="nobody-e")

        content = teacher_client.get(TEACHER_HOME).content.decode()

        for text in ("Zoltan", "Farkas", "zoltan-f", "Nobody", "nobody-e"):
            assert text not in content
        assert 'href="/directory/students/"' in content

    def test_shows_no_students_email(self, teacher_client, teacher):
        own = StudentFactory(email="own.pupil@school.test")
        EnrollmentFactory(classroom=ClassroomFactory(teacher=teacher), student=own)
        EnrollmentFactory(student=StudentFactory(email="other.pupil@school.test"))
        StudentFactory(email="lone.pupil@school.test")

        content = teacher_client.get(TEACHER_HOME).content.decode()

        assert "@school.test" not in content  # a class's roster is on the class's own page

    @pytest.mark.parametrize("size", [3, 60])
    def test_query_count_does_not_grow_with_the_students(
        self, teacher_client, teacher, django_assert_max_num_queries, size
    ):
        classroom = ClassroomFactory(teacher=teacher)
        for student in StudentFactory.create_batch(size):
            EnrollmentFactory(classroom=classroom, student=student)
        with django_assert_max_num_queries(6):
            response = teacher_client.get(TEACHER_HOME)
        assert [c.student_count for c in response.context["classes"]] == [size]


class TestTeacherDirectory:
    def test_lists_every_teacher_with_subject(self, student_client):
        TeacherFactory(
            first_name="Marie",
            last_name="Curie",
            email="marie@school.test",
            profile__subject="Chemistry",
        )
        TeacherFactory(first_name="Alan", last_name="Turing", profile__subject="Computing")

        response = student_client.get(TEACHER_DIRECTORY)

        content = response.content.decode()
        assert "<tr><td>Marie Curie</td><td>Chemistry</td></tr>" in content
        assert "<tr><td>Alan Turing</td><td>Computing</td></tr>" in content
        assert [t.last_name for t in response.context["object_list"]] == ["Curie", "Turing"]
        assert "marie@school.test" not in content

    def test_every_logged_in_user_may_browse_it(self, client, student, teacher, staff):
        for user in (student, teacher, staff):
            client.force_login(user)
            assert client.get(TEACHER_DIRECTORY).status_code == HTTPStatus.OK

    def test_search_by_name(self, student_client):
        curie = TeacherFactory(first_name="Marie", last_name="Curie")
        TeacherFactory.create_batch(3, first_name="Other", last_name="Teacher")
        response = student_client.get(TEACHER_DIRECTORY, {"q": "curie"})
        assert list(response.context["object_list"]) == [curie]

    def test_search_with_no_match_says_so(self, student_client):
        TeacherFactory()
        response = student_client.get(TEACHER_DIRECTORY, {"q": "nobody-like-this"})
        assert b"No teacher matches your search." in response.content

    @pytest.mark.parametrize("size", [3, 60])
    def test_query_count_does_not_grow_with_the_teachers(
        self, student_client, django_assert_max_num_queries, size
    ):
        TeacherFactory.create_batch(size)
        with django_assert_max_num_queries(6):
            response = student_client.get(TEACHER_DIRECTORY)
        assert len(response.context["object_list"]) == min(size, 25)
