"""Writes to classes and enrollments: keyword-only, each in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import usernames
from accounts.models import User
from accounts.passwords import hash_passwords, one_time_password
from accounts.services import password_set_by_other, user_create
from audit.services import audit_bulk, audit_event

from . import codes
from .models import STUDENT, TEACHER, Classroom, Enrollment

# Attempts at a fresh join code before giving up: with 31^8 codes, a second is already rare.
CODE_ATTEMPTS = 5
# Attempts at a free username for one new student: another only when a request that
# committed meanwhile took the name this one had found free.
USERNAME_ATTEMPTS = 5
# A username for a name in another script, that ASCII cannot spell: student, student2…
USERNAME_FALLBACK = "student"

# Who changed whose password, in which class, when: one line each (the audit trail will
# show them in the admin).
audit = logging.getLogger("classrooms.audit")


class JoinRefused(ValidationError):
    """No active class has this code (mistyped, replaced, or the class is archived)."""


def _with_fresh_code(save) -> None:
    # The code is unique in the database; on the rare collision, draw another.
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                save()
            return
        except IntegrityError:
            if attempt == CODE_ATTEMPTS - 1:
                raise


@transaction.atomic
def classroom_create(*, teacher: User, name: str, subject: str = "") -> Classroom:
    """Create a class taught by `teacher`, with a new join code."""
    if not teacher.has_role(TEACHER):
        raise ValidationError(
            {"teacher": _("%(user)s is not a teacher.") % {"user": teacher}}, code="not_a_teacher"
        )
    classroom = Classroom(teacher=teacher, name=name.strip(), subject=subject.strip())
    classroom.full_clean(exclude=["join_code"])

    def save():
        classroom.join_code = codes.generate()
        classroom.save(force_insert=True)
        classroom._state.adding = False

    _with_fresh_code(save)
    return classroom


@transaction.atomic
def join_code_reset(*, classroom: Classroom) -> str:
    """Give `classroom` a new join code; the old one stops working at once."""

    def save():
        classroom.join_code = codes.generate()
        classroom.save(update_fields=["join_code"])

    _with_fresh_code(save)
    return classroom.join_code


def classroom_for_code(typed: str) -> Classroom:
    """Return the active class whose join code is `typed` (any case, spaces and dashes ignored).

    JoinRefused when there is none: a wrong code and an archived class look the same.
    """
    code = codes.normalize(typed)
    if codes.is_well_formed(code):
        classroom = (
            Classroom.objects.active().select_related("teacher").filter(join_code=code).first()
        )
        if classroom is not None:
            return classroom
    raise JoinRefused(_("No class has this code. Check it with your teacher."), code="wrong_code")


@transaction.atomic
def enrollment_add(*, classroom: Classroom, student: User) -> bool:
    """Enroll `student` in `classroom`; return False when they were already in it.

    Two simultaneous calls make one row: the loser of the race meets the unique constraint.
    """
    if not student.has_role(STUDENT):
        raise ValidationError(
            {"student": _("%(user)s is not a student.") % {"user": student}},
            code="not_a_student",
        )
    try:
        with transaction.atomic():
            Enrollment.objects.create(classroom=classroom, student=student)
    except IntegrityError:
        if Enrollment.objects.filter(classroom=classroom, student=student).exists():
            return False
        raise
    return True


@transaction.atomic
def classroom_join(*, student: User, code: str) -> tuple[Classroom, bool]:
    """Enroll `student` in the active class of `code`; joining twice changes nothing.

    Return the class and whether the student was newly enrolled; JoinRefused for a code
    that opens no class.
    """
    classroom = classroom_for_code(code)
    return classroom, enrollment_add(classroom=classroom, student=student)


@transaction.atomic
def enrollment_remove(*, classroom: Classroom, student: User) -> bool:
    """Take `student` out of `classroom`; return whether they were in it."""
    deleted, _counts = Enrollment.objects.filter(classroom=classroom, student=student).delete()
    return deleted > 0


class Line(NamedTuple):
    """One line of a pasted list, and the student it names (None when it names none)."""

    text: str
    user: User | None = None


@dataclass
class AddResult:
    """What became of each distinct line of a pasted list: every line is in one list."""

    added: list[Line] = field(default_factory=list)
    already: list[Line] = field(default_factory=list)
    unknown: list[Line] = field(default_factory=list)
    not_students: list[Line] = field(default_factory=list)


@transaction.atomic
def enrollments_add(*, classroom: Classroom, identifiers: list[str]) -> AddResult:
    """Enroll the students named in `identifiers` (usernames or emails, any case).

    The others are reported, not refused: unknown names, and accounts that are not students.
    Two lines naming one student (a username and an email address) are both reported, with
    that student, who is enrolled once.
    """
    # One line per name in any case ("Bob" and "bob"), as first written.
    by_lowered: dict[str, str] = {}
    for identifier in identifiers:
        if identifier := identifier.strip():
            by_lowered.setdefault(identifier.lower(), identifier)
    found = User.objects.annotate(username_ci=Lower("username"), email_ci=Lower("email")).filter(
        Q(username_ci__in=set(by_lowered)) | Q(email_ci__in=set(by_lowered))
    )
    by_key: dict[str, User] = {}
    for user in found:
        if user.email:
            by_key.setdefault(user.email.lower(), user)
    for user in found:  # a username wins over another account's email address
        by_key[user.username.lower()] = user
    enrolled = set(
        Enrollment.objects.filter(classroom=classroom, student__in=found).values_list(
            "student_id", flat=True
        )
    )
    result = AddResult()
    new: dict[int, Enrollment] = {}
    for key, text in by_lowered.items():
        user = by_key.get(key)
        if user is None:
            result.unknown.append(Line(text))
        elif not user.has_role(STUDENT):
            result.not_students.append(Line(text))
        elif user.pk in enrolled:
            result.already.append(Line(text, user))
        else:
            result.added.append(Line(text, user))
            new.setdefault(user.pk, Enrollment(classroom=classroom, student=user))
    # A join that raced this request is no error: the pair is enrolled either way.
    Enrollment.objects.bulk_create(new.values(), ignore_conflicts=True)
    return result


def students_create(
    *, classroom: Classroom, names: Sequence[tuple[str, str]], grade: int
) -> list[tuple[User, str]]:
    """Create a student for each (first name, last name) and enroll them all in `classroom`.

    Each gets a readable username (`zoe.muller`, numbered when taken), no email, and a
    one-time password to change at the first login. Return each new student with that
    password, in the order of `names`: the only time anyone sees it.
    """
    if classroom.is_archived:
        raise ValidationError(_("This class is archived: reopen it to add students."))
    passwords = [one_time_password() for _name in names]
    # Hashed before the transaction opens (the hashing is most of the time), on every core.
    hashes = hash_passwords(passwords)
    # One audit entry for the class's new accounts, not one per account and profile.
    with transaction.atomic(), disable_auditlog():
        students = _students_insert(classroom=classroom, names=names, grade=grade)
        for student, encoded in zip(students, hashes, strict=True):
            student.password = encoded
            student.must_change_password = True
        User.objects.bulk_update(students, ["password", "must_change_password"])
        Enrollment.objects.bulk_create(
            Enrollment(classroom=classroom, student=student) for student in students
        )
        audit_bulk(
            model=User,
            operation="students created by teacher",
            counts={"created": len(students)},
            classroom=classroom.pk,
            usernames=[student.get_username() for student in students],
        )
    audit.info(
        "students created: %s (id %s) created %d student accounts in class %r (id %s) at %s: %s",
        classroom.teacher.get_username(),
        classroom.teacher_id,
        len(students),
        classroom.name,
        classroom.pk,
        timezone.now().isoformat(),
        ", ".join(student.get_username() for student in students),
    )
    return list(zip(students, passwords, strict=True))


def _students_insert(
    *, classroom: Classroom, names: Sequence[tuple[str, str]], grade: int
) -> list[User]:
    """Insert a student, without a usable password yet, for each name; in the order of `names`."""
    bases = [
        usernames.username_for(first, last, fallback=USERNAME_FALLBACK) for first, last in names
    ]
    chosen = usernames.available_usernames(bases)
    taken = list(chosen)
    created: dict[int, User] = {}
    # Inserted in the order of the usernames, whatever the order of the lines: two requests
    # that wait on each other's names then wait in the same order, and never deadlock.
    for index in sorted(range(len(names)), key=lambda index: chosen[index]):
        first, last = names[index]
        created[index] = _student_create(
            base=bases[index],
            username=chosen[index],
            taken=taken,
            first_name=first,
            last_name=last,
            grade=grade,
        )
    return [created[index] for index in range(len(names))]


def _student_create(*, base: str, username: str, taken: list[str], **fields) -> User:
    # user_create inserts in a savepoint of its own: a clash rolls back that account only.
    for attempt in range(USERNAME_ATTEMPTS):
        try:
            return user_create(role=STUDENT, username=username, email="", **fields)
        except ValidationError as error:
            # Taken since we looked (a request that committed meanwhile): look again.
            if "username" not in getattr(error, "error_dict", {}):
                raise
            if attempt == USERNAME_ATTEMPTS - 1:
                raise
            (username,) = usernames.available_usernames([base], taken=taken)
            taken.append(username)
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def student_password_reset(*, classroom: Classroom, student: User, by: User) -> str:
    """Give `student` of `classroom` a new one-time password; return it, to show this once.

    Their sessions end, and they must choose their own password at the next login. `by`
    (the class's teacher) is logged as having done it.
    """
    if not student.has_role(STUDENT) or not classroom.enrollments.filter(student=student).exists():
        raise ValidationError(
            _("%(user)s is not a student of this class.") % {"user": student},
            code="not_in_class",
        )
    with disable_auditlog():  # one entry, this one, rather than "password changed" too
        password = password_set_by_other(user=student)
    audit_event(instance=student, event="password reset by teacher", classroom=classroom.pk)
    audit.info(
        "password reset: %s (id %s) reset the password of %s (id %s) in class %r (id %s) at %s",
        by.get_username(),
        by.pk,
        student.get_username(),
        student.pk,
        classroom.name,
        classroom.pk,
        timezone.now().isoformat(),
    )
    return password
