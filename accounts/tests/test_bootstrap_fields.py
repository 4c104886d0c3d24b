"""The login form's lean widget rendering gives the same markup as Django's widget templates.

Kept because it is measured: with crispy's templates instead, the login page costs about half
as much server CPU again and falls below 0.3x the /healthz rate (README, Performance).
"""

import pytest

from accounts.forms import LoginForm, RegistrationForm
from accounts.templatetags.bootstrap_fields import (
    INPUT_TEMPLATES,
    bootstrap_field,
    render_input,
)

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
def test_login_inputs_match_django_widgets(data, role_config):
    form = LoginForm(None, data=data, role=role_config.role)
    if data is not None:
        form.is_valid()
    assert_same_markup(form)


def test_registration_inputs_with_help_text_match_django_widgets(role_config):
    form = RegistrationForm.for_role(role_config.role)(data={"email": "not-an-email"})
    form.is_valid()
    assert_same_markup(form)
    markup = render_input(form["password1"], {})
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in markup
    assert 'aria-invalid="true"' in markup


def test_field_errors_are_shown_and_tied_to_the_input():
    form = LoginForm(None, data={"username": "", "password": ""})
    form.is_valid()
    markup = bootstrap_field(form["username"])
    assert 'aria-describedby="id_username_error"' in markup
    assert 'class="form-control is-invalid"' in markup
    assert '<div id="id_username_error" class="invalid-feedback">' in markup
    assert "This field is required." in markup
    assert '<span class="asteriskField">*</span>' in markup


def test_checkbox_label_follows_the_input_and_is_escaped():
    form = LoginForm(None)
    form.fields["remember_me"].label = "Remember <me>"
    markup = bootstrap_field(form["remember_me"])
    assert markup.startswith('<div class="mb-3 form-check"><input type="checkbox"')
    label = '<label class="form-check-label" for="id_remember_me">Remember &lt;me&gt;</label>'
    assert label in markup
