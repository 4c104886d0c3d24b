import pytest
from django.db import IntegrityError

from accounts.models import User
from students.apps import StudentsConfig
from students.models import Student, StudentProfile

from .factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_student_objects_creates_students():
    student = Student.objects.create_user("amy", "amy@example.com", "pw-123456789")
    assert User.objects.get(pk=student.pk).role == StudentsConfig.role == "student"


def test_the_profile_holds_the_grade():
    student = StudentFactory(profile__grade=7)
    assert User.objects.get(pk=student.pk).profile.grade == 7
    assert str(student.profile) == "Grade 7"


@pytest.mark.parametrize("grade", [0, 13])
def test_grade_outside_1_to_12_is_refused_by_the_database(grade):
    student = StudentFactory()
    with pytest.raises(IntegrityError):
        StudentProfile.objects.filter(user=student).update(grade=grade)
