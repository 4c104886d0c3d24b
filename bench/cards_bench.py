"""Benchmark one POST of the "Create student accounts" form: 60 children, one class.

Run with `make bench-cards` (SQLite) or `DATABASE_URL=postgres://… make bench-cards`. It
works in a throw-away test database and uses the base settings, hence the production
password hasher (Argon2: school.settings.production keeps base's PASSWORD_HASHERS), and
reports the time of the whole request and the share of it spent hashing the one-time
passwords. Target: under 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "school.settings.base")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("LOG_LEVEL", "WARNING")
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import get_hasher  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from classrooms.forms import MAX_NEW_STUDENTS  # noqa: E402
from classrooms.models import Classroom  # noqa: E402
from teachers.models import Teacher, TeacherProfile  # noqa: E402

TARGET_SECONDS = 2.0


class TimedHasher:
    """Add up the time the default hasher spends in encode() (one call per new account)."""

    def __init__(self) -> None:
        self.hasher = type(get_hasher())
        self.original = self.hasher.encode
        self.seconds = 0.0
        self.calls = 0

    def __enter__(self) -> TimedHasher:
        timed = self

        def encode(hasher, *args, **kwargs):
            start = time.perf_counter()
            try:
                return timed.original(hasher, *args, **kwargs)
            finally:
                timed.seconds += time.perf_counter() - start
                timed.calls += 1

        self.hasher.encode = encode
        return self

    def __exit__(self, *exc) -> None:
        self.hasher.encode = self.original


def one_post(client: Client, classroom: Classroom, run: int) -> tuple[float, float, int, int]:
    names = "\n".join(f"Zoë Müller{run}x{n}" for n in range(MAX_NEW_STUDENTS))
    url = reverse("classrooms:students_new", args=[classroom.pk])
    with TimedHasher() as hashing, CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.post(url, {"names": names, "grade": "2"})
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    assert response.content.count(b"data-password=") == MAX_NEW_STUDENTS
    assert hashing.calls == MAX_NEW_STUDENTS, hashing.calls  # one hash per account, no more
    return elapsed, hashing.seconds, len(queries), hashing.calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="POSTs to time (median reported).")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with tempfile.TemporaryDirectory() as tmp:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            teacher = Teacher.objects.create_user("bench-teacher", "bench@example.com", None)
            TeacherProfile.objects.create(user=teacher, subject="Reading")
            classroom = Classroom.objects.create(teacher=teacher, name="Class 2C")
            client = Client()
            client.force_login(teacher)
            hasher = get_hasher()
            print(f"database: {connection.vendor}; hasher: {hasher.algorithm} {vars_of(hasher)}")
            results = [one_post(client, classroom, run) for run in range(args.runs)]
            for elapsed, hashing, queries, _calls in results:
                print(
                    f"{MAX_NEW_STUDENTS} accounts in one POST: {elapsed:5.2f} s, "
                    # Hashes run on every core at once: their times add up past the request's.
                    f"hashing {hashing:5.2f} s summed over the cores "
                    f"({hashing / MAX_NEW_STUDENTS * 1000:4.0f} ms a hash), {queries} queries"
                )
            median = statistics.median(elapsed for elapsed, *_ in results)
            verdict = "under" if median < TARGET_SECONDS else "OVER"
            print(f"median: {median:.2f} s, {verdict} the {TARGET_SECONDS:.0f} s target")
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def vars_of(hasher) -> str:
    names = ("time_cost", "memory_cost", "parallelism", "iterations")
    return ", ".join(f"{n}={getattr(hasher, n)}" for n in names if hasattr(hasher, n))


if __name__ == "__main__":
    main()
