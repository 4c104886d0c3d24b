"""Classes in a real browser: a teacher opens one, a student joins by its link, the teacher
looks after the roster; and the pages of classes fit a phone and a desktop."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from classrooms.models import Classroom
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

from .conftest import DESKTOP, PHONE, screenshot

PASSWORD = "a-Long-and-Unusual-passphrase-42"


def test_a_student_joins_by_link_and_the_teacher_removes_them(browser, live_server, log_in, page):
    teacher = TeacherFactory(first_name="Alan", last_name="Turing")
    log_in(teacher)

    page.goto(reverse("teachers:home"))
    page.get_by_role("link", name="New class").click()
    page.get_by_label("Name").fill("Algebra 7B")
    page.get_by_label("Subject").fill("Mathematics")
    page.get_by_role("button", name="Create").click()
    classroom = Classroom.objects.get(name="Algebra 7B")
    expect(page).to_have_url(re.compile(reverse("classrooms:detail", args=[classroom.pk])))
    expect(page.get_by_role("heading", level=1)).to_have_text("Algebra 7B")

    link = page.get_by_label("Join link")
    join_url = link.input_value()
    assert join_url.endswith(reverse("classrooms:join_link", args=[classroom.join_code]))
    page.get_by_role("button", name="Copy the join link").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied.")
    screenshot(page, "class-page-empty")

    # A child who has no account yet opens the link in their own browser.
    student_context = browser.new_context(viewport=DESKTOP)
    student_page = student_context.new_page()
    try:
        student_page.goto(join_url)
        expect(student_page).to_have_url(re.compile(reverse("students:login") + r"\?next="))
        student_page.get_by_role("link", name="Register as a student").click()
        expect(student_page).to_have_url(re.compile(reverse("students:register") + r"\?next="))
        student_page.locator("[name=username]").fill("ada")
        student_page.locator("[name=first_name]").fill("Ada")
        student_page.locator("[name=last_name]").fill("Lovelace")
        student_page.locator("[name=email]").fill("ada@example.com")
        student_page.locator("[name=password1]").fill(PASSWORD)
        student_page.locator("[name=password2]").fill(PASSWORD)
        student_page.locator("[name=grade]").select_option("7")
        student_page.get_by_role("button", name="Create account").click()

        # Back at the link, now logged in: the class and its teacher, and a button to join.
        expect(student_page).to_have_url(join_url)
        expect(student_page.get_by_text("Algebra 7B").first).to_be_visible()
        expect(student_page.get_by_text("Alan Turing").first).to_be_visible()
        screenshot(student_page, "class-join-link")
        student_page.get_by_role("button", name="Join this class").click()
        expect(student_page).to_have_url(
            re.compile(reverse("classrooms:detail", args=[classroom.pk]) + "$")
        )
        expect(student_page.get_by_role("heading", level=1)).to_have_text("Algebra 7B")
        # A student sees the class and its teacher, never the roster or the code.
        expect(student_page.get_by_role("table")).to_have_count(0)
        expect(student_page.get_by_text(classroom.join_code_display)).to_have_count(0)
        screenshot(student_page, "class-page-student")
    finally:
        student_context.close()

    page.reload()
    roster = page.get_by_role("table")
    expect(roster).to_contain_text("Ada Lovelace")
    expect(roster).to_contain_text("ada@example.com")
    screenshot(page, "class-page-roster")

    roster.get_by_role("link", name=re.compile("Remove")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove")
    screenshot(page, "class-remove-confirm")
    page.get_by_role("button", name="Remove from the class").click()
    expect(page).to_have_url(re.compile(reverse("classrooms:detail", args=[classroom.pk])))
    expect(page.get_by_role("table")).not_to_contain_text("Ada Lovelace")
    assert not classroom.students.exists()


def overflowing(page, viewport_width: int) -> list[str]:
    """Return the visible elements that stick out of the page sideways, or out of their card.

    Inside a scroll region (a table that scrolls sideways on its own, focusable and labelled)
    an element may be wider: the region is how to reach it.
    """
    return page.evaluate(
        """(width) => {
        const found = [];
        const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.className && typeof el.className === 'string'
               ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
        for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) continue;
            if (el.closest('.table-responsive[role=region]')) continue;
            if (el.closest('.visually-hidden, .visually-hidden-focusable')) continue;
            if (box.right > width + 0.5 || box.left < -0.5) {
                found.push(describe(el) + ' spans ' + box.left + '..' + box.right);
                continue;
            }
            const card = el.parentElement && el.parentElement.closest('.card');
            if (card) {
                const edge = card.getBoundingClientRect();
                if (box.right > edge.right + 0.5 || box.left < edge.left - 0.5) {
                    found.push(describe(el) + ' leaves its card');
                }
            }
        }
        return found;
    }""",
        viewport_width,
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_class_pages_fit_the_width(page, log_in, viewport):
    teacher = TeacherFactory(first_name="Grace", last_name="Hopper")
    classroom = ClassroomFactory(
        teacher=teacher, name="Computer science for the curious, grade 9", subject="Computing"
    )
    ClassroomFactory(teacher=teacher, name="Archived algebra", is_archived=True)
    student = StudentFactory(first_name="Maximiliana", last_name="Featherstonehaugh-Smythe")
    EnrollmentFactory(classroom=classroom, student=student)
    for number in range(12):
        EnrollmentFactory(
            classroom=classroom,
            student=StudentFactory(
                username=f"pupil{number:02d}",
                email=f"a.rather.long.address.{number:02d}@students.example.org",
            ),
        )
    width = viewport["width"]
    pages = {
        "teacher-home": (teacher, reverse("teachers:home")),
        "class-page": (teacher, reverse("classrooms:detail", args=[classroom.pk])),
        "class-edit": (teacher, reverse("classrooms:edit", args=[classroom.pk])),
        "class-new": (teacher, reverse("classrooms:new")),
        "directory-students": (teacher, reverse("directory:students")),
        "student-home": (student, reverse("students:home")),
        "class-page-member": (student, reverse("classrooms:detail", args=[classroom.pk])),
        "class-join": (student, reverse("classrooms:join")),
        "directory-teachers": (student, reverse("directory:teachers")),
    }
    for name, (user, url) in pages.items():
        page.context.clear_cookies()
        log_in(user)
        page.goto(url)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, name
        assert overflowing(page, width) == [], name
        # And no column waits off-screen inside its scroll region: the tables fit as they are.
        hidden_columns = page.evaluate(
            """() => [...document.querySelectorAll('.table-responsive')]
                .filter((region) => region.scrollWidth > region.clientWidth + 1)
                .map((region) => region.getAttribute('aria-labelledby'))"""
        )
        assert hidden_columns == [], name
        screenshot(page, f"{name}-{width}px")
