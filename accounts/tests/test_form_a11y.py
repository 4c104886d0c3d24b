"""The registration pages tell browsers and assistive technology what each field is for."""

from html.parser import HTMLParser
from http import HTTPStatus

import pytest

from accounts import roles

pytestmark = pytest.mark.django_db

ROLES = [pytest.param(config, id=config.namespace) for config in roles.registered()]


class Controls(HTMLParser):
    """The attributes of a page's form controls, by name."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_name: dict[str, dict[str, str | None]] = {}
        self.feed(html)

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

    def register_page(config: roles.RoleConfig) -> dict[str, dict[str, str | None]]:
        response = client.get(config.register_url)
        assert response.status_code == HTTPStatus.OK
        return Controls(response.text).by_name

    return register_page


@pytest.mark.parametrize("config", ROLES)
def test_account_fields_say_what_they_hold(register_page, config):
    """WCAG 1.3.5: browsers and password managers can fill in the account fields."""
    controls = register_page(config)
    expected = {
        "username": "username",
        "first_name": "given-name",
        "last_name": "family-name",
        "email": "email",
        "password1": "new-password",
        "password2": "new-password",
    }
    assert {name: controls[name].get("autocomplete") for name in expected} == expected
