"""Recording and ending a user's sessions."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest

from accounts.security import client_ip

from .models import UserSession

USER_AGENT_MAX = UserSession._meta.get_field("user_agent").max_length


def session_store():
    """Return the session engine's SessionStore class (cached_db in production)."""
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_record(*, request: HttpRequest, user: AbstractBaseUser) -> UserSession:
    """Record the session `user` has just logged in with (its key is new: login cycles it)."""
    if request.session.session_key is None:
        request.session.save()  # a session engine that defers creating the key
    session, _ = UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "user_agent": request.headers.get("user-agent", "")[:USER_AGENT_MAX],
            "ip_address": client_ip(request) or None,
        },
    )
    return session


def sessions_end(*, user: AbstractBaseUser, keep: str | None = None) -> int:
    """End every session of `user` except the one whose key is `keep`; return how many.

    Through the session engine, so cached_db drops the cached copy as well as the row: every
    app instance shares that cache (production settings refuse an in-process one).
    """
    store = session_store()
    with transaction.atomic():
        keys = list(
            UserSession.objects.filter(user=user)
            .exclude(session_key=keep or "")
            .select_for_update()
            .values_list("session_key", flat=True)
        )
        for key in keys:
            store(session_key=key).delete()
        UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)
