"""Simultaneous requests: joins of one student to one class make one enrollment, and both
see the class; two teachers creating accounts of the same names get different usernames."""

import re
from http import HTTPStatus

import pytest

from accounts.tests.concurrency import POSTGRESQL_ONLY, post_at_once
from classrooms.models import Enrollment
from students.models import Student
from students.tests.factories import StudentFactory

from .factories import ClassroomFactory

ROUNDS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]


@pytest.mark.parametrize("page", ["form", "link"])
def test_two_simultaneous_joins_make_one_enrollment(page):
    for round_number in range(ROUNDS):
        classroom = ClassroomFactory()
        student = StudentFactory()
        if page == "form":
            url, data = "/classes/join/", {"code": classroom.join_code}
        else:
            url, data = f"/classes/join/{classroom.join_code}/", {}

        responses = post_at_once([(student, url, data)] * 2)

        statuses = [response.status_code for response in responses]
        assert statuses == [HTTPStatus.FOUND] * 2, f"round {round_number}: {statuses}"
        assert {response.url for response in responses} == {f"/classes/{classroom.pk}/"}
        assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1


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

        responses = post_at_once(posts)

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
