"""The classes section of a user's own data download (accounts.data, /accounts/data/)."""

from __future__ import annotations

from typing import Any

from .models import TEACHER, Classroom, Enrollment


def user_classes(user) -> dict[str, list[dict[str, Any]]]:
    """Return the classes `user` attends (and, for a teacher, teaches), without classmates."""
    enrollments = (
        Enrollment.objects.filter(student=user)
        .select_related("classroom__teacher")
        .order_by("joined_at", "pk")
    )
    section = {
        "attended": [
            {
                "name": enrollment.classroom.name,
                "subject": enrollment.classroom.subject,
                "teacher": _name(enrollment.classroom.teacher),
                "joined_at": enrollment.joined_at,
            }
            for enrollment in enrollments
        ]
    }
    if user.has_role(TEACHER):
        # A count of students, not the students: their data is theirs to download.
        classes = Classroom.objects.taught_by(user).with_student_count().order_by("created_at")
        section["taught"] = [
            {
                "name": classroom.name,
                "subject": classroom.subject,
                "join_code": classroom.join_code,
                "is_archived": classroom.is_archived,
                "created_at": classroom.created_at,
                "student_count": classroom.student_count,
            }
            for classroom in classes
        ]
    return section


def _name(user) -> str:
    return user.get_full_name() or user.get_username()
