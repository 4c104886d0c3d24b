"""Writes that span more than one row: every way of creating an account goes through here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from . import roles
from .models import Role, User


def user_create(
    *,
    role: Role,
    username: str,
    email: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    **profile: object,
) -> User:
    """Create a user of `role` together with their profile, both or neither.

    `password=None` leaves the account without a usable password. A username or email
    taken meanwhile (regardless of case) raises ValidationError naming the field.
    """
    config = roles.get(role)
    try:
        with transaction.atomic():
            user = config.proxy.objects.create_user(
                username=username,
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
            )
            profile_obj = config.profile_model(user=user, **profile)
            profile_obj.full_clean(exclude={"user"}, validate_unique=False)
            profile_obj.save()
    except IntegrityError as exc:
        # Another request took the name between the form's check and our insert.
        raise _taken_error(username=username, email=email) or exc
    return user


def _taken_error(*, username: str, email: str) -> ValidationError | None:
    errors = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("A user with that username already exists.")
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("A user with that email address already exists.")
    return ValidationError(errors) if errors else None
