"""Email to many accounts, sent outside the request (Django's tasks API, django-tasks).

A task receives account ids (JSON, as the database backend stores them), loads the accounts
when it runs and emails those that still have an address and are still active: a change
made between the enqueue and the worker is respected. `manage.py db_worker` runs them in
production; the immediate backend runs them at once in tests and `make run`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django_tasks import task
from django_tasks.base import Task

from . import roles
from .models import User

logger = logging.getLogger(__name__)

# Ids per task: a 5,000-account selection is 10 enqueues (one INSERT each), not 5,000.
CHUNK_SIZE = 500


def enqueue_in_chunks(task_: Task, ids: Sequence[int], **kwargs: object) -> int:
    """Enqueue `task_` once per CHUNK_SIZE of `ids` (passed as `user_ids`); return how many."""
    chunks = [list(ids[start : start + CHUNK_SIZE]) for start in range(0, len(ids), CHUNK_SIZE)]
    for chunk in chunks:
        task_.enqueue(user_ids=chunk, **kwargs)
    return len(chunks)


@task()
def password_reset_email(*, user_ids: list[int], domain: str, use_https: bool) -> dict:
    """Email each of `user_ids` a password reset link (Django's token and templates).

    Django's form logs a mail server's refusal itself: such an email counts as sent here.
    """
    from .forms import PasswordResetForm

    def send(user: User) -> bool:
        # The site's own reset form: the same link and email as the "Forgot your password?" page.
        form = PasswordResetForm({"email": user.email})
        if not form.is_valid():
            return False
        form.save(domain_override=domain, use_https=use_https)
        return True

    return _send_each(user_ids, send)


@task()
def approved_email(*, user_ids: list[int], login_url: str) -> dict:
    """Tell each of `user_ids` that their account was approved and where to log in."""
    connection = get_connection()  # one SMTP connection for the whole chunk

    def send(user: User) -> bool:
        context = {"user": user, "role_config": roles.find(user.role), "login_url": login_url}
        subject = render_to_string("accounts/email/approved_subject.txt", context).strip()
        body = render_to_string("accounts/email/approved_message.txt", context)
        return bool(EmailMessage(subject, body, to=[user.email], connection=connection).send())

    with connection:
        return _send_each(user_ids, send)


def _send_each(user_ids: Iterable[int], send: Callable[[User], bool]) -> dict:
    """Call `send` for each active account of `user_ids` with an address; count the outcomes.

    One address that fails is logged and counted, and the others are still sent.
    """
    counts = {"sent": 0, "failed": 0, "no_address": 0, "inactive": 0, "missing": 0}
    users = list(User.objects.filter(pk__in=user_ids).order_by("pk"))
    counts["missing"] = len(set(user_ids)) - len(users)  # deleted since the enqueue
    for user in users:
        if not user.is_active:
            counts["inactive"] += 1
        elif not user.email:
            counts["no_address"] += 1
        else:
            try:
                sent = send(user)
            except Exception:
                logger.exception("Could not email user %s.", user.pk)
                sent = False
            counts["sent" if sent else "failed"] += 1
    return counts
