import csv
import io
import time

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from accounts.bulk import BadFile
from accounts.tests.factories import AdminFactory
from classrooms import bulk, codes
from classrooms.models import Classroom, Enrollment
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

HEADER = "class_name,subject,teacher_username,student_username"


def text(*rows: list[str], header: str = HEADER) -> str:
    file = io.StringIO()
    csv.writer(file, lineterminator="\n").writerows(rows)
    return f"{header}\n{file.getvalue()}"


def run_import(content: str, **kwargs) -> bulk.ImportResult:
    return bulk.classes_import(file=io.StringIO(content, newline=""), **kwargs)


def import_errors(content: str) -> list[str]:
    classes, enrollments = Classroom.objects.count(), Enrollment.objects.count()
    with pytest.raises(BadFile) as excinfo:
        run_import(content)
    assert (Classroom.objects.count(), Enrollment.objects.count()) == (classes, enrollments)
    return excinfo.value.errors


def export() -> str:
    file = io.StringIO()
    bulk.classes_export(file=file)
    return file.getvalue()


def enrollments() -> set[tuple[str, str, str, str]]:
    return set(
        Enrollment.objects.values_list(
            "classroom__teacher__username",
            "classroom__name",
            "classroom__subject",
            "student__username",
        )
    )


@pytest.fixture
def people():
    """A teacher and two students (the names as an operator would type them)."""
    return (
        TeacherFactory(username="mrs-k"),
        StudentFactory(username="ada"),
        StudentFactory(username="bob"),
    )


class TestImport:
    def test_creates_classes_with_codes_and_enrolls(self, people):
        teacher, ada, bob = people

        result = run_import(
            text(
                ["Maths 7A", "Maths", "mrs-k", "ada"],
                ["Maths 7A", "Maths", "mrs-k", "bob"],
                ["Art", "", "mrs-k", ""],
            )
        )

        assert result == bulk.ImportResult(rows=3, classes_created=2, enrollments_added=2)
        maths, art = Classroom.objects.get(name="Maths 7A"), Classroom.objects.get(name="Art")
        assert (maths.teacher, maths.subject) == (teacher, "Maths")
        assert set(maths.students.all()) == {ada, bob}
        assert not art.students.exists() and art.teacher == teacher
        assert codes.is_well_formed(maths.join_code) and maths.join_code != art.join_code

    def test_finds_a_class_by_teacher_and_name_in_any_case(self, people):
        teacher, ada, bob = people
        maths = ClassroomFactory(teacher=teacher, name="Maths 7A", subject="Maths")
        EnrollmentFactory(classroom=maths, student=ada)

        result = run_import(
            text(["MATHS 7a", "", "MRS-K", "ADA"], ["maths 7a", "Maths", "Mrs-K", "Bob"])
        )

        assert Classroom.objects.get() == maths
        assert set(maths.students.all()) == {ada, bob}
        assert (result.classes_found, result.enrollments_added, result.enrollments_already) == (
            1,
            1,
            1,
        )

    def test_the_same_name_by_another_teacher_is_another_class(self, people):
        teacher, ada, _bob = people
        theirs = ClassroomFactory(name="Maths 7A")

        run_import(text(["Maths 7A", "", "mrs-k", "ada"]))

        assert Classroom.objects.count() == 2
        assert not theirs.students.exists()
        assert ada.classes_attended.get().teacher == teacher

    def test_a_second_import_changes_nothing(self, people):
        content = text(["Maths 7A", "Maths", "mrs-k", "ada"], ["Art", "", "mrs-k", ""])
        run_import(content)
        codes_before = set(Classroom.objects.values_list("join_code", flat=True))

        result = run_import(content)

        assert result.changes == 0
        assert (result.classes_found, result.enrollments_already) == (2, 1)
        assert set(Classroom.objects.values_list("join_code", flat=True)) == codes_before
        assert Enrollment.objects.count() == 1

    def test_an_existing_class_keeps_its_subject_unless_it_has_none(self, people):
        teacher, _ada, _bob = people
        ClassroomFactory(teacher=teacher, name="Maths", subject="Algebra")
        ClassroomFactory(teacher=teacher, name="Art", subject="")

        result = run_import(
            text(["Maths", "Geometry", "mrs-k", ""], ["Art", "Drawing", "mrs-k", ""])
        )

        assert dict(Classroom.objects.values_list("name", "subject")) == {
            "Maths": "Algebra",
            "Art": "Drawing",
        }
        assert result.subjects_set == 1

    def test_an_archived_class_beside_an_active_one_of_the_same_name(self, people):
        teacher, ada, _bob = people
        ClassroomFactory(teacher=teacher, name="Maths", is_archived=True)
        active = ClassroomFactory(teacher=teacher, name="Maths")

        run_import(text(["Maths", "", "mrs-k", "ada"]))

        assert list(ada.classes_attended.all()) == [active]

    def test_dry_run_counts_and_writes_nothing(self, people):
        teacher, ada, _bob = people
        EnrollmentFactory(classroom=ClassroomFactory(teacher=teacher, name="Art"), student=ada)

        result = run_import(
            text(["Maths", "", "mrs-k", "ada"], ["Art", "", "mrs-k", "ada"]), dry_run=True
        )

        assert result == bulk.ImportResult(
            rows=2,
            classes_created=1,
            classes_found=1,
            enrollments_added=1,
            enrollments_already=1,
        )
        assert Classroom.objects.count() == 1 and Enrollment.objects.count() == 1

    def test_bom_crlf_accents_blank_lines_and_any_column_order(self, people):
        content = "\ufeffteacher_username,student_username,class_name,subject\r\n\r\n"
        content += "mrs-k,ada,Français 6ᵉ,Langues\r\n"
        with (
            io.BytesIO(content.encode()) as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as file,
        ):
            bulk.classes_import(file=file)

        assert enrollments() == {("mrs-k", "Français 6ᵉ", "Langues", "ada")}

    def test_a_refusal_of_the_database_undoes_the_classes(self, people, monkeypatch):
        def collide(objs, **kwargs):
            raise IntegrityError("simulated")

        monkeypatch.setattr(Enrollment.objects, "bulk_create", collide)

        with pytest.raises(BadFile, match="the database refused the rows"):
            run_import(text(["Maths", "", "mrs-k", "ada"]))

        assert not Classroom.objects.exists()


