"""The pages work at a phone width and a desktop width; the navbar collapses on phones."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

from .conftest import DESKTOP, PHONE, screenshot


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_phone_navbar_collapses_and_opens(page):
    page.goto(reverse("landing"))
    toggler = page.get_by_role("button", name="Toggle navigation")
    register = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Register as teacher"
    )
    expect(toggler).to_be_visible()
    expect(register).to_be_hidden()
    screenshot(page, "landing-phone")

    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(register).to_be_visible()
    expect(page.locator("#navbar-links")).to_have_class(re.compile(r"\bshow\b"))  # animation done
    screenshot(page, "landing-phone-menu")
    register.click()
    expect(page).to_have_url(re.compile(reverse("teachers:register")))


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"])
def test_desktop_navbar_shows_its_links(page):
    page.goto(reverse("landing"))
    expect(page.get_by_role("button", name="Toggle navigation")).to_be_hidden()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    expect(page).to_have_url(re.compile(reverse("login")))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_homes_fit_the_width(page, log_in, viewport):
    StudentFactory.create_batch(3)
    teacher = TeacherFactory()
    log_in(teacher)
    page.goto(reverse("teachers:home"))
    # Wide tables scroll inside their own box; the page itself never scrolls sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    if viewport is PHONE:
        screenshot(page, "teacher-home-phone")
        page.get_by_role("button", name="Toggle navigation").click()
        page.get_by_role("button", name=re.compile("Log out")).click()
        expect(page).to_have_url(re.compile(r"/$"))


def test_the_browser_enforces_the_csp_and_reports_violations(page, console_errors):
    """Every page's console check catches CSP violations: an injected inline script is refused."""
    page.goto(reverse("landing"))
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
            }"""
        )
    assert page.evaluate("() => window.injected") is None
    assert any("Content Security Policy" in error for error in console_errors), console_errors
    console_errors.clear()  # expected here; any other test with such an error fails
