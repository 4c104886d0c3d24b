"""Writes that span more than one row: every way of creating an account goes through here."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from usersessions.services import sessions_end

from . import roles, tasks, tokens
from .models import User
from .passwords import one_time_password

logger = logging.getLogger(__name__)

# What account_change_notify tells an account's owner about (accounts/email/<change>_*.txt).
PASSWORD_CHANGED = "password_changed"
EMAIL_CHANGED = "email_changed"


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

    They must replace it at their next login. Every session of theirs ends. Return the
    password, to show its owner this once.
    """
    password = password or one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    sessions_end(user=user)
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


@dataclass(frozen=True)
class Mailing:
    """Emails queued for the worker, and the accounts left out and why."""

    queued: int = 0
    no_address: int = 0
    inactive: int = 0

    @property
    def skipped(self) -> int:
        return self.no_address + self.inactive


def _mailing(rows: list[tuple[int, str, bool]]) -> tuple[list[int], Mailing]:
    """Split (pk, email, is_active) rows into the ids to email and the counts."""
    inactive = sum(1 for _pk, _email, active in rows if not active)
    ids = [pk for pk, email, active in rows if active and email]
    return ids, Mailing(
        queued=len(ids), no_address=len(rows) - inactive - len(ids), inactive=inactive
    )


def users_approve(users: models.QuerySet, *, login_url: str) -> tuple[int, Mailing]:
    """Activate the inactive `users` and queue an email to each: they may log in at `login_url`.

    Return how many were approved, and the emails queued (accounts without an address get
    none).
    """
    with transaction.atomic():
        pending = list(users.filter(is_active=False).values_list("pk", "email"))
        User.objects.filter(pk__in=[pk for pk, _email in pending]).update(is_active=True)
        ids, mailing = _mailing([(pk, email, True) for pk, email in pending])
        tasks.enqueue_in_chunks(tasks.approved_email, ids, login_url=login_url)
    return len(pending), mailing


def password_reset_send(users: models.QuerySet, *, request: HttpRequest) -> Mailing:
    """Queue a password reset email (Django's flow) to each active one of `users`.

    The link points at the site `request` was made to. Inactive accounts and accounts
    without an address get none.
    """
    ids, mailing = _mailing(list(users.values_list("pk", "email", "is_active")))
    tasks.enqueue_in_chunks(
        tasks.password_reset_email, ids, domain=request.get_host(), use_https=request.is_secure()
    )
    return mailing


def profile_update(*, user: User, first_name: str, last_name: str, **profile: object) -> User:
    """Save `user`'s names and the given fields of their profile, all or none.

    The values are those a form has validated; which profile fields a user may change
    themselves is the form's business (`RoleAppConfig.self_editable_fields`).
    """
    with transaction.atomic():
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
        if profile:
            record = user.profile
            if record is None:
                raise ValueError(f"{user.get_username()} has no profile to update.")
            for name, value in profile.items():
                setattr(record, name, value)
            record.save(update_fields=list(profile))
    return user


def email_change_request(*, user: User, email: str, request: HttpRequest) -> None:
    """Email `email` a link that makes it `user`'s address once opened (accounts.tokens).

    When another account uses the address (in any letter case), that account's owner is told
    instead and no link is sent; the caller answers the same either way, so asking reveals
    nobody's address.
    """
    owner = User.objects.filter(email__iexact=email).exclude(pk=user.pk).first()
    if owner is not None:
        _send("email_taken", {"user": owner}, to=owner.email)
        return
    url = request.build_absolute_uri(reverse("email_confirm", args=[tokens.make(user, email)]))
    context = {"user": user, "email": email, "url": url, "days": tokens.MAX_AGE.days}
    _send("email_confirm", context, to=email)


def email_change_confirm(*, user: User, email: str) -> None:
    """Make `email` `user`'s address, then tell the old address (if any) of the change.

    ValidationError when another account has taken the address since the link was sent.
    """
    old = user.email
    taken = ValidationError(
        _("Another account uses this address now; ask for a link to another one."),
        code="unique_email",
    )
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise taken
    user.email = email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError as exc:  # taken between the check and the update
        user.email = old
        raise taken from exc
    account_change_notify(user=user, change=EMAIL_CHANGED, address=old)


def account_change_notify(*, user: User, change: str, address: str | None = None) -> bool:
    """Tell the owner of `user`'s account, by email, that `change` happened to it.

    `change` is PASSWORD_CHANGED or EMAIL_CHANGED (then `address` is the old address); the
    notice goes to `address`, by default the account's own. An account without an address
    gets none. The change is done by then: a mail server that fails is logged, not raised.
    Return whether a notice was sent.
    """
    address = user.email if address is None else address
    if not address:
        return False
    try:
        _send(change, {"user": user}, to=address)
    except Exception:
        logger.exception("Could not send the %s notice to user %s.", change, user.pk)
        return False
    return True


def _send(template: str, context: dict, *, to: str) -> None:
    """Send the email accounts/email/<template>_subject.txt and _message.txt to `to`."""
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}_message.txt", context)
    send_mail(subject, body, None, [to], fail_silently=False)
