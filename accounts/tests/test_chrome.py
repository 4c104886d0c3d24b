"""The page chrome (base.html) is cached per process, and holds nothing request-specific."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

REGISTER_AS_TEACHER = b"Register as teacher"


def csrf_tokens(content: bytes) -> list[bytes]:
    return re.findall(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)


def test_navbar_follows_the_signup_policy_from_one_page_view_to_the_next(client, settings):
    landing = reverse("landing")
    assert REGISTER_AS_TEACHER in client.get(landing).content

    settings.TEACHER_SIGNUP = "closed"
    assert REGISTER_AS_TEACHER not in client.get(landing).content

    settings.TEACHER_SIGNUP = "open"
    assert REGISTER_AS_TEACHER in client.get(landing).content


def test_each_user_sees_their_own_name_and_csrf_token(client):
    seen = []
    for user in (StudentFactory(username="first-user"), TeacherFactory(username="second-user")):
        client.force_login(user)
        content = client.get(reverse("password_change")).content
        assert f"Log out ({user.username})".encode() in content
        assert b"Log in</a>" not in content
        seen.append(csrf_tokens(content))
        client.logout()
    assert all(seen) and seen[0] != seen[1]


def test_anonymous_chrome_has_no_logout_form(client, student):
    client.force_login(student)
    client.get(reverse("password_change"))
    client.logout()
    content = client.get(reverse("login")).content
    assert b"Log out" not in content
    assert content.count(b'name="csrfmiddlewaretoken"') == 1  # the login form's own
