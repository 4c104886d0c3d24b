"""Reads of classes, each scoped to the user asking: what is not yours is not found."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce


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
        """Annotate each class with `student_count`.

        A subquery, not Count("enrollments"): a GROUP BY would drop the model's default
        ordering, so a list read without order_by() would come back in any order.
        """
        enrollments = self.model._meta.get_field("enrollments").related_model.objects
        count = (
            enrollments.filter(classroom=models.OuterRef("pk"))
            .order_by()
            .values("classroom")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(student_count=Coalesce(models.Subquery(count), 0))
