"""My account in a real browser: a student corrects their name and sees it at home; the
account pages fit a phone and a desktop, and axe finds nothing serious on them."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import tokens
from students.tests.factories import StudentFactory

from .conftest import DESKTOP, PHONE, axe_violations, screenshot
from .test_classes import overflowing


def test_a_student_corrects_their_name_and_sees_it_at_home(page, log_in):
    student = StudentFactory(first_name="Ada", last_name="Lovelase", profile__grade=7)
    log_in(student)

    page.goto(reverse("students:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ada Lovelase")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My account").click()
    expect(page).to_have_url(re.compile(reverse("profile") + "$"))
    expect(page.get_by_label("Grade")).to_have_count(0)  # the school's, not theirs
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_role("button", name="Save my details").click()

    expect(page).to_have_url(re.compile(reverse("profile") + "$"))
    expect(page.get_by_role("alert")).to_contain_text("Your details were saved.")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ada Lovelace")
    student.refresh_from_db()
    assert student.last_name == "Lovelace"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_account_pages_fit_the_width(page, log_in, viewport):
    student = StudentFactory(
        first_name="Maximiliana",
        last_name="Featherstonehaugh-Smythe",
        email="maximiliana.featherstonehaugh-smythe@students.example.org",
    )
    log_in(student)
    new_address = "max.featherstonehaugh-smythe.new@households.example.org"
    width = viewport["width"]
    pages = {
        "account-profile": reverse("profile"),
        "account-email": reverse("email_change"),
        "account-email-confirm": reverse("email_confirm", args=[tokens.make(student, new_address)]),
    }
    for name, url in pages.items():
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert axe_violations(page) == [], name
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, name
        assert overflowing(page, width) == [], name
        screenshot(page, f"{name}-{width}px")
    expect(page.get_by_text(new_address)).to_be_visible()
