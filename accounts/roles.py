"""Roles: each role app declares itself once, with a RoleAppConfig; the rest derives from it.

The set of roles is the set of installed role apps, so the core names none of them and a new
role is one more app: its AppConfig gives the role's value and label, and its models module
holds a proxy of the user model and a profile model.
"""

from __future__ import annotations

import random
from functools import cached_property
from typing import TYPE_CHECKING

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Profile, User

# Superusers and staff, who belong to no role app.
ADMIN = "admin"
ADMIN_LABEL = _("Admin")


class SignupPolicy(models.TextChoices):
    """Who may register themselves as a user of a role."""

    OPEN = "open", _("Anyone may register")
    # The account is made inactive; staff approve (activate) it from the admin.
    APPROVAL = "approval", _("Registrations await staff approval")
    # Only staff (admin) and operators (commands) create accounts of this role.
    CLOSED = "closed", _("Registration is closed")


class RoleAppConfig(AppConfig):
    """The config of an app that adds a role. List the app in INSTALLED_APPS.

    Its models module must hold one proxy of the user model (the role's users) and one
    subclass of `accounts.models.Profile` (the role's own data); its URLconf, with the
    app's label as namespace, the pages `register`, `login` and `home`.
    """

    # Not a config of its own: Django picks, in a role app's apps.py, the one subclass.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.default = cls.__dict__.get("default", True)

    # The value stored in `User.role`, and how people call it.
    role: str
    role_label: str
    # The profile fields a user of the role fills in, in form and CSV order.
    profile_fields: tuple[str, ...]
    # Those of the profile fields a user may change themselves on /accounts/profile/; the
    # rest are the school's (staff and operators change them).
    self_editable_fields: tuple[str, ...] = ()
    # One line for the landing page: what users of this role find on the site.
    summary: str = ""
    # The setting that holds who may sign up as this role; None means always open.
    signup_setting: str | None = None
    # The setting that holds whether the role's users may or must use two-factor login
    # ("off", "optional", "required"; twofactor.policy); None means optional.
    two_factor_setting: str | None = None
    # How many accounts of the role `manage.py seed_demo` makes by default.
    demo_count: int = 0
    # Who may browse the role's directory (/directory/<label>/): users of these roles, and
    # staff; None: every logged-in user.
    directory_viewers: tuple[str, ...] | None = None
    # The account fields the directory shows and searches besides the name (its profile
    # fields are shown too). The least that does the job: no email addresses.
    directory_fields: tuple[str, ...] = ()
    # Whether an account of the role needs an email address. Without one, its owner cannot
    # reset a forgotten password by themselves: `password_reset_help` tells them who can.
    email_required: bool = True
    # A line on the password reset page for users of the role who cannot use it ("" for none).
    password_reset_help: str = ""

    def ready(self) -> None:
        from .models import Profile, User

        self.proxy: type[User] = self._one_model(
            "a proxy of the user model", lambda model: model._meta.proxy and issubclass(model, User)
        )
        self.profile_model: type[Profile] = self._one_model(
            "a subclass of accounts.models.Profile", lambda model: issubclass(model, Profile)
        )
        if unknown := set(self.self_editable_fields) - set(self.profile_fields):
            raise ImproperlyConfigured(
                f"{type(self).__name__}.self_editable_fields names fields that are not among "
                f"its profile_fields: {', '.join(sorted(unknown))}."
            )

    def _one_model(self, what: str, test) -> type[models.Model]:
        found = [model for model in self.get_models() if test(model)]
        if len(found) != 1:
            raise ImproperlyConfigured(f"The role app {self.name} needs exactly one model, {what}.")
        return found[0]

    def demo_profile(self, rng: random.Random) -> dict:
        """Return valid profile values for a demo account (`manage.py seed_demo`)."""
        raise NotImplementedError(f"{type(self).__name__} must say what a demo profile holds.")

    @cached_property
    def profile_accessor(self) -> str:
        """Return the name of the user's reverse one-to-one accessor for the profile."""
        return self.profile_model._meta.get_field("user").related_query_name()

    @property
    def directory_search_fields(self) -> tuple[str, ...]:
        return ("first_name", "last_name", *self.directory_fields)

    def directory_visible_to(self, user) -> bool:
        """Whether `user` may browse this role's directory: False sends a visitor to log in,
        and anyone else who may not is refused (PermissionDenied, 403), as `role_required`."""
        if not user.is_authenticated:
            return False
        if user.is_staff or self.directory_viewers is None:
            return True
        if any(user.has_role(role) for role in self.directory_viewers):
            return True
        raise PermissionDenied

    @property
    def role_name(self) -> str:
        """Return the role's label for the middle of a sentence ("a guardian")."""
        return str(self.role_label).lower()

    @property
    def role_name_plural(self) -> str:
        """Return the plural of the role's users, for the middle of a sentence ("guardians")."""
        return str(self.proxy._meta.verbose_name_plural)

    def url(self, name: str) -> str:
        return reverse(f"{self.label}:{name}")

    @property
    def register_url(self) -> str:
        return self.url("register")

    @property
    def login_url(self) -> str:
        return self.url("login")

    @property
    def signup_policy(self) -> SignupPolicy:
        """Return the sign-up policy in force, read from settings on every call."""
        if self.signup_setting is None:
            return SignupPolicy.OPEN
        value = getattr(settings, self.signup_setting, SignupPolicy.OPEN)
        try:
            return SignupPolicy(value)
        except ValueError:
            choices = ", ".join(SignupPolicy.values)
            raise ImproperlyConfigured(
                f"{self.signup_setting} must be one of {choices}, not {value!r}."
            ) from None

    @property
    def signup_needs_approval(self) -> bool:
        """Whether a new account of this role waits, inactive, for staff to approve it."""
        return self.signup_policy == SignupPolicy.APPROVAL

    @property
    def signup_open(self) -> bool:
        """Whether visitors may register themselves as this role (perhaps pending approval)."""
        return self.signup_policy != SignupPolicy.CLOSED


def registered() -> list[RoleAppConfig]:
    """Return the installed role apps, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, RoleAppConfig)]


def choices() -> list[tuple[str, str]]:
    """Return the choices of `User.role`: admin, then each installed role."""
    return [(ADMIN, ADMIN_LABEL), *((config.role, config.role_label) for config in registered())]


def get(role: str) -> RoleAppConfig:
    """Return the app of `role`; LookupError when no installed app declares it."""
    for config in registered():
        if config.role == role:
            return config
    raise LookupError(f"No role app is installed for role {role!r}.")


def find(role: str) -> RoleAppConfig | None:
    try:
        return get(role)
    except LookupError:
        return None


def for_profile(profile_model: type[models.Model]) -> RoleAppConfig | None:
    """Return the role whose profile is `profile_model`, or None."""
    return next((c for c in registered() if c.profile_model is profile_model), None)


def label(role: str) -> str:
    """Return how people call `role` (its label), for any value `User.role` may hold."""
    return str(dict(choices()).get(role, role))


def home_url(user) -> str | None:
    """Return the URL of `user`'s own home page, or None when they have none."""
    if not user.is_authenticated:
        return None
    if config := find(user.role):
        return config.url("home")
    if user.is_staff:
        return reverse("admin:index")
    return None


def login_url(role: str) -> str:
    """Return the login page meant for users of `role`."""
    if config := find(role):
        return config.login_url
    return reverse("login")
