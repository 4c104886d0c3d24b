from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .managers import UserManager


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    # Superusers and staff who are neither student nor teacher.
    ADMIN = "admin", _("Admin")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ADMIN)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=_("A user with that username already exists."),
            ),
            # Admins may have no email; everyone who has one has their own.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("A user with that email address already exists."),
            ),
        ]
        indexes = [models.Index(fields=["role", "last_name", "first_name", "username"])]

    def has_role(self, role: Role) -> bool:
        return self.role == role

    @property
    def is_student(self) -> bool:
        return self.has_role(Role.STUDENT)

    @property
    def is_teacher(self) -> bool:
        return self.has_role(Role.TEACHER)

    @property
    def profile(self):
        """Return the profile of this user's role, or None (admins have none)."""
        from . import roles

        config = roles.find(self.role)
        return getattr(self, config.profile_accessor, None) if config else None
