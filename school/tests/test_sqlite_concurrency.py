"""SQLite, the embedded default, under a few concurrent writers: no 500, no failed login lost.

Two gunicorn processes serve one SQLite file while 20 clients register, fail to log in and
log in for a few seconds, as a class does at the start of a lesson.
"""

import os
import re
import secrets
import sqlite3
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
from django.db import connection

from accounts.tests.test_instances import Instance, two_instances

CLIENTS = 20
THREADS = 4
SECONDS = 4
PASSWORD = "correct-horse-battery-staple"

pytestmark = [
    # No transaction around the test: it would hold the lock the copy below waits for.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="SQLite's own locking; on PostgreSQL, test_instances.py runs two processes",
    ),
]


@pytest.fixture
def database_file(tmp_path):
    """Return a SQLite file holding the test database's schema, as `migrate` makes it."""
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return path


@pytest.fixture
def instances(database_file):
    """Start two app processes on that file, with the production settings; always stop them."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "school.tests.sqlite_instance_settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{database_file}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        # As deployed: rate-limit counters and cached sessions in the database too.
        "CACHE_URL": "dbcache://school_cache",
        # Counted, never reached: every failed login must be answered and counted.
        "REGISTRATION_RATE": "100000/h",
        "LOGIN_FAILURE_LIMIT": "100000",
        "LOGIN_IP_FAILURE_LIMIT": "100000",
        # Only errors: nobody reads the processes' output until they stop, and a full pipe
        # would block them.
        "LOG_LEVEL": "ERROR",
    }
    # Four requests at a time in each process: eight writers at once.
    with two_instances(env, "--threads", str(THREADS)) as started:
        yield started


def server_errors(instances: list[Instance]) -> str:
    """Stop the instances and return the end of what they logged (their errors)."""
    for instance in instances:
        instance.stop()
    return "\n".join(instance.process.stderr.read().decode()[-3000:] for instance in instances)


def post_form(instance: Instance, path: str, data: dict, statuses: list) -> int:
    """GET a form page, then POST `data` with its CSRF token; record both statuses."""
    cookies: dict = {}
    status, page = instance.request("GET", path, cookies)
    statuses.append((path, status))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != HTTPStatus.OK or not token:
        return status
    status = instance.request(
        "POST", path, cookies, {"csrfmiddlewaretoken": token.group(1), **data}
    )[0]
    statuses.append((path, status))
    return status


def school_morning(instances: list[Instance], client: int, deadline: float) -> Counter:
    """Register, fail to log in, log in, on alternating instances, until the deadline."""
    tally: Counter = Counter()
    statuses: list[tuple[str, int]] = []
    try:
        round_ = 0
        while time.monotonic() < deadline:
            one, other = instances[(client + round_) % 2], instances[(client + round_ + 1) % 2]
            username = f"pupil{client}x{round_}"
            registered = post_form(
                one,
                "/students/register/",
                {
                    "username": username,
                    "email": f"{username}@example.org",
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "grade": 5,
                },
                statuses,
            )
            tally["registered"] += registered == HTTPStatus.FOUND
            # A wrong password for an account that never logs in, so no success resets its count.
            failed = post_form(
                other,
                "/students/login/",
                {"username": f"victim{client}", "password": "wrong-password"},
                statuses,
            )
            tally["failed logins"] += failed == HTTPStatus.OK
            logged_in = post_form(
                one, "/students/login/", {"username": username, "password": PASSWORD}, statuses
            )
            tally["logged in"] += logged_in == HTTPStatus.FOUND
            round_ += 1
    except Exception as error:  # a dropped connection or a timeout, as the test's failure
        tally[f"error: {error!r}"] += 1
    tally["requests"] = len(statuses)
    tally.update(f"{status} on {path}" for path, status in statuses if status >= 500)
    tally["5xx"] = sum(status >= 500 for _, status in statuses)
    return tally


def test_concurrent_writers_get_no_error_and_every_failed_login_counts(instances, database_file):
    deadline = time.monotonic() + SECONDS
    with ThreadPoolExecutor(CLIENTS) as pool:
        tallies = pool.map(
            school_morning, [instances] * CLIENTS, range(CLIENTS), [deadline] * CLIENTS
        )
    tally = sum(tallies, Counter())

    print(f"\n{CLIENTS} clients, {SECONDS} s, two processes on one SQLite file: {dict(tally)}")
    with sqlite3.connect(database_file) as db:
        counted = db.execute(
            "SELECT SUM(failures_since_start) FROM axes_accessattempt WHERE username LIKE 'victim%'"
        ).fetchone()[0]
        logged = db.execute(
            "SELECT COUNT(*) FROM axes_accessfailurelog WHERE username LIKE 'victim%'"
        ).fetchone()[0]
        pupils = db.execute(
            "SELECT COUNT(*) FROM accounts_user WHERE username LIKE 'pupil%'"
        ).fetchone()[0]
    assert not [key for key in tally if key.startswith("error")], tally
    assert tally["5xx"] == 0, (tally, server_errors(instances))
    assert tally["failed logins"] >= CLIENTS  # every client got through at least one round
    assert counted == logged == tally["failed logins"]  # the lockout's and the ceiling's counts
    assert pupils == tally["registered"] == tally["logged in"]
