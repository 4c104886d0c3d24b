"""Writes to students as a body: the school year's move up a grade, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet

from accounts.models import User
from accounts.services import users_set_active
from audit.services import audit_bulk

from .models import LAST_GRADE, SchoolYearRollover, Student, StudentProfile, validate_school_year


class AlreadyRolledOver(Exception):
    """This school year was already done; `rollover` is the newest record of it."""

    def __init__(self, rollover: SchoolYearRollover):
        super().__init__(f"School year {rollover.school_year} was already rolled over.")
        self.rollover = rollover


@dataclass(frozen=True)
class Promotion:
    moved_up: int
    left_school: int
    rollover: SchoolYearRollover | None  # None on a dry run: nothing was written


def students_promote(
    *, school_year: str, ran_by: str | User, force: bool = False, dry_run: bool = False
) -> Promotion:
    """Move every active student up a grade for `school_year`; those in grade 12 leave.

    Leavers are deactivated (grade, classes and enrollments kept). Inactive students are
    untouched. All or nothing, and recorded; a school year already done raises
    AlreadyRolledOver unless `force`. `dry_run` counts and writes nothing. `ran_by` is the
    operator's name, or the staff user.
    """
    validate_school_year(school_year)
    previous = SchoolYearRollover.objects.filter(school_year=school_year).first()
    if previous is not None and not force:
        raise AlreadyRolledOver(previous)
    try:
        return _move_up(
            Student.objects.all(),
            dry_run=dry_run,
            school_year=school_year,
            forced=previous is not None,
            **_operator(ran_by),
        )
    except IntegrityError:
        # Another run for this school year committed between our check and our record.
        previous = SchoolYearRollover.objects.filter(school_year=school_year).first()
        if previous is None:
            raise
        raise AlreadyRolledOver(previous) from None


def students_move_up(students: QuerySet[Student], *, ran_by: str | User) -> Promotion:
    """Move the active ones of `students` up a grade, as above, whatever the school year."""
    return _move_up(students, dry_run=False, **_operator(ran_by))


def _move_up(students: QuerySet[Student], *, dry_run: bool, **record: object) -> Promotion:
    # Set-based: a count, or two UPDATEs and one INSERT, whatever the number of students.
    active = students.filter(is_active=True)
    if dry_run:
        counts = StudentProfile.objects.filter(user__in=active).aggregate(
            moved_up=Count("pk", filter=Q(grade__lt=LAST_GRADE)),
            left_school=Count("pk", filter=Q(grade=LAST_GRADE)),
        )
        return Promotion(**counts, rollover=None)
    with transaction.atomic():
        # Leavers first: moving everyone up first would send grade 11 out with grade 12.
        left_school = users_set_active(
            active.filter(student_profile__grade=LAST_GRADE), active=False
        )
        moved_up = StudentProfile.objects.filter(user__in=active, grade__lt=LAST_GRADE).update(
            grade=F("grade") + 1
        )
        rollover = SchoolYearRollover.objects.create(
            moved_up=moved_up, left_school=left_school, **record
        )
        audit_bulk(
            model=Student,
            operation="move up a grade",
            counts={"moved up": moved_up, "left school": left_school},
            actor=record.get("ran_by_user"),
            school_year=rollover.school_year,
            rollover=rollover.pk,
        )
    return Promotion(moved_up, left_school, rollover)


def _operator(ran_by: str | User) -> dict[str, object]:
    if isinstance(ran_by, User):
        return {"ran_by": ran_by.get_username(), "ran_by_user": ran_by}
    return {"ran_by": ran_by}
