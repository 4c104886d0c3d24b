"""What students, teachers and staff do on the site, in a real browser."""

import re
import time

from django.urls import reverse
from playwright.sync_api import expect

from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory
from twofactor.tests.factories import totp_code

from .conftest import screenshot

PASSWORD = "a-Long-and-Unusual-passphrase-42"


def register(page, role: str, *, grade: str | None = None, **fields: str) -> None:
    page.goto(reverse(f"{role}s:register"))
    for name, value in fields.items():
        page.locator(f"[name={name}]").fill(value)
    if grade:
        page.locator("[name=grade]").select_option(grade)
    page.get_by_role("button", name="Create account").click()


def session_cookie(context) -> dict:
    return next(c for c in context.cookies() if c["name"] == "sessionid")


def test_student_registers_logs_out_and_logs_in_remembered(page, context):
    page.goto("/")
    screenshot(page, "landing")
    page.get_by_role("link", name="Register as Student").first.click()
    expect(page).to_have_url(re.compile(reverse("students:register")))
    screenshot(page, "student-register")

    register(
        page,
        "student",
        username="ada",
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        password1=PASSWORD,
        password2=PASSWORD,
        grade="7",
    )

    expect(page).to_have_url(re.compile(reverse("students:home")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ada Lovelace")
    expect(page.locator(".account-details")).to_contain_text("Grade 7")
    screenshot(page, "student-home")

    page.get_by_role("button", name="Log out (ada)").click()
    expect(page).to_have_url(re.compile(r"/$"))
    assert not any(c["name"] == "sessionid" for c in context.cookies())

    # Unticked "remember me": the session cookie dies with the browser.
    page.goto(reverse("students:login"))
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(reverse("students:home")))
    assert session_cookie(context)["expires"] == -1
    page.get_by_role("button", name="Log out (ada)").click()

    page.goto(reverse("students:login"))
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(reverse("students:home")))
    assert session_cookie(context)["expires"] > time.time() + 24 * 3600


def test_teacher_registers_and_pages_and_searches_the_student_directory(page, settings):
    # Open sign-up: by default (approval) a new teacher waits for staff and is not logged in.
    settings.TEACHER_SIGNUP = "open"
    for number in range(30):
        StudentFactory(username=f"pupil{number:02d}", last_name=f"Zed{number:02d}")
    StudentFactory(username="grace", first_name="Grace", last_name="Hopper")

    page.goto(reverse("teachers:register"))
    screenshot(page, "teacher-register")
    register(
        page,
        "teacher",
        username="turing",
        first_name="Alan",
        last_name="Turing",
        email="alan@example.com",
        password1=PASSWORD,
        password2=PASSWORD,
        subject="Mathematics",
    )

    expect(page).to_have_url(re.compile(reverse("teachers:home")))
    screenshot(page, "teacher-home")
    # The home lists no students: the whole school is in the directory, without emails.
    expect(page.locator("main")).not_to_contain_text("pupil00")
    page.get_by_role("link", name="Student directory").click()
    expect(page).to_have_url(re.compile(reverse("directory:students")))
    roster = page.get_by_role("table")
    expect(roster.locator("tbody tr")).to_have_count(25)
    expect(roster).to_contain_text("grace")  # sorted by last name: Hopper before Zed…
    expect(roster).not_to_contain_text("@example.com")
    screenshot(page, "student-directory")

    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(roster.locator("tbody tr")).to_have_count(6)
    expect(roster).to_contain_text("pupil29")

    page.get_by_label("Search students").fill("hopper")
    page.get_by_role("button", name="Search").click()
    expect(roster.locator("tbody tr")).to_have_count(1)
    expect(roster).to_contain_text("grace")
    expect(page.get_by_text("1 student matches “hopper”.")).to_be_visible()


def test_student_on_teacher_home_gets_403_with_a_link_home(page, console_errors, log_in):
    log_in(StudentFactory())
    console_errors.expected_statuses.add(403)

    response = page.goto(reverse("teachers:home"))

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("This page is not for your account")
    screenshot(page, "403")
    page.get_by_role("link", name="Go to your home").click()
    expect(page).to_have_url(re.compile(reverse("students:home")))


def test_teacher_credentials_on_student_login_are_refused_with_a_pointer(page, password):
    TeacherFactory(username="turing", password=password)

    page.goto(reverse("students:login"))
    screenshot(page, "student-login")
    page.get_by_label("Username").fill("turing")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(reverse("students:login")))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("not a student account")
    screenshot(page, "student-login-refused")
    alert.get_by_role("link", name="teacher login page").click()
    expect(page).to_have_url(re.compile(reverse("teachers:login")))


def test_staff_find_students_and_teachers_in_separate_admin_lists(page, staff, password):
    StudentFactory(username="pupil-ann")
    TeacherFactory(username="teacher-bob")

    page.goto(reverse("admin:index"))
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(totp_code(staff.totpdevice_set.get()))
    page.get_by_role("button", name="Log in").click()

    page.locator("tr.model-student").get_by_role("link", name="Students").click()
    expect(page).to_have_url(re.compile(reverse("admin:students_student_changelist")))
    results = page.locator("#result_list")
    expect(results).to_contain_text("pupil-ann")
    expect(results).not_to_contain_text("teacher-bob")
    screenshot(page, "admin-students")

    page.goto(reverse("admin:index"))
    page.locator("tr.model-teacher").get_by_role("link", name="Teachers").click()
    expect(page).to_have_url(re.compile(reverse("admin:teachers_teacher_changelist")))
    expect(results).to_contain_text("teacher-bob")
    expect(results).not_to_contain_text("pupil-ann")
    screenshot(page, "admin-teachers")
