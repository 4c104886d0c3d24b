"""Two promote_students runs for one school year at the same moment: one moves the school."""

from functools import partial

import pytest

from accounts.tests.concurrency import POSTGRESQL_ONLY, at_once
from students.models import SchoolYearRollover, Student
from students.services import AlreadyRolledOver, students_promote
from students.tests.factories import StudentFactory

ROUNDS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]


def school() -> dict[int, tuple[int, bool]]:
    return {
        pk: (grade, active)
        for pk, grade, active in Student.objects.values_list(
            "pk", "student_profile__grade", "is_active"
        )
    }


def moved_up_once(before: dict[int, tuple[int, bool]]) -> dict[int, tuple[int, bool]]:
    return {
        pk: (grade, active) if not active else (grade + 1, True) if grade < 12 else (12, False)
        for pk, (grade, active) in before.items()
    }


def test_simultaneous_runs_move_the_school_up_once():
    for grade in (1, 3, 9, 11, 12):
        StudentFactory(profile__grade=grade)

    for round_ in range(ROUNDS):
        year = f"{2026 + round_}-{2027 + round_}"
        before = school()

        outcomes = at_once(
            *(
                partial(students_promote, school_year=year, ran_by=f"op{index}")
                for index in range(2)
            )
        )

        assert sum(isinstance(outcome, AlreadyRolledOver) for outcome in outcomes) == 1, outcomes
        assert SchoolYearRollover.objects.filter(school_year=year).count() == 1
        assert school() == moved_up_once(before)
