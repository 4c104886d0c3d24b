"""Two app instances, one database: how the site scales past one machine.

Two gunicorn processes with the production settings serve the (committed) test database;
what one of them does, the other sees: sessions, lockouts and rate limits live in PostgreSQL.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from accounts import roles

BASE_DIR = Path(__file__).resolve().parent.parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two processes cannot share an in-memory SQLite test database; CI runs this on PostgreSQL",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class Instance:
    """One gunicorn process, and a tiny cookie-keeping HTTP client for it."""

    def __init__(self, env: dict[str, str], *gunicorn_args: str):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "school.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                *gunicorn_args,
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited: {self.process.stderr.read().decode()[-2000:]}"
                )
            try:
                if self.request("GET", "/healthz", cookies={})[0] == HTTPStatus.OK:
                    return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"gunicorn on port {self.port} did not answer in {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def request(self, method: str, path: str, cookies: dict, data: dict | None = None):
        """Send a request carrying `cookies`, update them from the answer; return (status, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    cookies[name] = morsel.value
            return response.status, response.read().decode()
        finally:
            conn.close()

    def log_in(self, cookies: dict, url: str, username: str, password: str) -> int:
        """Log in on the login page at `url`; return the answer's status."""
        status, page = self.request("GET", url, cookies)
        assert status == HTTPStatus.OK
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "remember_me": "on",
        }
        return self.request("POST", url, cookies, data)[0]


@contextmanager
def two_instances(env: dict[str, str], *gunicorn_args: str) -> Iterator[list[Instance]]:
    """Create the cache table, start two app processes with `env`; always stop them."""
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=60,
    )
    started = []
    try:
        for _ in range(2):
            started.append(Instance(env, *gunicorn_args))
        for instance in started:
            instance.wait_ready()
        yield started
    finally:
        for instance in started:
            instance.stop()


@pytest.fixture(autouse=True)
def production_hasher(settings):
    """Hash the test users' passwords with Argon2, which the instances' settings accept."""
    settings.PASSWORD_HASHERS = ["accounts.hashers.Argon2PasswordHasher"]


@pytest.fixture
def instances():
    """Start two app instances on the test database; always stop them."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accounts.tests.instance_settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": test_database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; a proxy terminates TLS in production
        "CACHE_URL": "dbcache://school_cache",
        "REGISTRATION_RATE": "2/h",
        "CONN_MAX_AGE": "0",  # let the test database be dropped after the run
        # Whatever the environment says, visitors may sign up as every role (the sign-up
        # settings are read from the environment variables of their names).
        **{
            config.signup_setting: roles.SignupPolicy.OPEN.value
            for config in roles.registered()
            if config.signup_setting
        },
    }
    with two_instances(env) as started:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM school_cache")
        yield started


def test_a_session_made_on_one_instance_works_on_the_other(
    instances, role_config, role_user, password
):
    one, other = instances
    cookies: dict = {}

    logged_in = one.log_in(cookies, role_config.login_url, role_user.username, password)
    status, page = other.request("GET", role_config.url("home"), cookies)

    assert logged_in == HTTPStatus.FOUND
    assert status == HTTPStatus.OK
    assert role_user.username in page


def test_a_lockout_on_one_instance_holds_on_the_other(
    instances, settings, role_config, role_user, password
):
    one, other = instances
    for _ in range(settings.AXES_FAILURE_LIMIT):
        one.log_in({}, role_config.login_url, role_user.username, "wrong-password")

    status = other.log_in({}, role_config.login_url, role_user.username, password)

    assert status == HTTPStatus.TOO_MANY_REQUESTS


def test_the_registration_rate_is_counted_across_instances(instances, role_config):
    one, other = instances
    url = role_config.register_url
    statuses = []
    for instance in (one, other, one):
        cookies: dict = {}
        _, page = instance.request("GET", url, cookies)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        statuses.append(instance.request("POST", url, cookies, {"csrfmiddlewaretoken": token})[0])

    assert statuses == [HTTPStatus.OK, HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS]


def test_sessions_ended_on_one_instance_are_ended_on_the_other(
    instances, role_config, role_user, password
):
    one, other = instances
    here, elsewhere = {}, {}
    one.log_in(here, role_config.login_url, role_user.username, password)
    one.log_in(elsewhere, role_config.login_url, role_user.username, password)
    home = role_config.url("home")
    # Both instances have read the other session, so a cached copy may sit in front of it.
    assert one.request("GET", home, elsewhere)[0] == HTTPStatus.OK
    assert other.request("GET", home, elsewhere)[0] == HTTPStatus.OK

    _, page = other.request("GET", "/accounts/sessions/", here)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    ended = other.request("POST", "/accounts/sessions/", here, {"csrfmiddlewaretoken": token})

    assert ended[0] == HTTPStatus.FOUND
    assert one.request("GET", home, elsewhere)[0] == HTTPStatus.FOUND  # to the login page
    assert other.request("GET", home, elsewhere)[0] == HTTPStatus.FOUND
    assert one.request("GET", home, here)[0] == HTTPStatus.OK
