import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.tests.factories import AdminFactory
from classrooms.models import Classroom, Enrollment
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def test_one_enrollment_per_student_and_class_in_the_database():
    enrollment = EnrollmentFactory()

    with pytest.raises(IntegrityError):
        Enrollment.objects.create(classroom=enrollment.classroom, student=enrollment.student)


def test_the_same_student_may_be_in_two_classes():
    student = StudentFactory()

    EnrollmentFactory.create_batch(2, student=student)

    assert Enrollment.objects.filter(student=student).count() == 2


def test_a_second_enrollment_is_a_validation_error_with_a_message():
    enrollment = EnrollmentFactory()
    again = Enrollment(classroom=enrollment.classroom, student=enrollment.student)

    with pytest.raises(ValidationError, match="already in this class"):
        again.full_clean()


def test_join_codes_are_unique_in_the_database():
    taken = ClassroomFactory()

    with pytest.raises(IntegrityError):
        ClassroomFactory(join_code=taken.join_code)


def test_a_new_class_gets_a_join_code_by_default():
    classroom = Classroom.objects.create(teacher=TeacherFactory(), name="Maths")

    assert len(classroom.join_code) == 8


@pytest.mark.parametrize("factory", [StudentFactory, AdminFactory])
def test_clean_refuses_a_teacher_who_is_not_a_teacher(factory):
    user = factory()
    classroom = Classroom(teacher=user, name="Maths")

    with pytest.raises(ValidationError) as excinfo:
        classroom.full_clean()

    assert f"{user} is not a teacher." in excinfo.value.message_dict["teacher"]


@pytest.mark.parametrize("factory", [TeacherFactory, AdminFactory])
def test_clean_refuses_a_student_who_is_not_a_student(factory):
    user = factory()
    enrollment = Enrollment(classroom=ClassroomFactory(), student=user)

    with pytest.raises(ValidationError) as excinfo:
        enrollment.full_clean()

    assert f"{user} is not a student." in excinfo.value.message_dict["student"]


def test_a_valid_class_and_enrollment_pass_clean():
    classroom = ClassroomFactory()
    enrollment = Enrollment(classroom=classroom, student=StudentFactory())

    classroom.full_clean()
    enrollment.full_clean()


def test_a_teacher_with_classes_cannot_be_deleted():
    classroom = ClassroomFactory()

    with pytest.raises(IntegrityError):  # ProtectedError is an IntegrityError
        classroom.teacher.delete()


def test_classes_are_ordered_by_name_in_any_case():
    teacher = TeacherFactory()
    for name in ["beta", "Alpha", "Gamma"]:
        ClassroomFactory(teacher=teacher, name=name)

    assert [c.name for c in Classroom.objects.all()] == ["Alpha", "beta", "Gamma"]


def test_join_code_display_groups_the_code():
    classroom = ClassroomFactory(join_code="ABCD2345")

    assert classroom.join_code_display == "ABCD-2345"
    assert str(classroom) == classroom.name
