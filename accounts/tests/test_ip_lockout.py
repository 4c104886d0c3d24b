"""Password spraying: a ceiling of failed logins per IP address, whatever the usernames.

The lockout counts per username and address (a class shares one address), so without a
ceiling one address could try a few passwords on every username in the school.
"""

import io
import os
import subprocess
import sys
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import AdminFactory, user_factory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
LIMIT = 6  # small, so the tests reach it quickly; the default is 100


@pytest.fixture(autouse=True)
def ceiling(settings):
    """Switch django-axes on (the test settings leave it off), with a small ceiling."""
    settings.AXES_ENABLED = True
    settings.LOGIN_IP_FAILURE_LIMIT = LIMIT


def spray(client, count: int, url: str = "/accounts/login/", **extra):
    """Try one wrong password on each of `count` usernames; return the last response."""
    for n in range(count):
        response = client.post(url, {"username": f"guess{n}", "password": WRONG}, **extra)
    return response


def log_in(client, user, password, url="/accounts/login/", **extra):
    return client.post(url, {"username": user.username, "password": password}, **extra)


@pytest.mark.parametrize("page", ["role", "main", "admin"])
def test_spraying_from_one_address_is_stopped_on_every_login_page(
    client, password, role_config, role_user, page
):
    # Every login page: the role's own, the main one, and the admin's (for staff).
    url, user = {
        "role": (role_config.login_url, role_user),
        "main": (reverse("login"), role_user),
        "admin": (reverse("admin:login"), AdminFactory(password=password, is_staff=True)),
    }[page]
    assert spray(client, LIMIT - 1, url).status_code == HTTPStatus.OK

    response = spray(client, 1, url)  # the ceiling's own failure already gets the 429 page

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert b"Nobody can log in from your network for up to 60 minutes" in response.content
    response = log_in(client, user, password, url)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert SESSION_KEY not in client.session


def test_another_address_is_not_held_back(client, role_user, password):
    spray(client, LIMIT, REMOTE_ADDR="203.0.113.7")

    response = log_in(client, role_user, password, REMOTE_ADDR="198.51.100.2")

    assert response.status_code == HTTPStatus.FOUND


def test_successful_logins_never_count(role_user, password):
    for _ in range(LIMIT + 1):
        browser = Client()
        assert log_in(browser, role_user, password).status_code == HTTPStatus.FOUND
    assert spray(Client(), LIMIT - 1).status_code == HTTPStatus.OK


def test_a_successful_login_does_not_clear_the_failures(client, role_user, password):
    spray(client, LIMIT - 1)
    assert log_in(Client(), role_user, password).status_code == HTTPStatus.FOUND

    assert spray(client, 1).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_refused_attempts_do_not_count_and_the_ceiling_lifts_after_an_hour(
    client, role_user, password
):
    spray(client, LIMIT)
    for _ in range(3):
        assert log_in(client, role_user, password).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert AccessFailureLog.objects.count() == LIMIT  # the refusals were never guesses

    first = AccessFailureLog.objects.earliest("attempt_time")
    AccessFailureLog.objects.filter(pk=first.pk).update(
        attempt_time=first.attempt_time - timedelta(minutes=61)
    )

    assert log_in(client, role_user, password).status_code == HTTPStatus.FOUND


@pytest.mark.parametrize(
    ("command", "lifted"),
    [
        (["axes_reset_ip", "127.0.0.1"], True),
        (["axes_reset"], True),
        (["axes_reset_ip", "203.0.113.7"], False),
        (["axes_reset_username", "guess0"], False),
    ],
    ids=[
        "axes_reset_ip-this-address",
        "axes_reset",
        "axes_reset_ip-another",
        "axes_reset_username",
    ],
)
def test_operators_lift_the_ceiling_with_axes_reset(client, role_user, password, command, lifted):
    spray(client, LIMIT)

    call_command(*command, stdout=io.StringIO())

    expected = HTTPStatus.FOUND if lifted else HTTPStatus.TOO_MANY_REQUESTS
    assert log_in(client, role_user, password).status_code == expected


def test_the_username_and_address_lockout_still_comes_first(
    settings, client, role_config, role_user, password
):
    """A child's typos lock out their own username, not the class, long before the ceiling."""
    settings.LOGIN_IP_FAILURE_LIMIT = 100
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": role_user.username, "password": WRONG})

    assert log_in(client, role_user, password).status_code == HTTPStatus.TOO_MANY_REQUESTS
    # Anyone else behind the same address still logs in.
    neighbour = user_factory(role_config)(password=password)
    assert log_in(Client(), neighbour, password).status_code == HTTPStatus.FOUND


def test_default_is_a_hundred_failures_an_hour():
    from school.settings import base

    assert base.LOGIN_IP_FAILURE_LIMIT == 100
    assert timedelta(hours=1) == base.LOGIN_IP_FAILURE_WINDOW


def test_a_ceiling_below_one_is_refused_at_start_up():
    result = subprocess.run(
        [sys.executable, "-c", "import school.settings.base"],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "LOGIN_IP_FAILURE_LIMIT": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "LOGIN_IP_FAILURE_LIMIT" in result.stderr
