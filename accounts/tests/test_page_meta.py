"""Each page tells search engines and link previews what it is (a meta description)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts import roles

pytestmark = pytest.mark.django_db


def description(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    [content] = re.findall(r'<meta name="description" content="([^"]*)">', response.text)
    return content


def test_pages_have_a_description_and_the_public_ones_their_own(client, settings):
    for config in roles.registered():
        if config.signup_setting:
            setattr(settings, config.signup_setting, roles.SignupPolicy.OPEN)
    site = description(client, reverse("landing"))
    assert site.startswith("School: ")
    assert description(client, reverse("password_reset")) == site  # the default
    own = [
        description(client, url)
        for config in roles.registered()
        for url in (config.register_url, config.login_url)
    ]
    own.append(description(client, reverse("login")))
    assert site not in own
    assert len(set(own)) == len(own)
    assert all(40 <= len(text) <= 160 for text in [site, *own])  # what result pages show
