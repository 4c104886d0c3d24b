from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from students.apps import StudentsConfig
from teachers.apps import TeachersConfig

from . import codes
from .managers import ClassroomQuerySet

STUDENT = StudentsConfig.role
TEACHER = TeachersConfig.role


class Classroom(models.Model):
    """A class: one teacher, the students enrolled in it, and the code that lets them join."""

    name = models.CharField(_("name"), max_length=100)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    # PROTECT: a teacher who leaves has their classes handed over or archived, not deleted.
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="classes_taught",
        limit_choices_to={"role": TEACHER},
        verbose_name=_("teacher"),
    )
    join_code = models.CharField(
        _("join code"), max_length=codes.LENGTH, unique=True, default=codes.generate
    )
    is_archived = models.BooleanField(
        _("archived"), default=False, help_text=_("An archived class accepts no one.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Enrollment",
        related_name="classes_attended",
        verbose_name=_("students"),
    )

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = [Lower("name"), "pk"]
        indexes = [models.Index(fields=["teacher", "is_archived"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.teacher_id is not None and not self.teacher.has_role(TEACHER):
            raise ValidationError(
                {"teacher": _("%(user)s is not a teacher.") % {"user": self.teacher}},
                code="not_a_teacher",
            )

    @property
    def join_code_display(self) -> str:
        return codes.display(self.join_code)


class Enrollment(models.Model):
    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("class")
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        limit_choices_to={"role": STUDENT},
        verbose_name=_("student"),
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"],
                name="classrooms_enrollment_once_per_class",
                violation_error_message=_("This student is already in this class."),
            )
        ]
        # The unique constraint's index serves the roster; this one, a student's classes.
        indexes = [models.Index(fields=["student", "classroom"])]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"

    def get_additional_data(self) -> dict:
        """Name the class and the student in the audit trail, for both their histories."""
        return {"classroom": self.classroom_id, "student": self.student_id}

    def clean(self) -> None:
        super().clean()
        if self.student_id is not None and not self.student.has_role(STUDENT):
            raise ValidationError(
                {"student": _("%(user)s is not a student.") % {"user": self.student}},
                code="not_a_student",
            )
