import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from twofactor.tests.factories import recovery_codes

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def sign_in(password):
    """Return a function logging `user` in through the login form, as a browser would."""

    def sign_in(user, user_agent: str = FIREFOX, ip: str = "203.0.113.7") -> Client:
        browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
        response = browser.post(
            reverse("login"),
            {"username": user.username, "password": password, "remember_me": "on"},
        )
        if response.status_code == 200 and "otp_token" in response.context["form"].fields:
            # Two-factor (staff always have it): a fresh recovery code for each device signed in.
            code = f"rc{StaticToken.objects.count():06d}"
            recovery_codes(user, code)
            response = browser.post(reverse("login"), {"otp_token": code})
        assert response.status_code == 302, "the login form refused the user"
        return browser

    return sign_in


def session_key(browser: Client) -> str:
    return browser.cookies[settings.SESSION_COOKIE_NAME].value