class TestBadFiles:
    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            ("", "the file is empty"),
            (f"{HEADER}\n", "the file has a header but no rows"),
            (f"{HEADER}\n\n\n", "the file has a header but no rows"),
            (
                "class_name,teacher_username,student_username\n",
                "line 1: the header must be class_name,subject,teacher_username,"
                "student_username: missing subject",
            ),
            (f"{HEADER},grade\n", "line 1: the header must be"),
            (f"{HEADER},subject\n", "repeated subject"),
        ],
    )
    def test_file_level_problems(self, content, expected):
        (error,) = import_errors(content)

        assert expected in error

    def test_unknown_columns_are_named(self):
        (error,) = import_errors("class,subject,teacher,student\n")

        assert "missing class_name, teacher_username, student_username" in error
        assert "unknown class, teacher, student" in error

    def test_every_bad_line_is_named_and_nothing_is_written(self, people):
        teacher, _ada, _bob = people
        ClassroomFactory(teacher=teacher, name="Old", is_archived=True)
        TeacherFactory(username="mr-b")
        errors = import_errors(
            text(
                ["Maths", "", "mrs-k", "ada"],  # line 2: fine
                ["Maths", "", "nobody", "ada"],  # 3
                ["Maths", "", "ada", "bob"],  # 4
                ["Maths", "", "mrs-k", "ghost"],  # 5
                ["Maths", "", "mrs-k", "mr-b"],  # 6
                ["Old", "", "mrs-k", "ada"],  # 7
                ["maths", "", "MRS-K", "ADA"],  # 8: line 2 again
                ["", "", "mrs-k", "ada"],  # 9
                ["x" * 101, "y" * 101, "mrs-k", ""],  # 10
                ["Maths", "", "mrs-k"],  # 11
                ["Art", "", "", "ada"],  # 12
            )
        )

        assert errors == [
            "line 3: teacher_username: no user nobody",
            "line 4: teacher_username: ada is not a teacher",
            "line 5: student_username: no user ghost",
            "line 6: student_username: mr-b is not a student",
            "line 7: class Old of mrs-k is archived",
            "line 8: student ADA is in class Maths on line 2 already",
            "line 9: class_name: This field is required.",
            "line 10: class_name: Ensure this value has at most 100 characters (it has 101).; "
            "subject: Ensure this value has at most 100 characters (it has 101).",
            "line 11: expected 4 fields, found 3",
            "line 12: teacher_username: This field is required.",
        ]

    def test_an_admin_is_neither_teacher_nor_student(self, people):
        AdminFactory(username="root")

        assert import_errors(text(["Maths", "", "root", "root"])) == [
            "line 2: teacher_username: root is not a teacher; "
            "student_username: root is not a student"
        ]

    def test_lines_are_physical_lines(self, people):
        errors = import_errors(
            text(["Maths\nand more", "", "mrs-k", "ada"], ["X", "", "mrs-k", "?"])
        )

        assert errors == ["line 4: student_username: no user ?"]

    def test_two_subjects_for_one_class(self, people):
        errors = import_errors(
            text(["Maths", "Algebra", "mrs-k", "ada"], ["MATHS", "Geometry", "mrs-k", "bob"])
        )

        assert errors == ["line 3: subject Geometry differs from Algebra on line 2"]

    def test_two_active_classes_of_one_name_are_ambiguous(self, people):
        teacher, _ada, _bob = people
        ClassroomFactory.create_batch(2, teacher=teacher, name="Maths")

        assert import_errors(text(["maths", "", "mrs-k", "ada"])) == [
            "line 2: mrs-k has 2 classes named maths; rename one in the admin"
        ]

    def test_not_csv(self):
        (error,) = import_errors(f'{HEADER}\n"Maths,,mrs-k,ada\n')

        assert "not valid CSV" in error


