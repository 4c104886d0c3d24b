"""The form pages tell browsers and assistive technology what each field is for and needs."""

import re
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import roles
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db

ROLES = [pytest.param(config, id=config.proxy._meta.model_name) for config in roles.registered()]


class Controls(HTMLParser):
    """The attributes of a page's form controls, by name."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_name: dict[str, dict[str, str | None]] = {}
        self.feed(html)

        self.html = html

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "select", "textarea") and (attrs := dict(attrs)).get("name"):
            self.by_name[attrs["name"]] = attrs


@pytest.fixture
def open_signup(settings):
    """Let visitors register as every role, whatever the environment says."""
    for config in roles.registered():
        if config.signup_setting:
            setattr(settings, config.signup_setting, roles.SignupPolicy.OPEN)


@pytest.fixture
def register_page(client, open_signup):
    """Return a function giving the controls of a role's registration page."""

    def register_page(config) -> Controls:
        response = client.get(config.register_url)
        assert response.status_code == HTTPStatus.OK
        return Controls(response.text)

    return register_page


@pytest.mark.parametrize("config", ROLES)
def test_account_fields_say_what_they_hold(register_page, config):
    """WCAG 1.3.5: browsers and password managers can fill in the account fields."""
    controls = register_page(config).by_name
    expected = {
        "username": "username",
        "first_name": "given-name",
        "last_name": "family-name",
        "email": "email",
        "password1": "new-password",
        "password2": "new-password",
    }
    assert {name: controls[name].get("autocomplete") for name in expected} == expected


def blank_choices(html: str) -> dict[str, str]:
    """Return the text of each select's blank (first, empty-valued) option, by select name."""
    return dict(re.findall(r'<select name="(\w+)"[^>]*>\s*<option value=""[^>]*>([^<]*)<', html))


def prompts(html: str, config) -> dict[str, str]:
    """Return what each select shows as its blank choice, checking it names the field."""
    found = dict(re.findall(r'<select name="(\w+)"[^>]*>\s*<option value=""[^>]*>([^<]*)<', html))
    fields = config.profile_model._meta
    assert found == {name: f"Select {fields.get_field(name).verbose_name}" for name in found}
    return found


@pytest.mark.parametrize("config", ROLES)
def test_selects_prompt_for_a_choice(register_page, config):
    """A profile select starts with "Select <field>", not "---------"."""
    html = register_page(config).html
    assert "---------" not in html
    prompts(html, config)


@pytest.mark.parametrize("config", ROLES)
def test_the_admin_add_form_prompts_too(staff_client, config):
    """The admin's add form is the registration form: it still renders, with the prompts."""
    opts = config.proxy._meta
    response = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert response.status_code == HTTPStatus.OK
    assert "---------" not in response.text
    assert set(prompts(response.text, config)) <= set(config.profile_fields)


def required_notes(html: str) -> list[str]:
    return re.findall(r'<p class="[^"]*required-note[^"]*">(.*?)</p>', html)


FORM_PAGES = [
    *(
        pytest.param(config, page, id=f"{config.proxy._meta.model_name}-{page}")
        for config in roles.registered()
        for page in ("register", "login")
    ),
    *(pytest.param(None, name, id=name) for name in ("login", "password_reset", "password_change")),
]


@pytest.mark.usefixtures("open_signup")
@pytest.mark.parametrize(("config", "page"), FORM_PAGES)
def test_form_pages_explain_the_asterisk_once(client, staff, config, page):
    """The labels' "*" is explained above the form; screen readers get the word instead."""
    if page == "password_change":
        log_in(client, staff)
    response = client.get(config.url(page) if config else reverse(page))
    assert response.status_code == HTTPStatus.OK
    assert '<span class="asteriskField">*</span>' in response.text
    assert required_notes(response.text) == [
        '<span aria-hidden="true">Fields marked * are required.</span>'
        '<span class="visually-hidden">Fields marked with an asterisk are required.</span>'
    ]


def test_no_note_without_required_fields():
    class Optional(forms.Form):
        nickname = forms.CharField(required=False)

    class Required(Optional):
        name = forms.CharField()

    note = "includes/required_note.html"
    assert required_notes(render_to_string(note, {"form": Optional()})) == []
    assert len(required_notes(render_to_string(note, {"form": Required()}))) == 1
    assert required_notes(render_to_string(note, {"form": None})) == []
