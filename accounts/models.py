from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from . import roles
from .managers import UserManager


class User(AbstractUser):
    # The choices are the installed role apps' (a callable: migrations store the reference, so
    # adding a role app changes no migration of this app) and `admin` for staff.
    role = models.CharField(_("role"), max_length=16, choices=roles.choices, default=roles.ADMIN)
    # Set when someone else chose the password (staff, an operator, another user looking after
    # the account): its owner must choose their own right after logging in
    # (accounts.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("The user must choose a new password at their next login."),
    )

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
        indexes = [
            models.Index(fields=["role", "last_name", "first_name", "username"]),
            # The admin's changelists: one role, ordered by username or date joined.
            models.Index(fields=["role", "username"]),
            models.Index(fields=["role", "date_joined"]),
        ]

    def has_role(self, role: str) -> bool:
        return self.role == role

    @property
    def profile(self):
        """Return the profile of this user's role, or None (admins have none)."""
        config = roles.find(self.role)
        return getattr(self, config.profile_accessor, None) if config else None


class Profile(models.Model):
    """Base of every role's profile: it belongs to a user of that role and no other."""

    class Meta:
        abstract = True

    def clean(self) -> None:
        """Refuse a profile attached to a user of another role (one role's data on another)."""
        super().clean()
        config = roles.for_profile(type(self))
        if config is None or self.user_id is None or self.user.has_role(config.role):
            return
        raise ValidationError(
            _("%(user)s is a %(role)s; only a %(profile_role)s has a %(profile)s."),
            code="wrong_role",
            params={
                "user": self.user.get_username(),
                "role": roles.label(self.user.role).lower(),
                "profile_role": config.role_name,
                "profile": self._meta.verbose_name,
            },
        )
