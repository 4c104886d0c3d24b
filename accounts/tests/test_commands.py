import csv
import importlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from accounts import bulk, roles
from accounts.management.commands.create_user import profile_options
from accounts.models import User
from accounts.tests.factories import other_role, profile_data, user_factory, user_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["create_user", "import_users", "export_users", "seed_demo"]
NO_SUCH_ROLE = "no-such-role"


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


def header(config: roles.RoleAppConfig) -> str:
    return ",".join(bulk.columns(config.role))


def csv_rows(*rows) -> str:
    """Return `rows` as CSV lines (a profile value may need quoting)."""
    file = io.StringIO()
    csv.writer(file, lineterminator="\n").writerows(rows)
    return file.getvalue()


def profile_cells(profile: dict) -> list[str]:
    return [str(value) for value in profile.values()]


def profile_args(profile: dict) -> list[str]:
    """Return `create_user`'s options for the profile values `profile`."""
    return [arg for name, value in profile.items() for arg in (option(name), str(value))]


def option(name: str) -> str:
    return f"--{name.replace('_', '-')}"


def profiles(config: roles.RoleAppConfig) -> dict[str, tuple]:
    """Return each user of the role: username and profile values."""
    paths = [f"{config.profile_accessor}__{name}" for name in config.profile_fields]
    return {row[0]: row[1:] for row in config.proxy.objects.values_list("username", *paths)}


def seed_option(config: roles.RoleAppConfig) -> str:
    """Return seed_demo's option for how many accounts of the role (from its proxy's name)."""
    return f"--{config.proxy._meta.model_name}s"


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, name: str = "people.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


class TestExitCodes:
    def test_usage_error_exits_2_from_the_command_line(self, tmp_path):
        result = manage("import_users", "--role", NO_SUCH_ROLE, str(tmp_path / "x.csv"))

        assert result.returncode == 2
        assert f"invalid choice: '{NO_SUCH_ROLE}'" in result.stderr

    def test_bad_input_exits_1_from_the_command_line(self, csv_file, role_config):
        result = manage(
            "import_users",
            "--role",
            role_config.role,
            str(csv_file("name,mail\nada,a@example.com\n")),
        )

        assert result.returncode == 1
        assert f"line 1: the header must be {header(role_config)}" in result.stderr

    def test_own_usage_errors_exit_2_from_the_command_line(self, role_config, role_profile_data):
        result = manage(
            "create_user",
            "--role",
            role_config.role,
            "--username",
            "ada",
            "--email",
            "a@example.com",
            *profile_args(role_profile_data),
            "--no-input",
        )

        assert result.returncode == 2
        assert "SCHOOL_PASSWORD" in result.stderr

    @pytest.mark.parametrize(
        "args", [["import_users"], ["import_users", "--role", NO_SUCH_ROLE, "x.csv"]]
    )
    def test_usage_errors_have_code_2_through_call_command(self, args):
        assert command_error(*args).returncode == 2

    def test_an_unknown_option_has_code_2_through_call_command(self, role_config):
        error = command_error("export_users", "--role", role_config.role, "--unknown")

        assert error.returncode == 2

    @pytest.mark.parametrize("value", ["-1", "many"])
    def test_seed_demo_counts_are_checked_through_call_command(self, role_config, value):
        assert command_error("seed_demo", seed_option(role_config), value).returncode == 2

    def test_bad_input_has_code_1_through_call_command(self, csv_file, role_config):
        error = command_error("import_users", "--role", role_config.role, str(csv_file("")))

        assert error.returncode == 1


