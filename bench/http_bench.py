#!/usr/bin/env python
"""HTTP benchmark: the main pages under gunicorn with production settings, driven by wrk.

Seeds a throwaway database (SQLite in a temporary folder; with DATABASE_URL, a fresh
PostgreSQL database `<name>_bench` on that server, dropped afterwards), starts gunicorn on
loopback, and prints one table: requests/s, p50/p99 latency and errors for /healthz, the login
page, a student's home, a teacher's home, the teacher directory, and, at 100 and at 100,000
students, a class page (its teacher, a class of 40) and the student directory, with each
page's rate relative to /healthz. `--profile` instead shows where each page's time goes
(cProfile).

Targets: every page at >= 0.3x the /healthz rate; the p50 of each page measured at both sizes
at 100,000 students <= 1.5x its p50 at 100; no errors. Not a test: numbers depend on the
machine.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE = 100, 100_000
TEACHERS = 20
# The measured class: the bench student and this many students in all.
CLASS_SIZE = 40
TARGET_RATIO, TARGET_GROWTH = 0.3, 1.5


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    # Server CPU time per request: steadier than rates on a machine shared with other work.
    cpu_ms: float


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--students", type=int, default=LARGE, help="the large roster size")
    parser.add_argument(
        "--profile", action="store_true", help="profile each page in-process instead of wrk"
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def bench_database():
    """Yield a DATABASE_URL for a database the benchmark owns, and remove it afterwards."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        with tempfile.TemporaryDirectory(prefix="school-bench-db-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'school'}_bench"
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def configure(workdir: Path, database_url: str) -> dict[str, str]:
    """Write a settings module (production + a temporary STATIC_ROOT); return the environment."""
    (workdir / "bench_settings.py").write_text(
        textwrap.dedent(
            f"""\
            from school.settings.production import *  # noqa: F403

            STATIC_ROOT = {str(workdir / "static")!r}
            """
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path[:0] = [str(workdir), str(ROOT)]
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args, "-v", "0"], env=env, check=True)


def seed_class() -> str:
    """Create the bench teacher's class of CLASS_SIZE students (the bench student among them),
    through the services the pages use; return the path of its page."""
    from django.urls import reverse

    from classrooms.services import classroom_create, enrollments_add
    from students.models import Student
    from teachers.models import Teacher

    classroom = classroom_create(
        teacher=Teacher.objects.get(username="bench-teacher"), name="Physics 7B", subject="Physics"
    )
    others = Student.objects.exclude(username="bench-student").order_by("username")
    usernames = ["bench-student", *others.values_list("username", flat=True)[: CLASS_SIZE - 1]]
    result = enrollments_add(classroom=classroom, identifiers=usernames)
    if len(result.added) != CLASS_SIZE:
        raise SystemExit(f"the class has {len(result.added)} students, not {CLASS_SIZE}")
    return reverse("classrooms:detail", args=[classroom.pk])


def seed_people() -> dict[str, str]:
    """Create the measured student and teacher plus some teachers; return session cookies."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

    from accounts.services import user_create
    from students.apps import StudentsConfig
    from teachers.apps import TeachersConfig

    people = {
        "student": user_create(
            role=StudentsConfig.role,
            username="bench-student",
            email="bench-student@example.com",
            first_name="Bea",
            last_name="Bench",
            grade=7,
        ),
        "teacher": user_create(
            role=TeachersConfig.role,
            username="bench-teacher",
            email="bench-teacher@example.com",
            first_name="Tom",
            last_name="Bench",
            subject="Physics",
        ),
    }
    for number in range(TEACHERS - 1):
        user_create(
            role=TeachersConfig.role,
            username=f"teacher{number}",
            email=f"teacher{number}@example.com",
            first_name="Terry",
            last_name=f"Teacher{number:03d}",
            subject="History",
        )
    # The backend a login records: the first that loads users (as Client.force_login picks).
    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for role, user in people.items():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[role] = session.session_key
    return cookies


def seed_students(total: int) -> None:
    """Grow the roster to `total` students, in bulk (no per-row hashing or signals)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from students.models import Student, StudentProfile

    start = Student.objects.count()
    unusable = make_password(None)
    now = timezone.now()
    batch = 5000
    for first in range(start, total, batch):
        numbers = range(first, min(first + batch, total))
        with transaction.atomic():
            users = Student.objects.bulk_create(
                Student(
                    username=f"s{n:06d}",
                    email=f"s{n:06d}@example.com",
                    password=unusable,
                    first_name=f"First{n % 997}",
                    last_name=f"Last{n % 1009:04d}",
                    role=Student.objects.role,
                    date_joined=now,
                )
                for n in numbers
            )
            if users[0].pk is None:  # backends that do not return ids from bulk inserts
                users = Student.objects.filter(username__in=[u.username for u in users])
            StudentProfile.objects.bulk_create(
                StudentProfile(user_id=user.pk, grade=user.pk % 12 + 1) for user in users
            )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connection.close()


