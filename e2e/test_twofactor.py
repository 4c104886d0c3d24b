"""Staff set up two-factor login from the page, log out, and log in with a computed code."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts.tests.factories import AdminFactory

from .conftest import DESKTOP, PHONE, screenshot


def code_from_uri(uri: str, *, later: int = 0) -> str:
    """Compute a code as an authenticator app would, from the otpauth:// URI's secret."""
    from base64 import b32decode

    secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time() + later
    return f"{totp.token():06d}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_set_up_two_factor_and_log_in_with_a_code(page, viewport, password):
    staff = AdminFactory(password=password, is_staff=True, is_superuser=True)
    size = "phone" if viewport is PHONE else "desktop"

    # The password alone: the admin sends staff without two-factor to set it up.
    page.goto(reverse("admin:index"))
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(reverse("twofactor:setup")))
    expect(page.locator("svg")).to_be_visible()
    screenshot(page, f"twofactor-setup-{size}")

    uri = page.locator("[data-otpauth-uri]").inner_text()
    page.get_by_role("textbox", name="Code").fill(code_from_uri(uri))
    page.get_by_role("button", name="Turn on two-factor login").click()
    expect(page.locator("[data-recovery-code]")).to_have_count(10)
    screenshot(page, f"twofactor-recovery-codes-{size}")
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page).to_have_url(re.compile(reverse("admin:index")))

    page.get_by_role("button", name="Log out").click()
    page.goto(reverse("admin:index"))
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("textbox", name="Code")).to_be_visible()
    screenshot(page, f"twofactor-second-step-{size}")
    # The code just used is spent: the app's next one (one step of drift is allowed).
    page.get_by_role("textbox", name="Code").fill(code_from_uri(uri, later=30))
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(f"{reverse('admin:index')}$"))
    expect(page.locator("#site-name")).to_be_visible()
