"""Who may, and who must, use two-factor login: one place to ask."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from accounts import roles


class TwoFactorPolicy(models.TextChoices):
    """What a role's setting (`RoleAppConfig.two_factor_setting`, say TEACHER_2FA) says."""

    OFF = "off", _("Not available")
    OPTIONAL = "optional", _("Optional")
    # Set up after login, before anything else.
    REQUIRED = "required", _("Required")


def role_policy(user) -> TwoFactorPolicy:
    """Return the policy of `user`'s role, read from settings on every call."""
    config = roles.find(user.role)
    setting = config.two_factor_setting if config else None
    if setting is None:
        return TwoFactorPolicy.OPTIONAL
    value = getattr(settings, setting, TwoFactorPolicy.OPTIONAL)
    try:
        return TwoFactorPolicy(value)
    except ValueError:
        choices = ", ".join(TwoFactorPolicy.values)
        raise ImproperlyConfigured(f"{setting} must be one of {choices}, not {value!r}.") from None


def available(user) -> bool:
    """Whether `user` may set up two-factor login: staff always; others unless their role's is off."""
    return user.is_staff or role_policy(user) != TwoFactorPolicy.OFF


def required_everywhere(user) -> bool:
    """Whether `user` must pass a second factor before using any page (TEACHER_2FA=required)."""
    return role_policy(user) == TwoFactorPolicy.REQUIRED


def required(user) -> bool:
    """Whether `user` needs two-factor somewhere: everywhere, or (staff) for the admin."""
    return user.is_staff or required_everywhere(user)


def has_device(user) -> bool:
    """Whether `user` has a confirmed device, so their logins take a second step."""
    return user_has_device(user, confirmed=True)
