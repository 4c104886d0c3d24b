import pytest
from django.db import IntegrityError

from accounts.models import User
from teachers.apps import TeachersConfig
from teachers.models import Teacher, TeacherProfile

from .factories import TeacherFactory

pytestmark = pytest.mark.django_db


def test_teacher_objects_creates_teachers():
    teacher = Teacher.objects.create_user("bob", "bob@example.com", "pw-123456789")
    assert User.objects.get(pk=teacher.pk).role == TeachersConfig.role == "teacher"


def test_the_profile_holds_the_subject():
    teacher = TeacherFactory(profile__subject="Physics")
    assert User.objects.get(pk=teacher.pk).profile.subject == "Physics"
    assert str(teacher.profile) == "Physics"


def test_subject_cannot_be_empty():
    teacher = TeacherFactory()
    with pytest.raises(IntegrityError):
        TeacherProfile.objects.filter(user=teacher).update(subject="")
