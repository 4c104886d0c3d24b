import importlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from accounts.models import User
from accounts.tests.factories import StudentFactory, TeacherFactory
from students.models import Student
from teachers.models import Teacher

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
STUDENT_HEADER = "username,email,first_name,last_name,grade"
COMMANDS = ["create_user", "import_users", "export_users", "seed_demo"]


def manage(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run manage.py in a child process, as an operator would (no database needed)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "school.settings.test",
            **(env or {}),
        },
        timeout=60,
    )


def command_error(*args, **options) -> CommandError:
    with pytest.raises(CommandError) as excinfo:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO(), **options)
    return excinfo.value


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, name: str = "people.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


class TestExitCodes:
    def test_usage_error_exits_2_from_the_command_line(self, tmp_path):
        result = manage("import_users", "--role", "parent", str(tmp_path / "x.csv"))

        assert result.returncode == 2
        assert "invalid choice: 'parent'" in result.stderr

    def test_bad_input_exits_1_from_the_command_line(self, csv_file):
        result = manage(
            "import_users", "--role", "student", str(csv_file("name,mail\nada,a@example.com\n"))
        )

        assert result.returncode == 1
        assert (
            "line 1: the header must be username,email,first_name,last_name,grade" in result.stderr
        )

    def test_own_usage_errors_exit_2_from_the_command_line(self):
        result = manage(
            "create_user",
            "--role",
            "student",
            "--username",
            "ada",
            "--email",
            "a@example.com",
            "--grade",
            "3",
            "--no-input",
        )

        assert result.returncode == 2
        assert "SCHOOL_PASSWORD" in result.stderr

    @pytest.mark.parametrize(
        "args",
        [
            ["import_users"],
            ["import_users", "--role", "parent", "x.csv"],
            ["export_users", "--role", "student", "--unknown"],
            ["seed_demo", "--students", "-1"],
            ["seed_demo", "--teachers", "many"],
        ],
    )
    def test_usage_errors_have_code_2_through_call_command(self, args):
        assert command_error(*args).returncode == 2

    def test_bad_input_has_code_1_through_call_command(self, csv_file):
        assert command_error("import_users", "--role", "student", str(csv_file(""))).returncode == 1


class TestImportUsers:
    def test_imports_every_row(self, csv_file):
        stdout = io.StringIO()
        path = csv_file(
            f"{STUDENT_HEADER}\nada,ada@example.com,Ada,Lovelace,7\nalan,alan@example.com,,,9\n"
        )

        call_command("import_users", "--role", "student", str(path), stdout=stdout)

        assert "Imported 2 student accounts." in stdout.getvalue()
        assert set(Student.objects.values_list("username", "student_profile__grade")) == {
            ("ada", 7),
            ("alan", 9),
        }

    def test_reads_a_bom_and_windows_line_endings(self, tmp_path):
        path = tmp_path / "excel.csv"
        path.write_bytes(f"\ufeff{STUDENT_HEADER}\r\nzoe,zoe@example.com,Zoë,Ñúñez,5\r\n".encode())

        call_command("import_users", "--role", "student", str(path), verbosity=0)

        assert Student.objects.get().first_name == "Zoë"

    def test_names_every_bad_line_and_writes_nothing(self, csv_file):
        path = csv_file(
            f"{STUDENT_HEADER}\nada,ada@example.com,,,7\nbob,bob,,,7\nada,x@example.com,,,14\n"
        )

        error = command_error("import_users", "--role", "student", str(path))

        assert error.returncode == 1
        assert "line 3: email: Enter a valid email address." in str(error)
        assert "line 4: grade: Select a valid choice. 14" in str(error)
        assert "line 4: " in str(error) and "username ada repeats line 2" in str(error)
        assert not User.objects.exists()

    def test_dry_run_writes_nothing(self, csv_file):
        stdout = io.StringIO()
        call_command(
            "import_users",
            "--role",
            "student",
            str(csv_file(f"{STUDENT_HEADER}\nada,ada@example.com,,,7\n")),
            "--dry-run",
            stdout=stdout,
        )

        assert "1 student rows are valid" in stdout.getvalue()
        assert not User.objects.exists()

    @pytest.mark.parametrize("name", ["people.xlsx", "people.pdf"])
    def test_refuses_a_file_that_is_not_csv(self, csv_file, name):
        error = command_error("import_users", "--role", "student", str(csv_file("x", name)))

        assert error.returncode == 1 and "not a CSV file" in str(error)

    def test_refuses_binary_content(self, tmp_path):
        path = tmp_path / "image.csv"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")

        error = command_error("import_users", "--role", "student", str(path))

        assert error.returncode == 1 and "not a UTF-8 text file" in str(error)

    def test_refuses_a_missing_file(self, tmp_path):
        error = command_error("import_users", "--role", "student", str(tmp_path / "nope.csv"))

        assert error.returncode == 1 and "No such file" in str(error)

    @pytest.mark.parametrize(
        ("tty", "verbosity", "shown"), [(True, 1, True), (True, 0, False), (False, 1, False)]
    )
    def test_progress_bar_only_on_a_terminal(self, csv_file, monkeypatch, tty, verbosity, shown):
        stderr = io.StringIO()
        stderr.isatty = lambda: tty
        monkeypatch.setattr(sys, "stderr", stderr)
        path = csv_file(f"{STUDENT_HEADER}\nada,ada@example.com,,,7\n")

        call_command(
            "import_users",
            "--role",
            "student",
            str(path),
            verbosity=verbosity,
            stdout=io.StringIO(),
        )

        assert ("Checking" in stderr.getvalue()) is shown