class TestImportUsers:
    def test_imports_every_row(self, csv_file, role_config):
        first, second = profile_data(role_config), profile_data(role_config)
        stdout = io.StringIO()
        path = csv_file(
            f"{header(role_config)}\n"
            + csv_rows(
                ["ada", "ada@example.com", "Ada", "Lovelace", *profile_cells(first)],
                ["alan", "alan@example.com", "", "", *profile_cells(second)],
            )
        )

        call_command("import_users", "--role", role_config.role, str(path), stdout=stdout)

        assert "Imported: create 2, update 0, unchanged 0." in stdout.getvalue()
        assert profiles(role_config) == {
            "ada": tuple(first.values()),
            "alan": tuple(second.values()),
        }

    def test_reads_a_bom_and_windows_line_endings(self, tmp_path, role_config, role_profile_data):
        row = ",".join(
            ["zoe", "zoe@example.com", "Zoë", "Ñúñez", *profile_cells(role_profile_data)]
        )
        path = tmp_path / "excel.csv"
        path.write_bytes(f"\ufeff{header(role_config)}\r\n{row}\r\n".encode())

        call_command("import_users", "--role", role_config.role, str(path), verbosity=0)

        assert role_config.proxy.objects.get().first_name == "Zoë"

    def test_names_every_bad_line_and_writes_nothing(
        self, csv_file, role_config, role_profile_data
    ):
        cells = profile_cells(role_profile_data)
        path = csv_file(
            f"{header(role_config)}\n"
            + csv_rows(
                ["ada", "ada@example.com", "", "", *cells],
                ["bob", "bob", "", "", *cells],
                ["ada", "x@example.com", "", "", *cells],
            )
        )

        error = command_error("import_users", "--role", role_config.role, str(path))

        assert error.returncode == 1
        assert "line 3: email: Enter a valid email address." in str(error)
        assert "line 4: username ada repeats line 2" in str(error)
        assert not User.objects.exists()

    def test_dry_run_writes_nothing(self, csv_file, role_config, role_profile_data):
        stdout = io.StringIO()
        row = ["ada", "ada@example.com", "", "", *profile_cells(role_profile_data)]

        call_command(
            "import_users",
            "--role",
            role_config.role,
            str(csv_file(f"{header(role_config)}\n" + csv_rows(row))),
            "--dry-run",
            stdout=stdout,
        )

        assert stdout.getvalue() == (
            "Dry run: would create 1, update 0, unchanged 0; nothing written.\n"
        )
        assert not User.objects.exists()

    @pytest.mark.parametrize("name", ["people.xlsx", "people.pdf"])
    def test_refuses_a_file_that_is_not_csv(self, csv_file, role_config, name):
        error = command_error("import_users", "--role", role_config.role, str(csv_file("x", name)))

        assert error.returncode == 1 and "not a CSV file" in str(error)

    def test_refuses_binary_content(self, tmp_path, role_config):
        path = tmp_path / "image.csv"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")

        error = command_error("import_users", "--role", role_config.role, str(path))

        assert error.returncode == 1 and "not a UTF-8 text file" in str(error)

    def test_refuses_a_missing_file(self, tmp_path, role_config):
        error = command_error("import_users", "--role", role_config.role, str(tmp_path / "no.csv"))

        assert error.returncode == 1 and "No such file" in str(error)

    @pytest.mark.parametrize(
        ("tty", "verbosity", "shown"), [(True, 1, True), (True, 0, False), (False, 1, False)]
    )
    def test_progress_bar_only_on_a_terminal(
        self, csv_file, monkeypatch, role_config, role_profile_data, tty, verbosity, shown
    ):
        stderr = io.StringIO()
        stderr.isatty = lambda: tty
        monkeypatch.setattr(sys, "stderr", stderr)
        row = ["ada", "ada@example.com", "", "", *profile_cells(role_profile_data)]
        path = csv_file(f"{header(role_config)}\n" + csv_rows(row))

        call_command(
            "import_users",
            "--role",
            role_config.role,
            str(path),
            verbosity=verbosity,
            stdout=io.StringIO(),
        )

        assert ("Checking" in stderr.getvalue()) is shown