@contextmanager
def gunicorn(env: dict[str, str], workers: int):
    """Run gunicorn on a free loopback port until the block ends; yield its URL and pid."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "school.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start; see its output above")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def check_status(url: str, cookie: str | None) -> None:
    """Fail fast unless the page answers 200 (wrk counts redirects as successes)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        status = opener.open(request, timeout=10).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{url} answered {status}, not 200: the benchmark would measure nothing")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def server_cpu_seconds(master: int) -> float:
    """Return the CPU time used so far by gunicorn's master and its workers (Linux /proc)."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(entry) == master or int(fields[1]) == master:  # fields[1] is the parent pid
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(
    name: str, url: str, cookie: str | None, args: argparse.Namespace, master: int
) -> Result:
    check_status(url, cookie)
    cpu_before = server_cpu_seconds(master)
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "5s",
        "--latency",
        url,
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=args.duration + 30
    ).stdout
    cpu = server_cpu_seconds(master) - cpu_before
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    return Result(
        name=name,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=to_ms(latency["50"]),
        p99_ms=to_ms(latency["99"]),
        requests=requests,
        errors=errors,
        cpu_ms=cpu / max(requests, 1) * 1000,
    )


def print_table(results: list[Result], args: argparse.Namespace, database: str) -> bool:
    """Print the table and the verdict on each target; return whether all are met."""
    health = results[0]
    print(
        f"\nwrk {args.duration}s per page, {args.connections} connections, {args.threads} threads;"
        f" gunicorn {args.workers} sync workers; {database}\n"
    )
    header = (
        f"{'page':<38}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'× healthz':>11}{'errors':>8}"
        f"{'CPU ms/req':>12}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            f"{result.name:<38}{result.rps:>9.0f}{result.p50_ms:>9.2f}{result.p99_ms:>9.2f}"
            f"{result.rps / health.rps:>11.2f}{result.errors:>8}{result.cpu_ms:>12.2f}"
        )
    checks = [
        (
            f"every page >= {TARGET_RATIO}x the /healthz rate",
            all(r.rps / health.rps >= TARGET_RATIO for r in results),
        )
    ]
    by_name = {result.name: result for result in results}
    for page in GROWING_PAGES:
        small = by_name[sized(page, SMALL)]
        large = by_name[sized(page, args.students)]
        growth = large.p50_ms / small.p50_ms
        checks.append(
            (
                f"{page} p50 at {args.students:,} <= {TARGET_GROWTH}x at {SMALL} ({growth:.2f}x)",
                growth <= TARGET_GROWTH,
            )
        )
    checks.append(("no errors", not any(r.errors for r in results)))
    print()
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return all(ok for _, ok in checks)


# Pages measured once: (name, path, who); the class page's path is known once it is seeded.
STEADY_PAGES = [
    ("/healthz", "/healthz", None),
    ("login page", "/accounts/login/", None),
    ("student home", "/students/home/", "student"),
    ("teacher home", "/teachers/home/", "teacher"),
    ("teacher directory", "/directory/teachers/", "student"),
]
# Pages measured at SMALL and at the large number of students: they must not slow down.
GROWING_PAGES = {
    f"class page ({CLASS_SIZE})": ("class", "teacher"),
    "student directory": ("/directory/students/", "teacher"),
}


def sized(page: str, students: int) -> str:
    return f"{page}, {students:,} students"


def growing_pages(class_path: str, students: int) -> list[tuple[str, str, str]]:
    return [
        (sized(page, students), class_path if path == "class" else path, who)
        for page, (path, who) in GROWING_PAGES.items()
    ]


PROFILE_STEPS = (
    r"\((get_response|render|_fetch_all|execute_sql|get_user|_get_session|count|reverse|"
    r"as_crispy_form|bootstrap_field|bootstrap_widget|as_widget|get_context_data|get_queryset|"
    r"paginate_queryset|"
    r"process_request|process_response|process_view|__call__|healthz|get_token)\)"
)


def profile_pages(
    cookies: dict[str, str], pages: list[tuple[str, str, str | None]], label: str, runs: int = 200
) -> None:
    """Request each page `runs` times in-process under cProfile; print where the time goes."""
    import cProfile
    import pstats

    from django.test import Client

    top = 25
    for _name, path, who in pages:
        client = Client(SERVER_NAME="127.0.0.1")
        if who:
            client.cookies["sessionid"] = cookies[who]
        assert client.get(path).status_code == 200, path  # warm up, and check
        started = time.perf_counter()
        for _ in range(runs):
            client.get(path)
        ms = (time.perf_counter() - started) / runs * 1000
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            client.get(path)
        profiler.disable()
        print(f"\n=== {path} ({label}): {ms:.2f} ms a request in-process")
        stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
        # The steps a request goes through, not the wrappers around them.
        stats.print_stats(PROFILE_STEPS, top)


def main() -> int:
    args = parse_args()
    if not args.profile and shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk (Debian)", file=sys.stderr)
        return 2
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="school-bench-")))
        database_url = stack.enter_context(bench_database())
        env = configure(workdir, database_url)
        database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        print(f"Preparing {database} database and static files…", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")  # as a production deployment does
        manage(env, "collectstatic", "--noinput")

        import django

        django.setup()
        cookies = seed_people()
        seed_students(SMALL)
        class_path = seed_class()
        small_pages = STEADY_PAGES + growing_pages(class_path, SMALL)
        large_pages = growing_pages(class_path, args.students)
        if args.profile:
            profile_pages(cookies, small_pages, f"{SMALL} students")
            seed_students(args.students)
            profile_pages(cookies, large_pages, f"{args.students:,} students")
            return 0

        results = []
        with gunicorn(env, args.workers) as (base, master):
            for name, path, who in small_pages:
                print(f"  {name}…", flush=True)
                cookie = f"sessionid={cookies[who]}" if who else None
                results.append(run_wrk(name, base + path, cookie, args, master))
        print(f"Seeding {args.students:,} students…", flush=True)
        started = time.monotonic()
        seed_students(args.students)
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
        # A fresh server, so that no worker carries state from the small run.
        with gunicorn(env, args.workers) as (base, master):
            for name, path, who in large_pages:
                print(f"  {name}…", flush=True)
                results.append(
                    run_wrk(name, base + path, f"sessionid={cookies[who]}", args, master)
                )
        return 0 if print_table(results, args, database) else 1


if __name__ == "__main__":
    sys.exit(main())
