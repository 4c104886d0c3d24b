"""The classes in a user's own data download (/accounts/data/, classrooms/data.py)."""

import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils.dateparse import parse_datetime

from classrooms.data import user_classes
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

DATA = "/accounts/data/"


def download(client, user) -> tuple[bytes, dict]:
    client.force_login(user)
    response = client.get(DATA)
    assert response.status_code == HTTPStatus.OK
    return response.content, json.loads(response.content)


def test_a_student_gets_the_classes_they_attend_and_when_they_joined(client):
    teacher = TeacherFactory(first_name="Alan", last_name="Turing")
    algebra = ClassroomFactory(teacher=teacher, name="Algebra 7B", subject="Mathematics")
    art = ClassroomFactory(name="Art club", subject="", is_archived=True)
    student = StudentFactory()
    joined = EnrollmentFactory(classroom=algebra, student=student)
    EnrollmentFactory(classroom=art, student=student)
    ClassroomFactory(name="Not mine")

    _, data = download(client, student)

    attended = data["classes"]["attended"]
    joined_at = [parse_datetime(entry.pop("joined_at")) for entry in attended]
    assert attended == [
        {"name": "Algebra 7B", "subject": "Mathematics", "teacher": "Alan Turing"},
        {"name": "Art club", "subject": "", "teacher": art.teacher.get_full_name()},
    ]
    # JSON keeps milliseconds.
    assert abs(joined_at[0] - joined.joined_at) < timedelta(milliseconds=1)
    assert "taught" not in data["classes"]  # a student teaches nothing


def test_a_student_gets_nothing_of_their_classmates(client):
    classroom = ClassroomFactory()
    student, classmate = StudentFactory(), StudentFactory()
    EnrollmentFactory(classroom=classroom, student=student)
    EnrollmentFactory(classroom=classroom, student=classmate)

    content, _ = download(client, student)

    for value in (classmate.username, classmate.email, classmate.last_name, classroom.join_code):
        assert value.encode() not in content


def test_a_teacher_gets_the_classes_they_teach_with_counts_not_students(client):
    teacher = TeacherFactory()
    physics = ClassroomFactory(teacher=teacher, name="Physics", subject="Physics")
    ClassroomFactory(teacher=teacher, name="Old physics", is_archived=True)
    students = StudentFactory.create_batch(3)
    for student in students:
        EnrollmentFactory(classroom=physics, student=student)
    ClassroomFactory(name="Someone else's")

    content, data = download(client, teacher)

    taught = data["classes"]["taught"]
    assert [(c["name"], c["student_count"], c["is_archived"]) for c in taught] == [
        ("Physics", 3, False),
        ("Old physics", 0, True),
    ]
    assert taught[0]["join_code"] == physics.join_code
    assert taught[0]["subject"] == "Physics"
    assert taught[0]["created_at"]
    assert data["classes"]["attended"] == []
    for student in students:
        for value in (student.username, student.email, student.last_name):
            assert value.encode() not in content
    assert b"Someone else's" not in content


def test_a_user_without_classes_gets_empty_lists():
    assert user_classes(TeacherFactory()) == {"attended": [], "taught": []}
    assert user_classes(StudentFactory()) == {"attended": []}


def test_queries_do_not_grow_with_the_classes(django_assert_max_num_queries):
    teacher = TeacherFactory()
    student = StudentFactory()
    for _ in range(10):
        EnrollmentFactory(classroom=ClassroomFactory(teacher=teacher), student=student)
    with django_assert_max_num_queries(1):
        user_classes(student)
    with django_assert_max_num_queries(2):
        user_classes(teacher)
