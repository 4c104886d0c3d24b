"""The login form's lean widget rendering gives the same markup as Django's widget templates."""

import pytest

from accounts.forms import LoginForm, RegistrationForm
from accounts.models import Role
from accounts.templatetags.bootstrap_fields import INPUT_TEMPLATES, render_input

pytestmark = pytest.mark.django_db


def assert_same_markup(form) -> None:
    rendered = 0
    for field in form.visible_fields():
        if field.field.widget.template_name in INPUT_TEMPLATES:
            attrs = {"class": "form-control is-invalid" if field.errors else "form-control"}
            assert render_input(field, attrs) == field.as_widget(attrs=attrs), field.name
            rendered += 1
    assert rendered


@pytest.mark.parametrize(
    "data",
    [
        None,  # the empty form
        {"username": "", "password": ""},  # required errors: aria-invalid
        {"username": 'a"b&<c>', "password": "secret", "remember_me": "on"},  # escaping, checked
    ],
)
def test_login_inputs_match_django_widgets(data):
    form = LoginForm(None, data=data, role=Role.STUDENT)
    if data is not None:
        form.is_valid()
    assert_same_markup(form)


def test_registration_inputs_with_help_text_match_django_widgets():
    form = RegistrationForm.for_role(Role.STUDENT)(data={"email": "not-an-email", "grade": "x"})
    form.is_valid()
    assert_same_markup(form)
    markup = render_input(form["password1"], {})
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in markup
    assert 'aria-invalid="true"' in markup
