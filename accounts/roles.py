"""The registry of roles: what each role app adds to the core (its proxy, profile, pages).

A role app registers itself from its `AppConfig.ready()`, so the core never imports it
and a new role is one more app.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role, User


class SignupPolicy(models.TextChoices):
    """Who may register themselves as a user of a role."""

    OPEN = "open", _("Anyone may register")
    # The account is made inactive; staff approve (activate) it from the admin.
    APPROVAL = "approval", _("Registrations await staff approval")
    # Only staff (admin) and operators (commands) create accounts of this role.
    CLOSED = "closed", _("Registration is closed")


@dataclass(frozen=True)
class RoleConfig:
    role: Role
    proxy: type[User]
    profile_model: type[models.Model]
    # The profile fields a user of this role fills in, in form and CSV order.
    profile_fields: tuple[str, ...]
    # The URL namespace of the role's register, login and home pages.
    namespace: str
    # One line for the landing page: what this role finds on the site.
    summary: str = ""
    # The name of the setting holding this role's SignupPolicy; None means always open.
    signup_setting: str | None = None

    @cached_property
    def profile_accessor(self) -> str:
        """Return the name of the user's reverse one-to-one accessor for the profile."""
        return self.profile_model._meta.get_field("user").related_query_name()

    def url(self, name: str) -> str:
        return reverse(f"{self.namespace}:{name}")

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
    def signup_open(self) -> bool:
        """Whether visitors may register themselves as this role (perhaps pending approval)."""
        return self.signup_policy != SignupPolicy.CLOSED

    @property
    def label(self) -> str:
        return str(self.role.label).lower()


_registry: dict[Role, RoleConfig] = {}


def register(config: RoleConfig) -> None:
    _registry[config.role] = config


def get(role: str) -> RoleConfig:
    try:
        return _registry[Role(role)]
    except (KeyError, ValueError):
        raise LookupError(f"No role app is registered for role {role!r}.") from None


def find(role: str) -> RoleConfig | None:
    try:
        return get(role)
    except LookupError:
        return None


def registered() -> list[RoleConfig]:
    return list(_registry.values())


def for_profile(profile_model: type[models.Model]) -> RoleConfig | None:
    """Return the role whose profile is `profile_model`, or None."""
    return next((c for c in _registry.values() if c.profile_model is profile_model), None)


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
        return config.url("login")
    return reverse("login")
