"""axe-core finds no serious or critical accessibility problem on the main pages.

Every check runs at a desktop width and at a phone width (375 px), where the navbar
collapses and wide tables scroll inside their own box.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from classrooms.tests.factories import EnrollmentFactory
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

from .conftest import DESKTOP, PHONE, axe_violations, screenshot

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
    assert page.locator("meta[name=description]").get_attribute("content")
    assert axe_violations(page) == []


@pytest.mark.parametrize("url_name", ANONYMOUS_PAGES)
def test_anonymous_pages(page, viewport, url_name):
    page.goto(reverse(url_name))
    assert_accessible(page)
    screenshot(page, f"a11y-{url_name.replace(':', '-')}-{viewport['width']}px")


@pytest.mark.parametrize("factory", [StudentFactory, TeacherFactory], ids=["student", "teacher"])
def test_home_pages(page, log_in, viewport, factory):
    StudentFactory.create_batch(3)
    TeacherFactory.create_batch(3)
    user = factory()
    log_in(user)
    page.goto(reverse(f"{user.role}s:home"))
    assert_accessible(page)
    screenshot(page, f"a11y-{user.role}-home-{viewport['width']}px")


CLASS_PAGES = {
    # page: (who looks, URL name, whether it takes the class)
    "class-page": ("teacher", "classrooms:detail", True),
    "class-edit": ("teacher", "classrooms:edit", True),
    "class-new": ("teacher", "classrooms:new", False),
    "class-remove": ("teacher", "classrooms:student_remove", True),
    "directory-students": ("teacher", "directory:students", False),
    "class-page-student": ("student", "classrooms:detail", True),
    "class-join": ("student", "classrooms:join", False),
    "class-join-link": ("student", "classrooms:join_link", True),
    "directory-teachers": ("student", "directory:teachers", False),
}


@pytest.mark.parametrize("name", CLASS_PAGES)
def test_class_pages_and_directories(page, log_in, viewport, name):
    who, url_name, of_class = CLASS_PAGES[name]
    enrollment = EnrollmentFactory(classroom__name="Algebra 7B")
    EnrollmentFactory.create_batch(3, classroom=enrollment.classroom)
    classroom, student = enrollment.classroom, enrollment.student
    kwargs = {}
    if of_class:
        kwargs = {"code": classroom.join_code} if "join" in url_name else {"pk": classroom.pk}
    if url_name == "classrooms:student_remove":
        kwargs["student_id"] = student.pk
    log_in(classroom.teacher if who == "teacher" else student)
    page.goto(reverse(url_name, kwargs=kwargs))
    assert_accessible(page)
    screenshot(page, f"a11y-{name}-{viewport['width']}px")


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

    # The grade is required (a student's email address is optional).
    grade = page.locator("[name=grade]")
    assert grade.get_attribute("aria-invalid") == "true"
    error_ids = grade.get_attribute("aria-describedby").split()
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


def relative_luminance(css_color: str) -> float:
    """Return the WCAG relative luminance of an opaque `rgb(...)` colour."""
    red, green, blue = (int(c) / 255 for c in re.findall(r"\d+", css_color)[:3])
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted(map(relative_luminance, (first, second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


FOCUS_RING = """() => {
    const style = getComputedStyle(document.activeElement);
    return {
        name: document.activeElement.textContent.trim(),
        inNavbar: document.activeElement.closest(".navbar") !== null,
        toggler: document.activeElement.matches(".navbar-toggler"),
        outline: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        color: style.outlineColor,
        navbar: getComputedStyle(document.querySelector(".navbar")).backgroundColor,
    };
}"""


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_every_navbar_control_shows_a_focus_ring(page, log_in, viewport, logged_in):
    """Bootstrap's .nav-link:focus-visible and .btn:focus-visible drop the outline for a faint
    blue shadow, invisible on the navy navbar: the site's ring must win over them."""
    if logged_in:
        log_in(StudentFactory())
    page.goto(reverse("landing"))
    last = "Log out" if logged_in else "Log in"
    page.keyboard.press("Tab")  # the skip link
    seen = []
    while True:
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if not ring["inNavbar"]:
            break
        seen.append(ring["name"])
        assert ring["outline"] != "none", ring
        assert ring["width"] >= 2, ring
        assert contrast(ring["color"], ring["navbar"]) >= 3, ring  # WCAG 1.4.11
        if ring["name"].startswith(last):
            who = "user" if logged_in else "visitor"
            screenshot(page, f"navbar-focus-{who}-{viewport['width']}px")
        if ring["toggler"]:
            page.keyboard.press("Enter")  # the phone menu: open it, as keyboard users do
            expect(page.locator("#navbar-links")).to_have_class(re.compile(r"\bshow\b"))
    assert seen[-1].startswith(last), f"the focus left the navbar early, after {seen}"
