"""The page chrome (base.html) is cached per process, and holds nothing request-specific."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import other_role, user_of

pytestmark = pytest.mark.django_db


def csrf_tokens(content: bytes) -> list[bytes]:
    return re.findall(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)


def test_navbar_follows_the_signup_policy_from_one_page_view_to_the_next(
    client, settings, monkeypatch, role_config
):
    if role_config.signup_setting is None:  # give the role a policy of its own to switch
        monkeypatch.setattr(role_config, "signup_setting", "CHROME_TEST_SIGNUP", raising=False)
    register_as = f"Register as {role_config.role_name}".encode()
    landing = reverse("landing")
    setattr(settings, role_config.signup_setting, "open")
    assert register_as in client.get(landing).content

    setattr(settings, role_config.signup_setting, "closed")
    assert register_as not in client.get(landing).content

    setattr(settings, role_config.signup_setting, "open")
    assert register_as in client.get(landing).content


def test_each_user_sees_their_own_name_and_csrf_token(client, role_config, role_user):
    seen = []
    for user in (role_user, user_of(other_role(role_config), username="second-user")):
        client.force_login(user)
        content = client.get(reverse("password_change")).content
        assert f"Log out ({user.username})".encode() in content
        assert b"Log in</a>" not in content
        seen.append(csrf_tokens(content))
        client.logout()
    assert all(seen) and seen[0] != seen[1]


def test_anonymous_chrome_has_no_logout_form(client, role_user):
    client.force_login(role_user)
    client.get(reverse("password_change"))
    client.logout()
    content = client.get(reverse("login")).content
    assert b"Log out" not in content
    assert content.count(b'name="csrfmiddlewaretoken"') == 1  # the login form's own
