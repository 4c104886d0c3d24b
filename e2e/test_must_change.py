"""A student whose password someone else set logs in, must choose their own, and goes on."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from classrooms.tests.factories import ClassroomFactory
from students.tests.factories import StudentFactory

from .conftest import DESKTOP, PHONE, screenshot
from .test_classes import overflowing

ONE_TIME = "k7m-p2x-rde"
OWN = "Sunflower-rocket-42"
MESSAGE = "Your password was set by someone else: choose your own."


def log_in_on_the_student_form(page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def choose_a_password(page, old: str, new: str) -> None:
    page.locator("[name=old_password]").fill(old)
    page.locator("[name=new_password1]").fill(new)
    page.locator("[name=new_password2]").fill(new)
    page.get_by_role("button", name="Change my password").click()


def test_a_student_changes_the_password_and_lands_on_their_home(page):
    student = StudentFactory(
        username="zoe.muller",
        first_name="Zoë",
        email="",
        password=ONE_TIME,
        must_change_password=True,
    )

    page.goto(reverse("students:login"))
    log_in_on_the_student_form(page, "zoe.muller", ONE_TIME)

    expect(page).to_have_url(re.compile(re.escape(reverse("password_change")) + r"\?next="))
    expect(page.get_by_role("status")).to_have_text(MESSAGE)
    # Every other page sends them back here until they have chosen.
    page.goto(reverse("directory:teachers"))
    expect(page).to_have_url(re.compile(re.escape(reverse("password_change"))))
    page.goto(reverse("students:home"))
    choose_a_password(page, ONE_TIME, OWN)

    expect(page).to_have_url(re.compile(re.escape(reverse("students:home")) + "$"))
    expect(page.get_by_text("Your new password is set.")).to_be_visible()
    expect(page.get_by_text("Hello, Zoë")).to_be_visible()
    student.refresh_from_db()
    assert student.check_password(OWN) and not student.must_change_password


def test_a_student_on_a_join_link_lands_on_it_after_the_change(page):
    classroom = ClassroomFactory(name="Algebra 7B")
    StudentFactory(username="ada", email="", password=ONE_TIME, must_change_password=True)
    join = reverse("classrooms:join_link", args=[classroom.join_code])

    page.goto(join)
    expect(page).to_have_url(re.compile(re.escape(reverse("students:login")) + r"\?next="))
    log_in_on_the_student_form(page, "ada", ONE_TIME)
    expect(page.get_by_role("status")).to_have_text(MESSAGE)
    choose_a_password(page, ONE_TIME, OWN)

    expect(page).to_have_url(re.compile(re.escape(join) + "$"))
    page.get_by_role("button", name="Join this class").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Algebra 7B")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_change_page_fits_the_width(page, log_in, viewport):
    log_in(StudentFactory(must_change_password=True))

    page.goto(reverse("students:home"))

    expect(page.get_by_role("status")).to_have_text(MESSAGE)
    assert overflowing(page, viewport["width"]) == []
    screenshot(page, f"password-must-change-{viewport['width']}")


def test_staff_set_a_password_that_must_be_changed(page, log_in, staff):
    student = StudentFactory(username="ada")
    log_in(staff)

    page.goto(reverse("admin:students_student_change", args=[student.pk]))
    page.get_by_role("link", name="Reset password").click()
    checkbox = page.get_by_label("Must change at next login")
    expect(checkbox).to_be_checked()
    page.locator("[name=password1]").fill(ONE_TIME)
    page.locator("[name=password2]").fill(ONE_TIME)
    screenshot(page, "admin-set-password")
    page.get_by_role("button", name="Change password").click()

    expect(page.get_by_text("Password changed successfully.")).to_be_visible()
    student.refresh_from_db()
    assert student.check_password(ONE_TIME) and student.must_change_password
