"""Classes in bulk: the CSV format that `import_classes` reads and `export_classes` writes.

One row per enrollment, `class_name,subject,teacher_username,student_username`; a row with
no student makes (or names) the class alone. A class is its teacher's class of that name,
in any case. Import checks every row first, reports every bad line as `line N: reason`
(the header is line 1), then writes all rows or none.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from auditlog.context import disable_auditlog
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.bulk import BATCH_SIZE, BadFile, Progress, no_progress, read_csv
from accounts.models import User
from audit.services import audit_bulk

from . import services
from .models import STUDENT, TEACHER, Classroom, Enrollment

COLUMNS = ("class_name", "subject", "teacher_username", "student_username")
# Values per lookup query; a user lookup sends each twice (as typed and lowered).
LOOKUP_CHUNK = 2000


def _cell_fields() -> dict[str, forms.Field]:
    """Return a form field per column: the model's lengths and Django's own messages."""
    name = Classroom._meta.get_field("name")
    subject = Classroom._meta.get_field("subject")
    username = User._meta.get_field("username")
    return {
        "class_name": forms.CharField(max_length=name.max_length),
        "subject": forms.CharField(max_length=subject.max_length, required=False),
        "teacher_username": forms.CharField(max_length=username.max_length),
        "student_username": forms.CharField(max_length=username.max_length, required=False),
    }


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    rows: int = 0
    classes_created: int = 0
    classes_found: int = 0
    subjects_set: int = 0
    enrollments_added: int = 0
    enrollments_already: int = 0

    @property
    def changes(self) -> int:
        return self.classes_created + self.subjects_set + self.enrollments_added


@dataclass
class _Class:
    """A class the file names: an existing one, or one to create from its first row."""

    line: int
    name: str
    teacher: User
    subject: str = ""
    subject_line: int = 0
    existing: Classroom | None = None


def classes_import(
    *, file: TextIO, dry_run: bool = False, progress: Progress = no_progress
) -> ImportResult:
    """Create the classes and enrollments of the CSV `file`, all or none.

    An existing class (same teacher, same name in any case, not archived) is used as it
    is and keeps its subject, unless it has none: then it takes the file's. Enrollments
    already there are counted, not repeated, so importing a file twice changes nothing.
    Raise BadFile listing every bad line. `file` should be opened with
    `encoding="utf-8-sig", newline=""`; `progress` wraps the long loops (e.g. `tqdm`).
    """
    header, records = read_csv(file, columns=COLUMNS)
    fields = _cell_fields()
    errors: dict[int, list[str]] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    for line, record in progress(records, desc=_("Checking"), unit="row"):
        if len(record) != len(header):
            errors.setdefault(line, []).append(
                _("expected %(expected)d fields, found %(found)d")
                % {"expected": len(header), "found": len(record)}
            )
            continue
        data, row_errors = {}, []
        for name, value in zip(header, record, strict=True):
            try:
                data[name] = fields[name].clean(value)
            except ValidationError as error:
                row_errors.append(f"{name}: {' '.join(error.messages)}")
        if row_errors:
            errors.setdefault(line, []).extend(row_errors)
        else:
            rows.append((line, data))
    if not rows and not errors:
        raise BadFile([_("the file has a header but no rows")])

    users = _users({data[name] for _line, data in rows for name in COLUMNS[2:] if data[name]})
    existing = _classes({user.pk for user in users.values() if user.has_role(TEACHER)})
    classes: dict[tuple[int, str], _Class] = {}
    pairs: dict[tuple[int, str], dict[int, int]] = {}  # class -> student id -> line
    for line, data in rows:
        reasons = _row_problems(data, users)
        if reasons:
            errors.setdefault(line, []).extend(reasons)
            continue
        teacher = users[data["teacher_username"].lower()]
        key = (teacher.pk, data["class_name"].lower())
        target = classes.get(key)
        if target is None:
            found, problem = _existing(existing.get(key, []), data["class_name"], teacher)
            if problem:
                errors.setdefault(line, []).append(problem)
                continue
            target = classes[key] = _Class(line, data["class_name"], teacher, existing=found)
        if subject := data["subject"]:
            if target.subject and subject != target.subject:
                errors.setdefault(line, []).append(
                    _("subject %(subject)s differs from %(earlier)s on line %(line)d")
                    % {"subject": subject, "earlier": target.subject, "line": target.subject_line}
                )
                continue
            if not target.subject:
                target.subject, target.subject_line = subject, line
        if student_name := data["student_username"]:
            student = users[student_name.lower()]
            enrolled = pairs.setdefault(key, {})
            if student.pk in enrolled:
                errors.setdefault(line, []).append(
                    _("student %(student)s is in class %(name)s on line %(line)d already")
                    % {"student": student_name, "name": target.name, "line": enrolled[student.pk]}
                )
                continue
            enrolled[student.pk] = line
    if errors:
        raise BadFile(
            [f"line {line}: {'; '.join(reasons)}" for line, reasons in sorted(errors.items())]
        )

    already = _enrolled([c.existing.pk for c in classes.values() if c.existing])
    result = ImportResult(rows=len(rows))
    for key, target in classes.items():
        if target.existing is None:
            result.classes_created += 1
        else:
            result.classes_found += 1
            result.subjects_set += bool(target.subject and not target.existing.subject)
        for student_id in pairs.get(key, {}):
            if target.existing and (target.existing.pk, student_id) in already:
                result.enrollments_already += 1
            else:
                result.enrollments_added += 1
    if not dry_run:
        # One entry for the whole file, in the same transaction, not one per class; none
        # when the file changes nothing.
        with transaction.atomic(), disable_auditlog():
            _write(classes, pairs, already, progress)
            if result.changes:
                audit_bulk(
                    model=Classroom,
                    operation="import",
                    counts={
                        "classes created": result.classes_created,
                        "subjects set": result.subjects_set,
                        "enrollments added": result.enrollments_added,
                        "enrollments already": result.enrollments_already,
                    },
                )
    return result


def _row_problems(data: dict[str, str], users: dict[str, User]) -> list[str]:
    """Return what is wrong with the people a row names: unknown, or of the wrong role."""
    reasons = []
    for column, role, label in (
        ("teacher_username", TEACHER, _("a teacher")),
        ("student_username", STUDENT, _("a student")),
    ):
        if not (username := data[column]):
            continue
        user = users.get(username.lower())
        names = {"column": column, "username": username, "label": label}
        if user is None:
            reasons.append(_("%(column)s: no user %(username)s") % names)
        elif not user.has_role(role):
            reasons.append(_("%(column)s: %(username)s is not %(label)s") % names)
    return reasons


def _existing(
    candidates: list[Classroom], name: str, teacher: User
) -> tuple[Classroom | None, str]:
    """Return the class a row names among its teacher's classes of that name, or why not."""
    active = [c for c in candidates if not c.is_archived]
    names = {"name": name, "teacher": teacher.username}
    if len(active) == 1:
        return active[0], ""
    if len(active) > 1:
        return None, _(
            "%(teacher)s has %(count)d classes named %(name)s; rename one in the admin"
        ) % {**names, "count": len(active)}
    if candidates:
        return None, _("class %(name)s of %(teacher)s is archived") % names
    return None, ""


