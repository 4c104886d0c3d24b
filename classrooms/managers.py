"""Reads of classes, each scoped to the user asking: what is not yours is not found."""

from __future__ import annotations

from django.db import models


class ClassroomQuerySet(models.QuerySet):
    def taught_by(self, user) -> ClassroomQuerySet:
        """Return the classes `user` teaches (none for anyone else)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(teacher=user)

    def attended_by(self, user) -> ClassroomQuerySet:
        """Return the classes `user` is enrolled in."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=user.enrollments.values("classroom"))

    def visible_to(self, user) -> ClassroomQuerySet:
        """Return the classes `user` teaches or attends: the ones whose page they may open."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(teacher=user) | models.Q(pk__in=user.enrollments.values("classroom"))
        )

    def active(self) -> ClassroomQuerySet:
        return self.filter(is_archived=False)

    def archived(self) -> ClassroomQuerySet:
        return self.filter(is_archived=True)

    def with_student_count(self) -> ClassroomQuerySet:
        return self.annotate(student_count=models.Count("enrollments"))
