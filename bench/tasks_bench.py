"""Benchmark the admin's bulk email actions on 5,000 students: the request, then the worker.

Run with `make bench-tasks` (SQLite) or `DATABASE_URL=postgres://… make bench-tasks`. It
works in a throw-away test database with the base settings, but production's task backend
(`django_tasks_db.DatabaseBackend`), so the POST only enqueues; then it times
`manage.py db_worker --batch` sending what was queued (to Django's in-memory mail backend:
the rendering and tokens are timed, not an SMTP server). Target for the POST: under 1 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
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
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from accounts import bulk  # noqa: E402
from accounts.models import User  # noqa: E402
from students.models import Student  # noqa: E402
from twofactor.tests.factories import otp_verify  # noqa: E402

TARGET_SECONDS = 1.0
STUDENTS = "/admin/students/student/"


def import_students(count: int) -> None:
    """Import `count` students with an address (no password), as a school's first import."""
    file = io.StringIO()
    writer = csv.writer(file)
    writer.writerow(["username", "email", "first_name", "last_name", "grade"])
    for n in range(count):
        writer.writerow([f"pupil{n}", f"pupil{n}@example.com", "Zoë", f"Élève {n}", n % 12 + 1])
    file.seek(0)
    bulk.users_import(role="student", file=file)


def post_action(client: Client, action: str, count: int) -> None:
    """POST `action` on every student ("Select all N students", as staff would), and time it."""
    first = Student.objects.order_by("username").values_list("pk", flat=True)[0]
    data = {"action": action, "select_across": "1", "index": "0", "_selected_action": [first]}
    DBTaskResult.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.post(STUDENTS, data)
        elapsed = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    tasks = DBTaskResult.objects.count()
    verdict = "under" if elapsed < TARGET_SECONDS else "OVER"
    print(
        f"{action:20} POST, {count:,} students: {elapsed * 1000:6.0f} ms, {len(queries):3d} "
        f"queries, {tasks} tasks queued ({verdict} the {TARGET_SECONDS:.0f} s target)"
    )
    mail.outbox = []
    start = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    elapsed = time.perf_counter() - start
    failed = DBTaskResult.objects.exclude(status="SUCCESSFUL").count()
    print(
        f"{'':20} db_worker --batch: {len(mail.outbox):,} emails in {elapsed:5.1f} s "
        f"({len(mail.outbox) / elapsed:,.0f}/s), {failed} tasks failed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=5_000, help="Students selected.")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with tempfile.TemporaryDirectory() as tmp:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            with override_settings(
                TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ):
                mail.outbox = []
                import_students(args.students)
                staff = User.objects.create_superuser("bench-admin", "admin@example.com", None)
                client = Client()
                otp_verify(client, staff)  # the admin needs a session past two-factor
                client.get(STUDENTS)  # warm caches (templates, content types)
                print(f"database: {connection.vendor}")
                post_action(client, "send_password_reset", args.students)
                Student.objects.update(is_active=False)
                post_action(client, "approve", args.students)
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
