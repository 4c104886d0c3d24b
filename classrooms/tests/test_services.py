import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.tests.factories import AdminFactory
from classrooms import codes, services
from classrooms.models import Classroom, Enrollment
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


class TestClassroomCreate:
    def test_creates_a_class_with_a_join_code(self, teacher):
        classroom = services.classroom_create(teacher=teacher, name=" Maths 7A ", subject=" Maths")

        classroom.refresh_from_db()
        assert (classroom.name, classroom.subject, classroom.teacher) == (
            "Maths 7A",
            "Maths",
            teacher,
        )
        assert codes.is_well_formed(classroom.join_code)
        assert not classroom.is_archived

    @pytest.mark.parametrize("factory", [StudentFactory, AdminFactory])
    def test_refuses_a_user_who_is_not_a_teacher(self, factory):
        with pytest.raises(ValidationError, match="is not a teacher"):
            services.classroom_create(teacher=factory(), name="Maths")

        assert not Classroom.objects.exists()

    @pytest.mark.parametrize("name", ["", "   "])
    def test_refuses_a_blank_name(self, teacher, name):
        with pytest.raises(ValidationError) as excinfo:
            services.classroom_create(teacher=teacher, name=name)

        assert "name" in excinfo.value.message_dict
        assert not Classroom.objects.exists()

    def test_refuses_a_name_too_long(self, teacher):
        with pytest.raises(ValidationError):
            services.classroom_create(teacher=teacher, name="x" * 101)

    def test_each_class_gets_its_own_code(self, teacher):
        made = [services.classroom_create(teacher=teacher, name=f"C{n}") for n in range(20)]

        assert len({c.join_code for c in made}) == 20

    def test_draws_again_when_a_code_is_taken(self, teacher, monkeypatch):
        taken = ClassroomFactory(join_code="AAAAAAAA")
        drawn = iter(["AAAAAAAA", "BBBBBBBB"])
        monkeypatch.setattr(codes, "generate", lambda: next(drawn))

        classroom = services.classroom_create(teacher=teacher, name="Maths")

        assert classroom.join_code == "BBBBBBBB"
        assert Classroom.objects.get(pk=classroom.pk).join_code == "BBBBBBBB"
        assert Classroom.objects.count() == 2 and taken.join_code == "AAAAAAAA"

    def test_gives_up_after_a_few_taken_codes(self, teacher, monkeypatch):
        ClassroomFactory(join_code="AAAAAAAA")
        monkeypatch.setattr(codes, "generate", lambda: "AAAAAAAA")

        with pytest.raises(IntegrityError):
            services.classroom_create(teacher=teacher, name="Maths")

        assert Classroom.objects.count() == 1


class TestJoinCodeReset:
    def test_the_old_code_stops_working(self):
        classroom = ClassroomFactory()
        old = classroom.join_code

        new = services.join_code_reset(classroom=classroom)

        assert new != old and Classroom.objects.get().join_code == new
        with pytest.raises(services.JoinRefused):
            services.classroom_for_code(old)
        assert services.classroom_for_code(new) == classroom

    def test_draws_again_when_a_code_is_taken(self, monkeypatch):
        ClassroomFactory(join_code="AAAAAAAA")
        classroom = ClassroomFactory(join_code="CCCCCCCC")
        drawn = iter(["AAAAAAAA", "BBBBBBBB"])
        monkeypatch.setattr(codes, "generate", lambda: next(drawn))

        assert services.join_code_reset(classroom=classroom) == "BBBBBBBB"
        assert Classroom.objects.get(pk=classroom.pk).join_code == "BBBBBBBB"


class TestClassroomForCode:
    @pytest.mark.parametrize("typed", ["ABCD2345", "abcd2345", "abcd-2345", " ab cd 23 45 "])
    def test_finds_the_class_in_any_case_with_spaces_and_dashes(self, typed):
        classroom = ClassroomFactory(join_code="ABCD2345")

        assert services.classroom_for_code(typed) == classroom

    @pytest.mark.parametrize("typed", ["", "ABCD", "ABCD23456", "ZZZZZZZZ", "ABCD234O"])
    def test_refuses_a_wrong_code(self, typed):
        ClassroomFactory(join_code="ABCD2345")

        with pytest.raises(services.JoinRefused, match="No class has this code"):
            services.classroom_for_code(typed)

    def test_refuses_an_archived_class_like_a_wrong_code(self):
        ClassroomFactory(join_code="ABCD2345", is_archived=True)

        with pytest.raises(services.JoinRefused) as excinfo:
            services.classroom_for_code("ABCD2345")

        assert excinfo.value.code == "wrong_code"