class TestExportUsers:
    def test_writes_the_role_to_stdout(self):
        StudentFactory(
            username="ada",
            email="ada@example.com",
            first_name="Ada",
            last_name="L",
            profile__grade=3,
        )
        TeacherFactory()
        stdout = io.StringIO()

        call_command("export_users", "--role", "student", stdout=stdout)

        assert stdout.getvalue().splitlines() == [STUDENT_HEADER, "ada,ada@example.com,Ada,L,3"]

    def test_round_trip_through_a_file(self, tmp_path):
        TeacherFactory.create_batch(3, first_name="Zoë")
        before = set(
            Teacher.objects.values_list(
                "username", "email", "first_name", "teacher_profile__subject"
            )
        )
        path = tmp_path / "teachers.csv"

        call_command("export_users", "--role", "teacher", "--output", str(path), verbosity=0)
        User.objects.all().delete()
        call_command("import_users", "--role", "teacher", str(path), verbosity=0)

        after = set(
            Teacher.objects.values_list(
                "username", "email", "first_name", "teacher_profile__subject"
            )
        )
        assert after == before

    def test_password_hashes_only_on_request(self):
        StudentFactory(password="a-good-password-1")
        plain, with_hash = io.StringIO(), io.StringIO()

        call_command("export_users", "--role", "student", stdout=plain)
        call_command("export_users", "--role", "student", "--password-hash", stdout=with_hash)

        assert "password_hash" not in plain.getvalue() and "md5$" not in plain.getvalue()
        assert with_hash.getvalue().splitlines()[1].endswith(User.objects.get().password)


