import pytest
from django.db import IntegrityError

from accounts.models import User
from accounts.services import user_create
from students.apps import StudentsConfig
from students.models import Student, StudentProfile

pytestmark = pytest.mark.django_db


def test_creates_a_student_with_profile():
    user = user_create(
        role=StudentsConfig.role,
        username="amy",
        email="amy@example.com",
        password="pw-123456789",
        grade=4,
    )
    assert Student.objects.get().pk == user.pk
    assert StudentProfile.objects.get(user=user).grade == 4


@pytest.mark.parametrize("grade", [0, 13])
def test_a_grade_outside_1_to_12_writes_nothing(grade):
    # The service takes values a form has validated; the database still refuses this one.
    with pytest.raises(IntegrityError):
        user_create(role=StudentsConfig.role, username="amy", email="amy@example.com", grade=grade)
    assert not User.objects.exists()
