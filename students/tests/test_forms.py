import pytest

from accounts.forms import RegistrationForm
from students.apps import StudentsConfig

pytestmark = pytest.mark.django_db

VALID = {
    "username": "newkid",
    "email": "newkid@example.com",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
    "grade": "5",
}


def student_form(data=None):
    return RegistrationForm.for_role(StudentsConfig.role)(data)


def test_student_form_has_the_contract_fields():
    assert list(student_form().fields) == [
        "username",
        "first_name",
        "last_name",
        "email",
        "grade",
        "password1",
        "password2",
    ]


def test_grade_is_required():
    data = {**VALID}
    del data["grade"]
    assert "grade" in student_form(data).errors


@pytest.mark.parametrize("grade", ["0", "13", "x"])
def test_grade_must_be_1_to_12(grade):
    assert "grade" in student_form({**VALID, "grade": grade}).errors


def test_valid_student_form_saves_the_grade():
    form = student_form(VALID)
    assert form.is_valid(), form.errors
    assert form.save().student_profile.grade == 5


def test_email_is_optional():
    form = student_form({**VALID, "email": ""})

    assert form.is_valid(), form.errors
    assert form.save().email == ""


def test_an_email_given_is_still_unique_regardless_of_case():
    first = student_form(VALID)
    assert first.is_valid(), first.errors
    first.save()

    form = student_form({**VALID, "username": "other", "email": VALID["email"].upper()})

    assert form.errors["email"] == ["A user with that email address already exists."]