def _users(usernames: set[str]) -> dict[str, User]:
    """Return the users named in `usernames`, any case, by lowered username."""
    typed = sorted(usernames)
    found: dict[str, User] = {}
    for start in range(0, len(typed), LOOKUP_CHUNK):
        chunk = typed[start : start + LOOKUP_CHUNK]
        # As typed too: SQLite's LOWER() folds ASCII letters only.
        query = User.objects.annotate(key=Lower("username")).filter(
            Q(username__in=chunk) | Q(key__in=[name.lower() for name in chunk])
        )
        for user in query.only("username", "role"):
            found[user.username.lower()] = user
    return found


def _classes(teacher_ids: set[int]) -> dict[tuple[int, str], list[Classroom]]:
    """Return the classes of these teachers, by teacher id and lowered name."""
    ids = sorted(teacher_ids)
    classes: dict[tuple[int, str], list[Classroom]] = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        query = Classroom.objects.filter(teacher_id__in=ids[start : start + LOOKUP_CHUNK])
        for classroom in query.only("name", "subject", "teacher_id", "is_archived"):
            classes.setdefault((classroom.teacher_id, classroom.name.lower()), []).append(classroom)
    return classes


def _enrolled(classroom_ids: list[int]) -> set[tuple[int, int]]:
    """Return the (class id, student id) pairs enrolled in these classes."""
    pairs: set[tuple[int, int]] = set()
    for start in range(0, len(classroom_ids), LOOKUP_CHUNK):
        pairs.update(
            Enrollment.objects.filter(
                classroom_id__in=classroom_ids[start : start + LOOKUP_CHUNK]
            ).values_list("classroom_id", "student_id")
        )
    return pairs


def _write(
    classes: dict[tuple[int, str], _Class],
    pairs: dict[tuple[int, str], dict[int, int]],
    already: set[tuple[int, int]],
    progress: Progress,
) -> None:
    new: list[Enrollment] = []
    try:
        with transaction.atomic():
            for key, target in progress(classes.items(), desc=_("Classes"), unit="class"):
                classroom = target.existing
                if classroom is None:
                    classroom = services.classroom_create(
                        teacher=target.teacher, name=target.name, subject=target.subject
                    )
                elif target.subject and not classroom.subject:
                    classroom.subject = target.subject
                    classroom.save(update_fields=["subject"])
                new += [
                    Enrollment(classroom=classroom, student_id=student_id)
                    for student_id in pairs.get(key, {})
                    if (classroom.pk, student_id) not in already
                ]
            for start in progress(
                range(0, len(new), BATCH_SIZE), desc=_("Enrolling"), unit="batch"
            ):
                # A student who joins while we write is no error: the pair is there either way.
                Enrollment.objects.bulk_create(
                    new[start : start + BATCH_SIZE], ignore_conflicts=True
                )
    except (IntegrityError, ValidationError) as exc:
        # A user changed or a class appeared while we checked, or the database refused a value.
        raise BadFile(
            [_("the database refused the rows, nothing was imported: %s") % exc]
        ) from None


def classes_export(*, file: TextIO, queryset: models.QuerySet | None = None) -> int:
    """Write the active classes (or `queryset` of classes) as CSV that classes_import reads.

    One row per enrollment, ordered by teacher, class and student; a class without
    students is one row with no student. Return the number of rows.
    """
    if queryset is None:
        queryset = Classroom.objects.active()
    writer = csv.writer(file)
    writer.writerow(COLUMNS)
    count = 0
    for row in _rows(queryset):
        writer.writerow(["" if cell is None else cell for cell in row])
        count += 1
    return count


def _rows(queryset: models.QuerySet) -> Iterator[tuple]:
    # One query, streamed: a LEFT JOIN gives the student-less classes a row of their own.
    return (
        queryset.order_by(
            Lower("teacher__username"), Lower("name"), "pk", Lower("enrollments__student__username")
        )
        .values_list("name", "subject", "teacher__username", "enrollments__student__username")
        .iterator(chunk_size=BATCH_SIZE)
    )
