import pytest
from django.db import IntegrityError

from accounts.models import User
from accounts.services import user_create
from teachers.apps import TeachersConfig
from teachers.models import Teacher, TeacherProfile

pytestmark = pytest.mark.django_db


def test_creates_a_teacher_with_profile():
    user = user_create(
        role=TeachersConfig.role, username="tom", email="tom@example.com", subject="Art"
    )
    assert Teacher.objects.get().pk == user.pk
    assert TeacherProfile.objects.get(user=user).subject == "Art"


def test_an_empty_subject_writes_nothing():
    with pytest.raises(IntegrityError):
        user_create(role=TeachersConfig.role, username="tom", email="tom@example.com", subject="")
    assert not User.objects.exists()