class TestCreateUser:
    ARGS = ("--role", "student", "--username", "ada", "--email", "ada@example.com", "--grade", "7")

    def test_creates_with_the_password_from_the_environment(self, monkeypatch, password):
        monkeypatch.setenv("SCHOOL_PASSWORD", password)
        stdout, stderr = io.StringIO(), io.StringIO()

        call_command(
            "create_user",
            *self.ARGS,
            "--first-name",
            "Ada",
            "--no-input",
            stdout=stdout,
            stderr=stderr,
        )

        ada = Student.objects.get()
        assert (
            ada.check_password(password)
            and ada.student_profile.grade == 7
            and ada.first_name == "Ada"
        )
        assert not (ada.is_staff or ada.is_superuser)
        assert password not in stdout.getvalue() + stderr.getvalue()

    def test_prompts_twice_without_echo(self, monkeypatch, password):
        answers = iter([password, password])
        monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

        call_command(
            "create_user",
            "--role",
            "teacher",
            "--username",
            "grace",
            "--email",
            "g@example.com",
            "--subject",
            "Navy",
            stdout=io.StringIO(),
        )

        assert Teacher.objects.get().teacher_profile.subject == "Navy"

    def test_different_passwords_at_the_prompt(self, monkeypatch, password):
        answers = iter([password, password + "x"])
        monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

        assert command_error("create_user", *self.ARGS).returncode == 1
        assert not User.objects.exists()

    def test_refuses_a_weak_password_with_the_validators_messages(self, monkeypatch):
        monkeypatch.setenv("SCHOOL_PASSWORD", "12345")

        error = command_error("create_user", *self.ARGS, "--no-input")

        assert error.returncode == 1
        assert "This password is too short" in str(error) and "entirely numeric" in str(error)
        assert "12345" not in str(error)
        assert not User.objects.exists()

    def test_refuses_a_taken_username_regardless_of_case(self, monkeypatch, password, student):
        monkeypatch.setenv("SCHOOL_PASSWORD", password)

        error = command_error(
            "create_user",
            "--role",
            "student",
            "--username",
            student.username.upper(),
            "--email",
            "new@example.com",
            "--grade",
            "3",
            "--no-input",
        )

        assert (
            error.returncode == 1
            and "username: A user with that username already exists." in str(error)
        )

    def test_refuses_an_out_of_range_grade(self, monkeypatch, password):
        monkeypatch.setenv("SCHOOL_PASSWORD", password)

        error = command_error("create_user", *self.ARGS[:-1], "13", "--no-input")

        assert error.returncode == 1 and "grade: Select a valid choice." in str(error)

    @pytest.mark.parametrize(
        "args",
        [
            ("--role", "student", "--username", "ada", "--email", "ada@example.com"),
            (
                "--role",
                "teacher",
                "--username",
                "ada",
                "--email",
                "ada@example.com",
                "--grade",
                "3",
                "--subject",
                "Art",
            ),
        ],
    )
    def test_profile_options_must_fit_the_role(self, monkeypatch, password, args):
        monkeypatch.setenv("SCHOOL_PASSWORD", password)

        assert command_error("create_user", *args, "--no-input").returncode == 2
        assert not User.objects.exists()


class TestSeedDemo:
    def test_makes_students_and_teachers_and_prints_their_logins(self):
        stdout = io.StringIO()

        call_command(
            "seed_demo", "--students", "6", "--teachers", "2", "--seed", "1", stdout=stdout
        )

        assert Student.objects.filter(student_profile__grade__range=(1, 12)).count() == 6
        assert Teacher.objects.exclude(teacher_profile__subject="").count() == 2
        output = stdout.getvalue()
        for user in User.objects.all():
            assert user.username in output
            assert user.check_password("demo-password-2024")
        assert "demo-password-2024" in output
        assert not User.objects.filter(is_staff=True).exists()
        assert not User.objects.filter(is_superuser=True).exists()

    def test_runs_twice(self):
        call_command("seed_demo", "--students", "2", "--teachers", "1", stdout=io.StringIO())
        call_command("seed_demo", "--students", "2", "--teachers", "1", stdout=io.StringIO())

        assert User.objects.count() == 6

    def test_refused_when_demo_data_is_not_allowed(self, settings):
        settings.DEMO_DATA_ALLOWED = False

        assert command_error("seed_demo").returncode == 1
        assert not User.objects.exists()

    def test_production_settings_forbid_demo_data(self, monkeypatch):
        monkeypatch.setenv("SECRET_KEY", "p" * 60)

        production = importlib.import_module("school.settings.production")

        assert production.DEMO_DATA_ALLOWED is False


@pytest.mark.parametrize("name", COMMANDS)
def test_help_explains_every_option(name):
    command = load_command_class("accounts", name)
    parser = command.create_parser("manage.py", name)

    assert command.help
    for action in parser._actions:
        assert action.help, f"{name}: {action.option_strings or action.dest} has no help"
