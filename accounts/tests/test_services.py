from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Role, User
from accounts.services import user_create
from accounts.tests.factories import StudentFactory
from students.models import Student, StudentProfile
from teachers.models import Teacher, TeacherProfile

pytestmark = pytest.mark.django_db


def test_creates_a_student_with_profile():
    user = user_create(
        role=Role.STUDENT, username="amy", email="amy@example.com", password="pw-123456789", grade=4
    )
    assert Student.objects.get().pk == user.pk
    assert StudentProfile.objects.get(user=user).grade == 4
    assert user.check_password("pw-123456789")


def test_creates_a_teacher_with_profile():
    user = user_create(role=Role.TEACHER, username="tom", email="tom@example.com", subject="Art")
    assert Teacher.objects.get().pk == user.pk
    assert TeacherProfile.objects.get(user=user).subject == "Art"


def test_without_password_the_account_has_no_usable_password():
    user = user_create(role=Role.TEACHER, username="tom", email="tom@example.com", subject="Art")
    assert not user.has_usable_password()


def test_invalid_profile_writes_nothing():
    with pytest.raises(ValidationError) as excinfo:
        user_create(role=Role.STUDENT, username="amy", email="amy@example.com", grade=13)
    assert "grade" in excinfo.value.message_dict
    assert not User.objects.exists()


def test_profile_failure_rolls_back_the_user():
    with (
        mock.patch.object(StudentProfile, "save", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        user_create(role=Role.STUDENT, username="amy", email="amy@example.com", grade=3)
    assert not User.objects.exists()


def test_a_taken_username_becomes_a_field_error():
    StudentFactory(username="Alice")
    with pytest.raises(ValidationError) as excinfo:
        user_create(role=Role.TEACHER, username="ALICE", email="new@example.com", subject="Art")
    assert list(excinfo.value.message_dict) == ["username"]
    assert User.objects.count() == 1


def test_a_taken_email_becomes_a_field_error():
    StudentFactory(email="alice@example.com")
    with pytest.raises(ValidationError) as excinfo:
        user_create(role=Role.STUDENT, username="other", email="Alice@Example.com", grade=1)
    assert list(excinfo.value.message_dict) == ["email"]


def test_unknown_role_is_refused():
    with pytest.raises(LookupError):
        user_create(role=Role.ADMIN, username="x", email="x@example.com")
