"""Writes that span more than one row: every way of creating an account goes through here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from . import roles
from .models import User
from .passwords import one_time_password


def user_create(
    *,
    role: str,
    username: str,
    email: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    is_active: bool = True,
    must_change_password: bool = False,
    **profile: object,
) -> User:
    """Create a user of `role` together with their profile, both or neither.

    The values are those a form has validated. `password=None` leaves the account without
    a usable password; `is_active=False` makes an account that cannot log in until staff
    approve it; `must_change_password=True` (a password someone else chose) has its owner
    choose their own right after logging in. A username or email taken meanwhile (regardless of case) raises
    ValidationError naming the field.
    """
    try:
        with transaction.atomic():
            user = roles.get(role).proxy.objects.create_user(
                username=username,
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                is_active=is_active,
                must_change_password=must_change_password,
            )
            profile_create(user=user, **profile)
    except IntegrityError as exc:
        # Another request took the name between the form's check and our insert.
        raise _taken_error(username=username, email=email) or exc from exc
    return user


def password_set_by_other(*, user: User, password: str | None = None) -> str:
    """Give `user` a password chosen for them (a new one-time password by default).

    They must replace it at their next login. Their sessions end: Django's session check
    compares a hash of the password. Return the password, to show its owner this once.
    """
    password = password or one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password


def profile_create(*, user: User, **fields: object) -> models.Model:
    """Create the profile of `user`'s role with `fields` (one INSERT)."""
    return roles.get(user.role).profile_model.objects.create(user=user, **fields)


def _taken_error(*, username: str, email: str) -> ValidationError | None:
    errors = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("A user with that username already exists.")
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("A user with that email address already exists.")
    return ValidationError(errors) if errors else None


def users_set_active(users: models.QuerySet, *, active: bool) -> int:
    """Activate or deactivate `users`; return how many changed."""
    return users.exclude(is_active=active).update(is_active=active)


def users_approve(users: models.QuerySet, *, login_url: str) -> int:
    """Activate the inactive `users` and email each that they may log in at `login_url`."""
    pending = list(users.filter(is_active=False))
    User.objects.filter(pk__in=[user.pk for user in pending]).update(is_active=True)
    messages = []
    for user in pending:
        context = {"user": user, "role_config": roles.find(user.role), "login_url": login_url}
        subject = render_to_string("accounts/email/approved_subject.txt", context).strip()
        body = render_to_string("accounts/email/approved_message.txt", context)
        messages.append((subject, body, None, [user.email]))
    send_mass_mail(messages, fail_silently=False)
    return len(pending)


def password_reset_send(users: models.QuerySet, *, request: HttpRequest) -> int:
    """Email `users` a password reset link (Django's flow); return how many were sent."""
    from .forms import PasswordResetForm

    sent = 0
    for email in users.filter(is_active=True).exclude(email="").values_list("email", flat=True):
        form = PasswordResetForm({"email": email})
        if form.is_valid():
            form.save(request=request, use_https=request.is_secure())
            sent += 1
    return sent
