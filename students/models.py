from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.managers import RoleManager
from accounts.models import Profile, User


class Student(User):
    objects = RoleManager()

    class Meta:
        proxy = True


GRADES = [(grade, _("Grade %(grade)d") % {"grade": grade}) for grade in range(1, 13)]


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
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        db_index=True,  # the admin's grade filter, on a whole school
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=12),
                name="students_profile_grade_1_to_12",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_grade_display())
