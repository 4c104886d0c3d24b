"""Simultaneous joins of one student to one class: one enrollment, and both see the class."""

import threading
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client

from classrooms.models import Enrollment
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
