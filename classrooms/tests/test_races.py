"""Simultaneous requests: joins of one student to one class make one enrollment, and both
see the class; two teachers creating accounts of the same names get different usernames."""

import re
import threading
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client

from classrooms.models import Enrollment
from students.models import Student
from students.tests.factories import StudentFactory

from .factories import ClassroomFactory

ROUNDS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers, so requests cannot race; CI runs this on PostgreSQL",
    ),
]


def join_together(student, url: str, data: dict, times: int = 2) -> list:
    """POST `data` to `url` as `student` from `times` browsers at the same moment."""
    barrier = threading.Barrier(times)
    responses: list = [None] * times

    def join(index: int) -> None:
        browser = Client()
        try:
            browser.force_login(student)
            barrier.wait(timeout=10)
            responses[index] = browser.post(url, data)
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=join, args=(index,)) for index in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


@pytest.mark.parametrize("page", ["form", "link"])
def test_two_simultaneous_joins_make_one_enrollment(page):
    for round_number in range(ROUNDS):
        classroom = ClassroomFactory()
        student = StudentFactory()
        if page == "form":
            url, data = "/classes/join/", {"code": classroom.join_code}
        else:
            url, data = f"/classes/join/{classroom.join_code}/", {}

        responses = join_together(student, url, data)

        statuses = [response.status_code for response in responses]
        assert statuses == [HTTPStatus.FOUND] * 2, f"round {round_number}: {statuses}"
        assert {response.url for response in responses} == {f"/classes/{classroom.pk}/"}
        assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1


def post_together(posts: list[tuple]) -> list:
    """POST each (user, url, data) from its own browser, all at the same moment."""
    barrier = threading.Barrier(len(posts))
    responses: list = [None] * len(posts)

    def post(index: int) -> None:
        user, url, data = posts[index]
        browser = Client()
        try:
            browser.force_login(user)
            barrier.wait(timeout=10)
            responses[index] = browser.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def test_two_teachers_creating_the_same_names_get_different_usernames():
    # The same two children in both lists, in opposite orders: each request waits on the
    # other's names, and neither may deadlock or fail.
    names = ["Zoë Müller", "Ada Lovelace"]
    for round_number in range(ROUNDS):
        classes = [ClassroomFactory(), ClassroomFactory()]
        posts = [
            (
                classroom.teacher,
                f"/classes/{classroom.pk}/students/new/",
                {"names": "\n".join(order), "grade": "2"},
            )
            for classroom, order in zip(classes, [names, names[::-1]], strict=True)
        ]

        responses = post_together(posts)

        statuses = [response.status_code for response in responses]
        assert statuses == [HTTPStatus.OK] * 2, f"round {round_number}: {statuses}"
        shown = [re.findall(r'data-username="([^"]*)"', response.text) for response in responses]
        usernames = [name for card_names in shown for name in card_names]
        assert len(set(usernames)) == 4, f"round {round_number}: {usernames}"
        for classroom, card_names in zip(classes, shown, strict=True):
            assert sorted(classroom.students.values_list("username", flat=True)) == sorted(
                card_names
            )
    assert Student.objects.filter(username__startswith="zoe.muller").count() == 2 * ROUNDS