class TestExport:
    def test_one_row_per_enrollment_and_a_row_for_an_empty_class(self, people):
        teacher, ada, bob = people
        maths = ClassroomFactory(teacher=teacher, name="Maths", subject="Algebra")
        for student in (bob, ada):
            EnrollmentFactory(classroom=maths, student=student)
        ClassroomFactory(teacher=teacher, name="art", subject="")
        ClassroomFactory(teacher=teacher, name="Old", is_archived=True)

        assert export().splitlines() == [
            HEADER,
            "art,,mrs-k,",
            "Maths,Algebra,mrs-k,ada",
            "Maths,Algebra,mrs-k,bob",
        ]

    def test_one_query_whatever_the_size(self, people, django_assert_num_queries):
        for classroom in ClassroomFactory.create_batch(5):
            EnrollmentFactory.create_batch(3, classroom=classroom)

        with django_assert_num_queries(1):
            assert bulk.classes_export(file=io.StringIO()) == 15

    def test_round_trip_into_a_school_without_classes(self, people):
        teacher, ada, bob = people
        other = TeacherFactory(username="Mr-B")
        maths = ClassroomFactory(teacher=teacher, name="Maths, 7A", subject="Algebra")
        EnrollmentFactory(classroom=maths, student=ada)
        EnrollmentFactory(classroom=maths, student=bob)
        EnrollmentFactory(classroom=ClassroomFactory(teacher=other, name="Maths, 7A"), student=ada)
        ClassroomFactory(teacher=other, name='Zoë\'s "club"', subject="")
        before_classes = set(Classroom.objects.values_list("teacher", "name", "subject"))
        before = enrollments()
        content = export()
        Classroom.objects.all().delete()

        result = run_import(content)

        assert result.classes_created == 3 and result.enrollments_added == 3
        assert set(Classroom.objects.values_list("teacher", "name", "subject")) == before_classes
        assert enrollments() == before


def test_ten_thousand_rows_in_a_few_seconds():
    teachers = TeacherFactory.create_batch(20)
    students = StudentFactory.create_batch(500)
    rows = [
        [f"Class {t % 5}", "Maths", teachers[t].username, students[s].username]
        for t in range(20)
        for s in range(500)
    ]
    content = text(*rows)

    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        result = run_import(content)
    elapsed = time.monotonic() - started

    assert result.rows == 10_000 and result.enrollments_added == 10_000
    assert Enrollment.objects.count() == 10_000 and Classroom.objects.count() == 20
    assert len(queries) < 200  # lookups in chunks, inserts in batches: no query per row
    assert elapsed < 20
    again = run_import(content)
    assert again.changes == 0 and again.enrollments_already == 10_000
