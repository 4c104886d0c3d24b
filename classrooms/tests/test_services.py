import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts import usernames
from accounts.models import User
from accounts.tests.factories import AdminFactory
from classrooms import codes, services
from classrooms.forms import MAX_NEW_STUDENTS
from classrooms.models import STUDENT, Classroom, Enrollment
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


class TestStudentsCreate:
    def test_creates_students_in_the_order_of_the_names(self):
        classroom = ClassroomFactory()

        accounts = services.students_create(
            classroom=classroom,
            names=[("Zoë", "Müller"), ("Ada", "Lovelace"), ("Zoë", "Müller")],
            grade=4,
        )

        assert [student.username for student, _password in accounts] == [
            "zoe.muller",
            "ada.lovelace",
            "zoe.muller2",
        ]
        for student, password in accounts:
            student.refresh_from_db()
            assert student.has_role(STUDENT)
            assert (student.email, student.student_profile.grade) == ("", 4)
            assert student.must_change_password
            assert student.check_password(password)
        assert set(classroom.students.all()) == {student for student, _ in accounts}
        assert len({password for _student, password in accounts}) == 3

    def test_an_archived_class_takes_no_one(self):
        classroom = ClassroomFactory(is_archived=True)

        with pytest.raises(ValidationError, match="archived"):
            services.students_create(classroom=classroom, names=[("Ada", "Lovelace")], grade=4)

        assert not User.objects.filter(first_name="Ada").exists()

    def test_a_name_taken_after_the_lookup_gets_the_next_number(self, monkeypatch):
        # What a simultaneous request does: it takes the name between our look and our insert.
        classroom = ClassroomFactory()
        StudentFactory(username="zoe.muller")
        looked_up = []
        fresh = usernames.available_usernames

        def stale(bases, *, taken=()):
            looked_up.append(list(bases))
            if len(looked_up) == 1:
                return list(bases)  # as if zoe.muller were still free
            return fresh(bases, taken=taken)

        monkeypatch.setattr(services.usernames, "available_usernames", stale)

        ((student, _password),) = services.students_create(
            classroom=classroom, names=[("Zoë", "Müller")], grade=4
        )

        assert student.username == "zoe.muller2"
        assert looked_up == [["zoe.muller"], ["zoe.muller"]]
        assert classroom.students.get() == student

    def test_a_name_that_stays_taken_gives_up_and_creates_nothing(self, monkeypatch):
        classroom = ClassroomFactory()
        StudentFactory(username="zoe.muller")
        monkeypatch.setattr(
            services.usernames, "available_usernames", lambda bases, taken=(): list(bases)
        )

        with pytest.raises(ValidationError):
            services.students_create(
                classroom=classroom, names=[("Ada", "Lovelace"), ("Zoë", "Müller")], grade=4
            )

        assert not User.objects.filter(username="ada.lovelace").exists()
        assert not classroom.students.exists()

    def test_names_in_another_script_are_numbered_students(self):
        accounts = services.students_create(
            classroom=ClassroomFactory(), names=[("李", "王"), ("李", "王")], grade=4
        )
        assert [student.username for student, _ in accounts] == ["student", "student2"]
        assert accounts[0][0].get_full_name() == "李 王"

    def test_a_few_queries_per_student(self, django_assert_max_num_queries):
        classroom = ClassroomFactory()
        names = [(f"Child{n}", "Name") for n in range(MAX_NEW_STUDENTS)]
        # Per student: a savepoint and its release, the user, the profile. Then one lookup
        # of usernames, one UPDATE, one INSERT of enrollments, the teacher for the log.
        with django_assert_max_num_queries(4 * MAX_NEW_STUDENTS + 6):
            services.students_create(classroom=classroom, names=names, grade=4)
        assert classroom.students.count() == MAX_NEW_STUDENTS


class TestStudentPasswordReset:
    def test_gives_a_new_one_time_password(self):
        enrollment = EnrollmentFactory()
        student = enrollment.student

        password = services.student_password_reset(
            classroom=enrollment.classroom, student=student, by=enrollment.classroom.teacher
        )

        student.refresh_from_db()
        assert student.check_password(password)
        assert student.must_change_password

    @pytest.mark.parametrize("factory", [StudentFactory, TeacherFactory, AdminFactory])
    def test_refuses_anyone_not_a_student_of_the_class(self, factory):
        classroom = ClassroomFactory()
        other = factory()
        old_hash = other.password

        with pytest.raises(ValidationError, match="not a student of this class"):
            services.student_password_reset(
                classroom=classroom, student=other, by=classroom.teacher
            )

        other.refresh_from_db()
        assert other.password == old_hash