class TestExportUsers:
    def test_writes_the_role_to_stdout(self, role_config, role_profile_data):
        user = user_factory(role_config)(
            username="ada", email="ada@example.com", first_name="Ada", last_name="L"
        )
        role_config.profile_model.objects.filter(user=user).update(**role_profile_data)
        user_of(other_role(role_config))
        stdout = io.StringIO()

        call_command("export_users", "--role", role_config.role, stdout=stdout)

        row = ["ada", "ada@example.com", "Ada", "L", *profile_cells(role_profile_data)]
        assert stdout.getvalue().splitlines() == [header(role_config), csv_rows(row).rstrip("\n")]

    def test_round_trip_through_a_file(self, tmp_path, role_config):
        user_factory(role_config).create_batch(3, first_name="Zoë")
        fields = ["username", "email", "first_name", "last_name"]
        paths = [f"{role_config.profile_accessor}__{name}" for name in role_config.profile_fields]

        def accounts() -> set[tuple]:
            return set(role_config.proxy.objects.values_list(*fields, *paths))

        before = accounts()
        path = tmp_path / "accounts.csv"

        call_command("export_users", "--role", role_config.role, "--output", str(path), verbosity=0)
        User.objects.all().delete()
        call_command("import_users", "--role", role_config.role, str(path), verbosity=0)

        assert accounts() == before

    def test_password_hashes_only_on_request(self, role_config):
        user_factory(role_config)(password="a-good-password-1")
        plain, with_hash = io.StringIO(), io.StringIO()

        call_command("export_users", "--role", role_config.role, stdout=plain)
        call_command(
            "export_users", "--role", role_config.role, "--password-hash", stdout=with_hash
        )

        assert "password_hash" not in plain.getvalue() and "md5$" not in plain.getvalue()
        assert with_hash.getvalue().splitlines()[1].endswith(User.objects.get().password)


class TestCreateUser:
    @pytest.fixture
    def args(self, role_config, role_profile_data) -> list[str]:
        return [
            "--role",
            role_config.role,
            "--username",
            "ada",
            "--email",
            "ada@example.com",
            *profile_args(role_profile_data),
        ]

    def test_creates_with_the_password_from_the_environment(
        self, monkeypatch, password, role_config, role_profile_data, args
    ):
        monkeypatch.setenv("SCHOOL_PASSWORD", password)
        stdout, stderr = io.StringIO(), io.StringIO()

        call_command(
            "create_user", *args, "--first-name", "Ada", "--no-input", stdout=stdout, stderr=stderr
        )

        ada = role_config.proxy.objects.get()
        assert ada.check_password(password) and ada.first_name == "Ada"
        assert profiles(role_config) == {"ada": tuple(role_profile_data.values())}
        assert not (ada.is_staff or ada.is_superuser)
        assert password not in stdout.getvalue() + stderr.getvalue()

    def test_prompts_twice_without_echo(
        self, monkeypatch, password, role_config, role_profile_data, args
    ):
        answers = iter([password, password])
        monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

        call_command("create_user", *args, stdout=io.StringIO())

        assert profiles(role_config) == {"ada": tuple(role_profile_data.values())}
        assert role_config.proxy.objects.get().check_password(password)

    def test_different_passwords_at_the_prompt(self, monkeypatch, password, args):
        answers = iter([password, password + "x"])
        monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

        assert command_error("create_user", *args).returncode == 1
        assert not User.objects.exists()

    def test_refuses_a_weak_password_with_the_validators_messages(self, monkeypatch, args):
        monkeypatch.setenv("SCHOOL_PASSWORD", "12345")

        error = command_error("create_user", *args, "--no-input")

        assert error.returncode == 1
        assert "This password is too short" in str(error) and "entirely numeric" in str(error)
        assert "12345" not in str(error)
        assert not User.objects.exists()

    def test_refuses_a_taken_username_regardless_of_case(
        self, monkeypatch, password, role_config, role_user, role_profile_data
    ):
        monkeypatch.setenv("SCHOOL_PASSWORD", password)

        error = command_error(
            "create_user",
            "--role",
            role_config.role,
            "--username",
            role_user.username.upper(),
            "--email",
            "new@example.com",
            *profile_args(role_profile_data),
            "--no-input",
        )

        assert (
            error.returncode == 1
            and "username: A user with that username already exists." in str(error)
        )

    def test_the_profile_options_of_the_role_are_required(self, monkeypatch, password, role_config):
        monkeypatch.setenv("SCHOOL_PASSWORD", password)
        args = ("--role", role_config.role, "--username", "ada", "--email", "ada@example.com")

        error = command_error("create_user", *args, "--no-input")

        assert error.returncode == 2
        assert f"is required for a {role_config.role_name}." in str(error)
        assert not User.objects.exists()

    def test_profile_options_of_other_roles_are_refused(
        self, monkeypatch, password, role_config, args
    ):
        monkeypatch.setenv("SCHOOL_PASSWORD", password)
        foreign = [name for name in profile_options() if name not in role_config.profile_fields]
        # With no other role's field installed, an option no role has is refused alike.
        extra = [option(foreign[0]), "x"] if foreign else ["--no-such-field", "x"]

        assert command_error("create_user", *args, *extra, "--no-input").returncode == 2
        assert not User.objects.exists()


