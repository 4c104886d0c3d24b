"""Sessions in a real browser: a student signed in on two devices ends the other one."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from students.tests.factories import StudentFactory

from .conftest import DESKTOP, PHONE, axe_violations, screenshot
from .test_classes import overflowing
from .test_must_change import log_in_on_the_student_form

PASSWORD = "Sunflower-rocket-42"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_a_student_signs_out_the_phone_they_lost(browser, live_server, page, viewport):
    student = StudentFactory(username="ines.alvarez", password=PASSWORD)
    phone_context = browser.new_context(viewport=PHONE, base_url=live_server.url, user_agent=IPHONE)
    phone = phone_context.new_page()
    for browser_page in (phone, page):
        browser_page.goto(reverse("students:login"))
        log_in_on_the_student_form(browser_page, student.username, PASSWORD)
        expect(browser_page).to_have_url(re.compile(reverse("students:home") + "$"))
    width = viewport["width"]

    page.goto(reverse("profile"))
    page.get_by_role("link", name="Where you are signed in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Where you are signed in")
    sessions = page.locator("[data-session]")
    expect(sessions).to_have_count(2)
    expect(sessions.filter(has_text="This session")).to_contain_text("HeadlessChrome")
    expect(sessions.filter(has_not_text="This session")).to_contain_text(
        "Mobile Safari 17 on iOS 17.1"
    )
    assert axe_violations(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert overflowing(page, width) == []
    screenshot(page, f"sessions-{width}px")

    page.get_by_role("button", name="Sign out everywhere else").click()

    expect(page.get_by_role("alert")).to_contain_text("Signed out of 1 other session.")
    expect(sessions).to_have_count(1)
    screenshot(page, f"sessions-ended-{width}px")
    phone.goto(reverse("students:home"))
    expect(phone).to_have_url(re.compile(r"/login/\?next="))
    page.goto(reverse("students:home"))
    expect(page).to_have_url(re.compile(reverse("students:home") + "$"))
    phone_context.close()