class TestEnrollments:
    def test_adding_twice_makes_one_row(self, student):
        classroom = ClassroomFactory()

        assert services.enrollment_add(classroom=classroom, student=student) is True
        assert services.enrollment_add(classroom=classroom, student=student) is False
        assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1

    @pytest.mark.parametrize("factory", [TeacherFactory, AdminFactory])
    def test_refuses_a_user_who_is_not_a_student(self, factory):
        with pytest.raises(ValidationError, match="is not a student"):
            services.enrollment_add(classroom=ClassroomFactory(), student=factory())

        assert not Enrollment.objects.exists()

    def test_join_enrolls_once(self, student):
        classroom = ClassroomFactory(join_code="ABCD2345")

        assert services.classroom_join(student=student, code="abcd-2345") == (classroom, True)
        assert services.classroom_join(student=student, code="ABCD2345") == (classroom, False)
        assert list(classroom.students.all()) == [student]

    def test_join_refuses_a_wrong_code(self, student):
        with pytest.raises(services.JoinRefused):
            services.classroom_join(student=student, code="ZZZZZZZZ")

        assert not Enrollment.objects.exists()

    def test_remove_takes_out_only_that_student(self):
        enrollment, other = EnrollmentFactory(), EnrollmentFactory()
        classroom, student = enrollment.classroom, enrollment.student

        assert services.enrollment_remove(classroom=classroom, student=student) is True
        assert services.enrollment_remove(classroom=classroom, student=student) is False
        assert list(Enrollment.objects.all()) == [other]


class TestEnrollmentsAdd:
    def test_classifies_every_line(self):
        classroom = ClassroomFactory()
        new = StudentFactory(username="ada", email="ada@example.com")
        there = EnrollmentFactory(classroom=classroom).student
        teacher = TeacherFactory(username="mr-t")

        result = services.enrollments_add(
            classroom=classroom,
            identifiers=["ada", there.username, "nobody", "mr-t", "", "  "],
        )

        assert result.added == [("ada", new)]
        assert result.already == [(there.username, there)]
        assert result.unknown == [("nobody", None)]
        assert result.not_students == [("mr-t", None)]
        assert set(classroom.students.all()) == {new, there}
        assert teacher not in classroom.students.all()

    def test_usernames_and_emails_in_any_case(self):
        classroom = ClassroomFactory()
        ada = StudentFactory(username="Ada", email="ada@example.com")
        bob = StudentFactory(username="bob", email="Bob@Example.com")

        result = services.enrollments_add(
            classroom=classroom, identifiers=[" aDA ", "BOB@EXAMPLE.COM"]
        )

        assert result.added == [("aDA", ada), ("BOB@EXAMPLE.COM", bob)]
        assert set(classroom.students.all()) == {ada, bob}

    def test_a_student_named_by_username_and_email_is_enrolled_once(self):
        classroom = ClassroomFactory()
        ada = StudentFactory(username="ada", email="ada@example.com")

        result = services.enrollments_add(
            classroom=classroom, identifiers=["ada", "ADA@example.com", "Ada"]
        )

        # Each line is reported ("Ada" is "ada" in another case: one line), the student once.
        assert result.added == [("ada", ada), ("ADA@example.com", ada)]
        assert (result.already, result.unknown) == ([], [])
        assert Enrollment.objects.count() == 1

    def test_an_unknown_name_in_two_cases_is_reported_once(self):
        result = services.enrollments_add(
            classroom=ClassroomFactory(), identifiers=["Nobody", "nobody"]
        )

        assert result.unknown == [("Nobody", None)]

    def test_nothing_to_add_writes_nothing(self):
        result = services.enrollments_add(classroom=ClassroomFactory(), identifiers=[])

        assert result == services.AddResult()
        assert not Enrollment.objects.exists()

    def test_a_few_queries_for_many_students(self, django_assert_max_num_queries):
        classroom = ClassroomFactory()
        students = StudentFactory.create_batch(40)

        with django_assert_max_num_queries(6):
            result = services.enrollments_add(
                classroom=classroom, identifiers=[s.username for s in students]
            )

        assert len(result.added) == 40 and classroom.students.count() == 40