class TestCreateUserPasswordAndEmail:
    """An operator chose the password: its owner must replace it, unless told otherwise.

    An email address is asked where the role needs one.
    """

    @pytest.fixture
    def args(self, role_config, role_profile_data, monkeypatch, password) -> list[str]:
        monkeypatch.setenv("SCHOOL_PASSWORD", password)
        return [
            "--role",
            role_config.role,
            "--username",
            "ada",
            "--email",
            "ada@example.com",
            *profile_args(role_profile_data),
            "--no-input",
        ]

    def test_the_owner_must_change_the_password(self, role_config, args, password):
        stdout = io.StringIO()

        call_command("create_user", *args, stdout=stdout)

        ada = role_config.proxy.objects.get()
        assert ada.must_change_password and ada.check_password(password)
        assert "They choose their own password at first login." in stdout.getvalue()

    def test_unless_no_must_change(self, role_config, args):
        stdout = io.StringIO()

        call_command("create_user", *args, "--no-must-change", stdout=stdout)

        assert not role_config.proxy.objects.get().must_change_password
        assert "choose their own" not in stdout.getvalue()

    def test_email_is_required_where_the_role_says(self, role_config, args):
        without_email = [arg for arg in args if arg not in ("--email", "ada@example.com")]

        if role_config.email_required:
            error = command_error("create_user", *without_email)
            assert error.returncode == 2
            assert str(error) == f"--email is required for a {role_config.role_name}."
            assert not User.objects.exists()
        else:
            call_command("create_user", *without_email, stdout=io.StringIO())
            assert role_config.proxy.objects.get(username="ada").email == ""

    def test_an_email_taken_in_another_case_is_refused(self, role_config, args):
        user_of(other_role(role_config), email="ADA@example.com")

        error = command_error("create_user", *args)

        assert error.returncode == 1
        assert "email: A user with that email address already exists." in str(error)


class TestSeedDemo:
    @pytest.fixture
    def counts(self) -> dict[str, int]:
        """How many accounts of each role to seed: a few, and not the same for every role."""
        return {config.role: 2 + 2 * n for n, config in enumerate(roles.registered())}

    def seed(self, counts: dict[str, int], *args: str) -> str:
        stdout = io.StringIO()
        options = [
            arg
            for config in roles.registered()
            for arg in (seed_option(config), str(counts[config.role]))
        ]
        call_command("seed_demo", *options, *args, stdout=stdout)
        return stdout.getvalue()

    def test_makes_every_role_and_prints_their_logins(self, counts):
        output = self.seed(counts, "--seed", "1")

        for config in roles.registered():
            users = config.proxy.objects.select_related(config.profile_accessor)
            assert users.count() == counts[config.role], config.role
            for user in users:
                getattr(user, config.profile_accessor).full_clean()  # a valid profile each
        for user in User.objects.all():
            assert user.username in output
            assert user.check_password("demo-password-2024")
        assert "demo-password-2024" in output
        assert not User.objects.filter(is_staff=True).exists()
        assert not User.objects.filter(is_superuser=True).exists()

    def test_prints_the_roles_in_the_order_of_the_apps(self, counts):
        lines = self.seed(counts).splitlines()

        printed = [line.split()[0] for line in lines[:-1]]
        assert printed == [
            config.role_name for config in roles.registered() for _n in range(counts[config.role])
        ]

    def test_defaults_come_from_the_role_apps(self):
        call_command("seed_demo", stdout=io.StringIO())

        for config in roles.registered():
            assert config.proxy.objects.count() == config.demo_count, config.role

    def test_runs_twice(self, counts):
        self.seed(counts)
        self.seed(counts)

        assert User.objects.count() == 2 * sum(counts.values())

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


