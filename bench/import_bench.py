"""Benchmark the bulk import against per-row account creation, and the student changelist.

Run with `make bench` (SQLite) or `DATABASE_URL=postgres://… make bench`. It works in a
throw-away test database (`test_<name>`, or a temporary SQLite file) and uses the base
settings, hence the production password hasher (Argon2), not the test suite's MD5.
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from students.models import Student  # noqa: E402
from twofactor.tests.factories import otp_verify  # noqa: E402


def write_csv(path: Path, rows: int, *, changed_every: int = 0, new: int = 0) -> Path:
    """Write `rows` students; every `changed_every`th with a new surname and grade, and
    `new` more students at the end."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["username", "email", "first_name", "last_name", "grade"])
        for n in range(rows + new):
            changed = changed_every and n % changed_every == 0
            writer.writerow(
                [
                    f"pupil{n}",
                    f"pupil{n}@example.com",
                    "Zoë",
                    f"Élève {n}" + (" (married)" if changed else ""),
                    (n + changed) % 12 + 1,
                ]
            )
    return path


def empty() -> None:
    call_command("flush", interactive=False, verbosity=0)


def import_rate(path: Path, rows: int) -> float:
    empty()
    start = time.perf_counter()
    call_command("import_users", "--role", "student", str(path), verbosity=0)
    elapsed = time.perf_counter() - start
    assert Student.objects.count() == rows
    print(f"import_users, {rows:>7,} rows: {elapsed:7.2f} s  {rows / elapsed:>9,.0f} rows/s")
    return rows / elapsed


def upsert(directory: Path, rows: int, changed_every: int = 10) -> None:
    """Time an upsert of `rows` rows into a school of `rows` students, 1 in `changed_every`
    changed, plus 1% new; then the same file again (all unchanged)."""
    empty()
    call_command(
        "import_users",
        "--role",
        "student",
        str(write_csv(directory / "base.csv", rows)),
        verbosity=0,
    )
    new = rows // 100
    path = write_csv(directory / "upsert.csv", rows, changed_every=changed_every, new=new)
    for label in ("upsert, 10% changed, 1% new", "same file again (all unchanged)"):
        out = io.StringIO()
        start = time.perf_counter()
        call_command("import_users", "--role", "student", "--mode", "upsert", str(path), stdout=out)
        elapsed = time.perf_counter() - start
        print(
            f"import_users --mode upsert, {rows + new:>7,} rows into {rows:,}: {elapsed:7.2f} s  "
            f"{(rows + new) / elapsed:>9,.0f} rows/s  ({label}: {out.getvalue().strip()})"
        )
    assert Student.objects.count() == rows + new


def per_row_rate(rows: int, wanted: int) -> float:
    empty()
    start = time.perf_counter()
    for n in range(rows):
        Student.objects.create_user(f"single{n}", f"single{n}@example.com", "a-real-password-42")
    elapsed = time.perf_counter() - start
    rate = rows / elapsed
    hasher = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    note = (
        ""
        if rows == wanted
        else f" (timed {rows} rows, {wanted:,} extrapolated: {wanted / rate:.0f} s)"
    )
    print(
        f"Student.objects.create_user per row ({hasher}): {elapsed / rows * 1000:.0f} ms/row  "
        f"{rate:,.1f} rows/s{note}"
    )
    return rate


def changelist(students: int, directory: Path) -> None:
    empty()
    call_command(
        "import_users",
        "--role",
        "student",
        str(write_csv(directory / f"cl{students}.csv", students)),
        verbosity=0,
    )
    staff = User.objects.create_superuser("bench-admin", "bench-admin@example.com", None)
    client = Client()
    otp_verify(client, staff)  # the admin needs a session past two-factor login
    client.get("/admin/students/student/")  # warm caches (templates, content types)
    pages = {
        "first page": "",
        "search": f"?q=pupil{students // 2}",
        "grade filter": "?student_profile__grade__exact=7",
    }
    for name, query in pages.items():
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(f"/admin/students/student/{query}")
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        print(
            f"student changelist, {name + ',':13} {students:>7,} students: "
            f"{len(queries):2d} queries  {elapsed * 1000:6.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--rows", type=int, nargs="+", default=[1_000, 100_000], help="CSV sizes to import."
    )
    parser.add_argument(
        "--upsert",
        type=int,
        nargs="*",
        default=[100_000],
        help="School sizes for the upsert timing (as many rows, 10%% changed).",
    )
    parser.add_argument(
        "--per-row",
        type=int,
        default=1_000,
        help="Rows for the per-row create_user timing (1,000 takes about 3 minutes).",
    )
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    db = settings.DATABASES["default"]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        if db["ENGINE"].endswith("sqlite3"):
            connection.settings_dict["TEST"]["NAME"] = str(
                directory / "bench.sqlite3"
            )  # a file, like production
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
            rates = {
                rows: import_rate(write_csv(directory / f"{rows}.csv", rows), rows)
                for rows in args.rows
            }
            for rows in args.upsert:
                upsert(directory, rows)
            single = per_row_rate(args.per_row, 1_000)
            biggest = max(rates)
            ratio = rates[biggest] / single
            print(f"ratio, {biggest:,}-row import vs per-row create_user: {ratio:,.0f}x")
            for students in (100, 100_000):
                changelist(students, directory)
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
