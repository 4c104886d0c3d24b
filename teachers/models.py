from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.managers import RoleManager
from accounts.models import Profile, User


class Teacher(User):
    objects = RoleManager()

    class Meta:
        proxy = True


class TeacherProfile(Profile):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="teacher_profile",
    )
    # Indexed for the admin's subject filter.
    subject = models.CharField(_("subject"), max_length=100, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(subject=""), name="teachers_profile_subject_required"
            )
        ]

    def __str__(self) -> str:
        return self.subject