class TestImportModes:
    @pytest.fixture
    def school(self, role_config, role_profile_data):
        """Two accounts of the role, and their export (the import format)."""
        for username in ("ada", "alan"):
            user = user_factory(role_config)(username=username, email=f"{username}@example.com")
            role_config.profile_model.objects.filter(user=user).update(**role_profile_data)
        out = io.StringIO()
        bulk.users_export(role=role_config.role, file=out)
        return out.getvalue()

    def test_reimporting_an_edited_export_updates_that_account(self, csv_file, role_config, school):
        # The operator's scenario: export, fix one surname in a spreadsheet, import it back.
        lines = school.splitlines()
        record = next(csv.reader([lines[1]]))
        record[3] = "Lovelace"
        lines[1] = csv_rows(record).strip()
        path = csv_file("\n".join(lines) + "\n")
        stdout = io.StringIO()

        call_command(
            "import_users", "--role", role_config.role, "--mode", "update", str(path), stdout=stdout
        )

        assert stdout.getvalue() == "Imported: create 0, update 1, unchanged 1.\n"
        assert dict(User.objects.values_list("username", "last_name"))[record[0]] == "Lovelace"

    def test_create_mode_refuses_the_same_file(self, csv_file, role_config, school):
        error = command_error("import_users", "--role", role_config.role, str(csv_file(school)))

        assert error.returncode == 1 and "line 2: username ada is already taken" in str(error)

    def test_dry_run_prints_the_counts_then_every_bad_line(
        self, csv_file, role_config, role_profile_data, school
    ):
        text = school + csv_rows(
            ["grace", "grace@example.com", "", "", *profile_cells(role_profile_data)],
            ["bad name!", "x@example.com", "", "", *profile_cells(role_profile_data)],
        )
        stdout = io.StringIO()

        with pytest.raises(CommandError) as excinfo:
            call_command(
                "import_users",
                "--role",
                role_config.role,
                "--mode",
                "upsert",
                "--dry-run",
                str(csv_file(text)),
                stdout=stdout,
            )

        assert excinfo.value.returncode == 1
        assert stdout.getvalue() == (
            "Dry run: would create 1, update 0, unchanged 2 (the good rows); nothing written.\n"
        )
        assert "line 5: username: Enter a valid username" in str(excinfo.value)
        assert not User.objects.filter(username="grace").exists()

    def test_dry_run_of_a_good_file(self, csv_file, role_config, role_profile_data, school):
        text = school.replace(",ada@example.com,", ",ada@example.org,") + csv_rows(
            ["grace", "grace@example.com", "", "", *profile_cells(role_profile_data)]
        )
        stdout = io.StringIO()

        call_command(
            "import_users",
            "--role",
            role_config.role,
            "--mode",
            "upsert",
            "--dry-run",
            str(csv_file(text)),
            stdout=stdout,
        )

        assert stdout.getvalue() == (
            "Dry run: would create 1, update 1, unchanged 1; nothing written.\n"
        )
        assert User.objects.get(username="ada").email == "ada@example.com"

    def test_an_unknown_mode_is_a_usage_error(self, csv_file, role_config, school):
        error = command_error(
            "import_users", "--role", role_config.role, "--mode", "merge", str(csv_file(school))
        )

        assert error.returncode == 2


