"""Events recorded as they happen: logins, failed logins, password and two-factor changes."""

from __future__ import annotations

from auditlog.context import auditlog_disabled
from django.contrib.auth import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

from .services import audit_event

PASSWORD_CHANGED = "password changed"
LOGIN = "login"
LOGIN_FAILED = "login failed"
TWO_FACTOR_DEVICES = (TOTPDevice, StaticDevice)


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs) -> None:
    audit_event(instance=user, event=LOGIN, actor=user)


@receiver(user_login_failed)
def record_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # An unknown username has no account to hang an entry on: django-axes records those
    # (AccessAttempt / AccessFailureLog, in the admin).
    username = credentials.get(User.USERNAME_FIELD) or ""
    user = User.objects.filter(username__iexact=username).first() if username else None
    if user is not None:
        audit_event(instance=user, event=LOGIN_FAILED)


@receiver(post_save)
def record_password_change(sender, instance, created, **kwargs) -> None:
    # set_password() keeps the raw password in `_password` until save() has run: a change by
    # the owner, staff or a command. Logging in with an outdated hash clears it before saving.
    if created or not isinstance(instance, User) or auditlog_disabled.get():
        return
    if getattr(instance, "_password", None) is not None:
        audit_event(instance=instance, event=PASSWORD_CHANGED)


def device_event(device, change: str) -> None:
    """Record two-factor `change` ("enabled", "removed") on the device's user."""
    if auditlog_disabled.get():
        return
    kind = "recovery codes" if isinstance(device, StaticDevice) else "authenticator app"
    audit_event(instance=device.user, event=f"two-factor {change}", device=kind, name=device.name)


def remember_confirmed(sender, instance, **kwargs) -> None:
    # Devices are saved on every code checked (counters, throttling): only a change of
    # `confirmed` is worth an entry, and this is free (no query).
    instance._audit_confirmed = instance.confirmed if instance.pk else False


def record_device_saved(sender, instance, created, **kwargs) -> None:
    if instance.confirmed and not getattr(instance, "_audit_confirmed", False):
        device_event(instance, "enabled")
    instance._audit_confirmed = instance.confirmed


def record_device_deleted(sender, instance, **kwargs) -> None:
    if instance.confirmed:
        device_event(instance, "removed")


for device_model in TWO_FACTOR_DEVICES:
    post_init.connect(remember_confirmed, sender=device_model)
    post_save.connect(record_device_saved, sender=device_model)
    post_delete.connect(record_device_deleted, sender=device_model)
