"""SessionActivityMiddleware: "last active" kept current in at most one write per interval."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from usersessions.models import UserSession
from usersessions.services import MARK

from .conftest import session_key
from .test_views import forget_recording

pytestmark = pytest.mark.django_db

HOME = reverse("students:home")


def session_queries(browser, url=HOME) -> list[str]:
    """Return the SQL a GET of `url` sent about recorded sessions."""
    with CaptureQueriesContext(connection) as queries:
        browser.get(url)
    return [query["sql"] for query in queries if UserSession._meta.db_table in query["sql"]]


def age_mark(browser, by: timedelta) -> None:
    """Make the last write of last_active `by` older, as if that time had passed."""
    session = browser.session
    key, written = session[MARK]
    session[MARK] = [key, written - by.total_seconds()]
    session.save()


def test_requests_within_the_interval_neither_read_nor_write_sessions(sign_in, student):
    browser = sign_in(student)
    before = UserSession.objects.get().last_active

    assert session_queries(browser) == []
    assert session_queries(browser) == []
    assert UserSession.objects.get().last_active == before


def test_a_request_after_the_interval_writes_last_active_once(sign_in, student):
    browser = sign_in(student)
    before = UserSession.objects.get().last_active
    age_mark(browser, settings.SESSION_ACTIVITY_INTERVAL + timedelta(seconds=1))

    first, second = session_queries(browser), session_queries(browser)

    assert [sql.split()[0] for sql in first] == ["UPDATE"]
    assert second == []
    assert UserSession.objects.get().last_active > before


def test_a_session_without_a_row_gets_one(sign_in, student):
    browser = sign_in(student)
    forget_recording(browser)

    browser.get(HOME)

    recorded = UserSession.objects.get()
    assert (recorded.user, recorded.session_key) == (student, session_key(browser))
    assert recorded.device == "Firefox 120 on Windows 10"
    assert session_queries(browser) == []  # and is marked, like a login


def test_a_cycled_session_key_carries_its_row_along(sign_in, student):
    browser = sign_in(student)
    signed_in = UserSession.objects.get().created_at
    session = browser.session
    session.cycle_key()
    browser.cookies[settings.SESSION_COOKIE_NAME] = session.session_key  # as Django's login does

    browser.get(HOME)

    recorded = UserSession.objects.get()
    assert recorded.session_key == session.session_key
    assert recorded.created_at == signed_in


def test_visitors_cost_nothing(client):
    assert session_queries(client, reverse("landing")) == []