class TestForgivingFiles:
    def test_a_european_excel_file_imports_as_it_is(self, tmp_path, role_config, role_profile_data):
        # Excel in a European locale: "CSV (semicolon)", Windows-1252, CRLF, headers as typed.
        names = ["User Name", "E-mail", "First Name", "Last Name"]
        names += [name.replace("_", " ").title() for name in role_config.profile_fields]
        path = tmp_path / "export.csv"
        path.write_bytes(
            (
                ";".join(names)
                + "\r\n"
                + ";".join(
                    ["zoe", "zoe@example.com", "Zoë", "Müller", *profile_cells(role_profile_data)]
                )
                + "\r\n;;;;\r\n"
            ).encode("cp1252")
        )
        error = command_error("import_users", "--role", role_config.role, str(path))
        assert error.returncode == 1
        assert "line 2: this is not a UTF-8 text file" in str(error)
        assert "--encoding cp1252" in str(error)

        call_command(
            "import_users",
            "--role",
            role_config.role,
            "--encoding",
            "cp1252",
            str(path),
            verbosity=0,
        )
        user = role_config.proxy.objects.get()
        assert (user.username, user.first_name, user.last_name) == ("zoe", "Zoë", "Müller")

    def test_unicode_text_from_excel_is_utf16_and_tab_separated(
        self, tmp_path, role_config, role_profile_data
    ):
        path = tmp_path / "people.txt"  # Excel's "Unicode Text"
        path.write_bytes(
            (
                "\t".join(bulk.columns(role_config.role))
                + "\r\n"
                + "\t".join(
                    ["zoe", "zoe@example.com", "Zoë", "Ñúñez", *profile_cells(role_profile_data)]
                )
                + "\r\n"
            ).encode("utf-16")
        )

        call_command("import_users", "--role", role_config.role, str(path), verbosity=0)

        assert role_config.proxy.objects.get().last_name == "Ñúñez"

    def test_another_encoding_that_fails_suggests_another(self, tmp_path, role_config):
        path = tmp_path / "x.csv"
        path.write_bytes(b"username\x81\n")

        error = command_error(
            "import_users", "--role", role_config.role, "--encoding", "cp1252", str(path)
        )

        assert "line 1: this is not a cp1252 text file; try another --encoding" in str(error)


class TestOneTimePasswords:
    @pytest.fixture
    def people(self, csv_file, role_config, role_profile_data):
        return csv_file(
            f"{header(role_config)}\n"
            + csv_rows(
                ["ada", "ada@example.com", "", "", *profile_cells(role_profile_data)],
                ["alan", "alan@example.com", "", "", *profile_cells(role_profile_data)],
            )
        )

    def test_created_accounts_get_one_and_the_file_is_private(self, tmp_path, role_config, people):
        out = tmp_path / "passwords.csv"
        stdout = io.StringIO()

        call_command(
            "import_users",
            "--role",
            role_config.role,
            str(people),
            "--one-time-passwords",
            str(out),
            stdout=stdout,
        )

        assert out.stat().st_mode & 0o777 == 0o600
        rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
        assert [row["username"] for row in rows] == ["ada", "alan"]
        for row in rows:
            user = User.objects.get(username=row["username"])
            assert user.check_password(row["password"]) and user.must_change_password
        assert f"Wrote 2 one-time passwords to {out}" in stdout.getvalue()

    def test_an_existing_file_is_never_overwritten(self, tmp_path, role_config, people):
        out = tmp_path / "passwords.csv"
        out.write_text("username,password\nearlier,abc-def-ghj\n")

        error = command_error(
            "import_users",
            "--role",
            role_config.role,
            str(people),
            "--one-time-passwords",
            str(out),
        )

        assert error.returncode == 1 and "not overwritten" in str(error)
        assert out.read_text() == "username,password\nearlier,abc-def-ghj\n"
        assert not User.objects.exists()

    def test_a_refused_import_leaves_no_file(self, tmp_path, csv_file, role_config):
        out = tmp_path / "passwords.csv"

        error = command_error(
            "import_users",
            "--role",
            role_config.role,
            str(csv_file("nonsense\n")),
            "--one-time-passwords",
            str(out),
        )

        assert error.returncode == 1 and not out.exists()

    def test_a_dry_run_writes_no_file(self, tmp_path, role_config, people):
        out = tmp_path / "passwords.csv"
        stdout = io.StringIO()

        call_command(
            "import_users",
            "--role",
            role_config.role,
            str(people),
            "--dry-run",
            "--one-time-passwords",
            str(out),
            stdout=stdout,
        )

        assert not out.exists() and not User.objects.exists()
        assert f"Would write 2 one-time passwords to {out}." in stdout.getvalue()

    def test_without_the_option_no_usable_password(self, role_config, people):
        call_command("import_users", "--role", role_config.role, str(people), verbosity=0)

        assert not any(user.has_usable_password() for user in User.objects.all())
        assert not User.objects.filter(must_change_password=True).exists()
