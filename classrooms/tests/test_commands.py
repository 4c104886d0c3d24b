import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from classrooms.models import Classroom, Enrollment
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HEADER = "class_name,subject,teacher_username,student_username"


def manage(*args: str) -> subprocess.CompletedProcess:
    """Run manage.py in a child process, as an operator would (no database needed)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "school.settings.test"},
        timeout=60,
    )


def run(*args, **options) -> str:
    stdout = io.StringIO()
    call_command(*args, stdout=stdout, stderr=io.StringIO(), **options)
    return stdout.getvalue()


def command_error(*args, **options) -> CommandError:
    with pytest.raises(CommandError) as excinfo:
        run(*args, **options)
    return excinfo.value


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, name: str = "classes.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def people():
    return TeacherFactory(username="mrs-k"), StudentFactory(username="ada")


class TestExitCodes:
    def test_usage_error_exits_2_from_the_command_line(self):
        result = manage("import_classes")

        assert result.returncode == 2
        assert "the following arguments are required: file" in result.stderr

    def test_bad_input_exits_1_from_the_command_line(self, csv_file):
        result = manage("import_classes", str(csv_file("class,teacher\n")))

        assert result.returncode == 1
        assert f"line 1: the header must be {HEADER}" in result.stderr

    @pytest.mark.parametrize(
        "args", [["import_classes"], ["export_classes", "--unknown"], ["import_classes", "a", "b"]]
    )
    def test_usage_errors_have_code_2_through_call_command(self, args):
        assert command_error(*args).returncode == 2

    def test_bad_input_has_code_1_through_call_command(self, csv_file):
        assert command_error("import_classes", str(csv_file(""))).returncode == 1


class TestImportClasses:
    def test_imports_and_prints_the_counts(self, csv_file, people):
        path = csv_file(f"{HEADER}\nMaths,Algebra,mrs-k,ada\nArt,,mrs-k,\n")

        output = run("import_classes", str(path))

        assert "Imported 2 rows: 2 classes created (0 already there)," in output
        assert "1 enrollments added (0 already there)." in output
        assert Classroom.objects.count() == 2 and Enrollment.objects.count() == 1

    def test_a_second_import_says_there_is_nothing_to_do(self, csv_file, people):
        path = csv_file(f"{HEADER}\nMaths,Algebra,mrs-k,ada\n")
        run("import_classes", str(path))

        output = run("import_classes", str(path))

        assert output.startswith("Nothing to do: 0 classes created (1 already there)")
        assert "0 enrollments added (1 already there)" in output
        assert Enrollment.objects.count() == 1

    def test_names_every_bad_line_and_writes_nothing(self, csv_file, people):
        path = csv_file(f"{HEADER}\nMaths,,mrs-k,ada\nMaths,,mrs-k,nobody\nArt,,ada,\n")

        error = command_error("import_classes", str(path))

        assert error.returncode == 1
        assert str(error).splitlines() == [
            f"{path}: nothing imported.",
            "line 3: student_username: no user nobody",
            "line 4: teacher_username: ada is not a teacher",
        ]
        assert not Classroom.objects.exists()

    def test_dry_run_writes_nothing_and_says_so(self, csv_file, people):
        path = csv_file(f"{HEADER}\nMaths,,mrs-k,ada\n")

        output = run("import_classes", str(path), "--dry-run")

        assert "1 rows are valid; would be: 1 classes created" in output
        assert "Nothing written (dry run)." in output
        assert not Classroom.objects.exists()

    def test_reads_a_bom_and_windows_line_endings(self, tmp_path, people):
        path = tmp_path / "excel.csv"
        path.write_bytes(f"\ufeff{HEADER}\r\nMathé,,mrs-k,ada\r\n".encode())

        run("import_classes", str(path), verbosity=0)

        assert Classroom.objects.get().name == "Mathé"

    @pytest.mark.parametrize("name", ["classes.xlsx", "classes.pdf"])
    def test_refuses_a_file_that_is_not_csv(self, csv_file, name):
        error = command_error("import_classes", str(csv_file(f"{HEADER}\n", name)))

        assert error.returncode == 1 and "not a CSV file" in str(error)

    def test_reads_a_european_spreadsheet_through_the_shared_reader(self, tmp_path, people):
        # Semicolons, Windows-1252, headers as a person types them, a row of empty cells.
        path = tmp_path / "classes.csv"
        path.write_bytes(
            "Class Name;Subject;Teacher-Username;Student Username\r\n"
            "Mathé;Maths;mrs-k;ada\r\n;;;\r\n".encode("cp1252")
        )

        error = command_error("import_classes", str(path))
        assert error.returncode == 1 and "--encoding cp1252" in str(error)

        run("import_classes", "--encoding", "cp1252", str(path), verbosity=0)

        assert Enrollment.objects.get().classroom.name == "Mathé"

    def test_reads_tab_separated_utf16_text(self, tmp_path, people):
        path = tmp_path / "classes.txt"
        path.write_bytes((HEADER.replace(",", "\t") + "\r\nArt\t\tmrs-k\tada\r\n").encode("utf-16"))

        run("import_classes", str(path), verbosity=0)

        assert Enrollment.objects.get().classroom.name == "Art"

    def test_refuses_binary_content(self, tmp_path):
        path = tmp_path / "image.csv"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")

        error = command_error("import_classes", str(path))

        assert error.returncode == 1 and "not a UTF-8 text file" in str(error)

    def test_refuses_a_missing_file(self, tmp_path):
        error = command_error("import_classes", str(tmp_path / "no.csv"))

        assert error.returncode == 1 and "No such file" in str(error)

    @pytest.mark.parametrize(
        ("tty", "verbosity", "shown"), [(True, 1, True), (True, 0, False), (False, 1, False)]
    )
    def test_progress_bar_only_on_a_terminal(
        self, csv_file, monkeypatch, people, tty, verbosity, shown
    ):
        stderr = io.StringIO()
        stderr.isatty = lambda: tty
        monkeypatch.setattr(sys, "stderr", stderr)
        path = csv_file(f"{HEADER}\nMaths,,mrs-k,ada\n")

        call_command("import_classes", str(path), verbosity=verbosity, stdout=io.StringIO())

        assert ("Checking" in stderr.getvalue()) is shown


class TestExportClasses:
    def test_writes_the_classes_to_stdout(self, people):
        teacher, ada = people
        EnrollmentFactory(
            classroom=ClassroomFactory(teacher=teacher, name="Maths", subject="Algebra"),
            student=ada,
        )

        assert run("export_classes").splitlines() == [HEADER, "Maths,Algebra,mrs-k,ada"]

    def test_round_trip_through_a_file_into_a_school_without_classes(self, tmp_path, people):
        teacher, ada = people
        bob = StudentFactory(username="bob")
        maths = ClassroomFactory(teacher=teacher, name="Maths", subject="Algebra")
        for student in (ada, bob):
            EnrollmentFactory(classroom=maths, student=student)
        ClassroomFactory(teacher=TeacherFactory(), name="Empty", subject="Art")

        def school() -> tuple[set, set]:
            return (
                set(Classroom.objects.values_list("teacher", "name", "subject")),
                set(Enrollment.objects.values_list("classroom__name", "student")),
            )

        before = school()
        path = tmp_path / "classes.csv"

        call_command("export_classes", "--output", str(path), verbosity=0)
        Classroom.objects.all().delete()
        output = run("import_classes", str(path))

        assert school() == before
        assert "2 classes created (0 already there), 2 enrollments added" in output

    def test_an_unwritable_output_is_bad_input(self, tmp_path):
        error = command_error("export_classes", "--output", str(tmp_path / "no" / "x.csv"))

        assert error.returncode == 1
