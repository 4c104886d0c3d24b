import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.managers import RoleManager
from accounts.models import Profile, User


class Student(User):
    objects = RoleManager()

    class Meta:
        proxy = True


LAST_GRADE = 12
GRADES = [(grade, _("Grade %(grade)d") % {"grade": grade}) for grade in range(1, LAST_GRADE + 1)]


class StudentProfile(Profile):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="student_profile",
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"),
        choices=GRADES,
        validators=[MinValueValidator(1), MaxValueValidator(LAST_GRADE)],
        db_index=True,  # the admin's grade filter, on a whole school
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=LAST_GRADE),
                name="students_profile_grade_1_to_12",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_grade_display())


def validate_school_year(value: str) -> None:
    """Accept a school year written YYYY-YYYY, the second year following the first."""
    match = re.fullmatch(r"(\d{4})-(\d{4})", value)
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ValidationError(
            _("Enter a school year as two following years, like 2026-2027."), code="invalid"
        )


class SchoolYearRollover(models.Model):
    """A record of students moved up a grade: a whole school year, or a selection in the admin."""

    school_year = models.CharField(
        _("school year"),
        max_length=9,
        blank=True,
        validators=[validate_school_year],
        help_text=_("Empty when staff moved up selected students from the admin."),
    )
    ran_at = models.DateTimeField(_("ran at"), default=timezone.now)
    ran_by = models.CharField(
        _("ran by"),
        max_length=150,
        help_text=_("The operator's login on the server, or the staff user's username."),
    )
    # The text above stays when the staff account is deleted.
    ran_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff user"),
    )
    forced = models.BooleanField(
        _("forced"),
        default=False,
        help_text=_("Run again with --force for a school year already done."),
    )
    moved_up = models.PositiveIntegerField(_("moved up"))
    left_school = models.PositiveIntegerField(
        _("left school"), help_text=_("Students in grade 12, deactivated.")
    )

    class Meta:
        verbose_name = _("school year rollover")
        verbose_name_plural = _("school year rollovers")
        ordering = ["-ran_at", "-pk"]
        constraints = [
            # Once a school year; a run with --force is recorded as forced.
            models.UniqueConstraint(
                fields=["school_year"],
                condition=models.Q(forced=False) & ~models.Q(school_year=""),
                name="students_rollover_once_a_school_year",
            )
        ]

    def __str__(self) -> str:
        return self.school_year or str(_("selected students"))
