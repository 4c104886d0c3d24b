"""Recording, listing and ending a user's sessions."""

from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.security import client_ip

from .models import UserSession

USER_AGENT_MAX = UserSession._meta.get_field("user_agent").max_length

# Kept in the session itself: the key its UserSession row has, and when last_active was last
# written (a POSIX timestamp). Requests within SESSION_ACTIVITY_INTERVAL then write nothing,
# and a key cycled since (a password change cycles it) is noticed and carried over.
MARK = "_usersession"


def session_store() -> type[SessionBase]:
    """Return the session engine's SessionStore class (cached_db in production)."""
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_record(*, request: HttpRequest, user: AbstractBaseUser) -> UserSession:
    """Record the session `user` has just logged in with (its key is new: login cycles it)."""
    if request.session.session_key is None:
        request.session.save()  # a session engine that defers creating the key
    now = timezone.now()
    session, _ = UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "user_agent": request.headers.get("user-agent", "")[:USER_AGENT_MAX],
            "ip_address": client_ip(request) or None,
            "last_active": now,
        },
    )
    _mark(request, now)
    return session


def session_touch(*, request: HttpRequest) -> None:
    """Note that the logged-in user of `request` is active, in at most one write per interval.

    Within SESSION_ACTIVITY_INTERVAL of the last write, nothing is read or written. A session
    with no row (signed in before sessions were recorded) gets one; a row whose session key
    was cycled follows it to the new key.
    """
    session, now = request.session, timezone.now()
    recorded_key, written = session.get(MARK) or (None, None)
    key = session.session_key
    interval = settings.SESSION_ACTIVITY_INTERVAL.total_seconds()
    if recorded_key == key and written is not None and now.timestamp() - written < interval:
        return
    rows = UserSession.objects.filter(user=request.user, session_key=recorded_key or key)
    if rows.update(session_key=key, last_active=now):
        _mark(request, now)
    else:
        session_record(request=request, user=request.user)


def _mark(request: HttpRequest, when: datetime) -> None:
    request.session[MARK] = [request.session.session_key, when.timestamp()]


def sessions_active(*, user: AbstractBaseUser) -> list[UserSession]:
    """Return `user`'s sessions that the session engine still holds, most recent first.

    Rows whose session has expired or was deleted (logged out elsewhere, cleared) are
    deleted on the way: one query for the rows, one for the live keys, one DELETE if any.
    """
    sessions = list(UserSession.objects.of(user).order_by("-last_active"))
    live = live_session_keys([session.session_key for session in sessions])
    if ended := [session.pk for session in sessions if session.session_key not in live]:
        UserSession.objects.filter(pk__in=ended).delete()
    return [session for session in sessions if session.session_key in live]


def live_session_keys(keys: list[str]) -> set[str]:
    """Return those of `keys` whose session exists and has not expired."""
    if not keys:
        return set()
    store = session_store()
    if issubclass(store, DatabaseSessionStore):
        # db and cached_db: the table is the truth (cached_db deletes both on logout), and
        # one query answers for every key.
        return set(
            store.get_model_class()
            .objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
            .values_list("session_key", flat=True)
        )
    return {key for key in keys if store().exists(key)}


def sessions_end(*, user: AbstractBaseUser, keep: str | None = None) -> int:
    """End every session of `user` except the one whose key is `keep`; return how many were
    still active (rows of sessions already gone are deleted too, and not counted).

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
        live = live_session_keys(keys)
        for key in live:
            store(session_key=key).delete()
        UserSession.objects.filter(session_key__in=keys).delete()
    return len(live)
