import pytest

from accounts.forms import RegistrationForm
from teachers.apps import TeachersConfig

pytestmark = pytest.mark.django_db


def test_teacher_form_asks_for_a_subject():
    form = RegistrationForm.for_role(TeachersConfig.role)()
    assert "subject" in form.fields and "grade" not in form.fields


def test_subject_is_required():
    form = RegistrationForm.for_role(TeachersConfig.role)(
        {
            "username": "newkid",
            "email": "newkid@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        }
    )
    assert "subject" in form.errors


def test_email_is_required():
    form = RegistrationForm.for_role(TeachersConfig.role)(
        {
            "username": "newkid",
            "email": "",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "subject": "Art",
        }
    )
    assert form.errors["email"] == ["This field is required."]
