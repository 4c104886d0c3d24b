"""axe-core finds no serious or critical accessibility problem on the main pages.

Every check runs at a desktop width and at a phone width (375 px), where the navbar
collapses and wide tables scroll inside their own box.
"""

import pytest
from django.urls import reverse

from accounts.tests.factories import StudentFactory, TeacherFactory

from .conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.parametrize(
    "viewport", [DESKTOP, PHONE], ids=[f"{DESKTOP['width']}px", f"{PHONE['width']}px"]
)

ANONYMOUS_PAGES = [
    "landing",
    "login",
    "students:register",
    "students:login",
    "teachers:register",
    "teachers:login",
    "password_reset",
]


def assert_accessible(page) -> None:
    assert page.locator("h1").count() == 1, "a page has exactly one h1"
    assert page.locator("main").count() == 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("url_name", ANONYMOUS_PAGES)
def test_anonymous_pages(page, url_name):
    page.goto(reverse(url_name))
    assert_accessible(page)


@pytest.mark.parametrize("factory", [StudentFactory, TeacherFactory], ids=["student", "teacher"])
def test_home_pages(page, log_in, factory):
    StudentFactory.create_batch(3)
    TeacherFactory.create_batch(3)
    user = factory()
    log_in(user)
    page.goto(reverse(f"{user.role}s:home"))
    assert_accessible(page)


def test_403_page(page, log_in, console_errors):
    console_errors.expected_statuses.add(403)
    log_in(StudentFactory())
    page.goto(reverse("teachers:home"))
    assert_accessible(page)


@pytest.mark.parametrize(
    "url_name", ["admin:students_student_changelist", "admin:teachers_teacher_changelist"]
)
def test_admin_lists(page, log_in, staff, url_name):
    StudentFactory()
    TeacherFactory()
    log_in(staff)
    page.goto(reverse(url_name))
    assert axe_violations(page) == []


def test_form_errors_are_tied_to_their_fields(page):
    page.goto(reverse("students:register"))
    page.locator("[name=username]").fill("ada")
    page.locator("[name=password1]").fill("short")
    page.locator("[name=password2]").fill("other")
    page.get_by_role("button", name="Create account").click()

    email = page.locator("[name=email]")
    assert email.get_attribute("aria-invalid") == "true"
    error_ids = email.get_attribute("aria-describedby").split()
    messages = " ".join(page.locator(f"#{error_id}").inner_text() for error_id in error_ids)
    assert "This field is required." in messages
    assert_accessible(page)


def test_skip_link_is_first_and_focus_is_visible(page):
    page.goto(reverse("landing"))
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    assert skip.is_visible()
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
