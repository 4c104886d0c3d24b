import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import User
from accounts.roles import SignupPolicy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("teacher_signup", ["open", "approval", "closed"])
def test_students_always_sign_up_freely(client, settings, password, teacher_signup):
    settings.TEACHER_SIGNUP = teacher_signup
    config = apps.get_app_config("students")
    assert config.signup_setting is None
    assert config.signup_policy == SignupPolicy.OPEN

    client.post(
        reverse("students:register"),
        {
            "username": "ada",
            "email": "ada@example.com",
            "password1": password,
            "password2": password,
            "grade": "5",
        },
    )

    assert User.objects.get(username="ada").is_active
    assert SESSION_KEY in client.session
