"""Accounts for children without email in a real browser: a teacher creates them on the class
page and prints their login cards; a child logs in with a card; the teacher resets one."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from classrooms.tests.factories import ClassroomFactory
from students.models import Student
from teachers.tests.factories import TeacherFactory

from .conftest import DESKTOP, PHONE, screenshot
from .test_classes import overflowing

NAMES = "Zoë Müller\nAda Lovelace\nJean-Luc Picard"


OWN_PASSWORD = "my-own-Secret-phrase-77"


def create_accounts(page, classroom) -> None:
    page.goto(reverse("classrooms:detail", args=[classroom.pk]))
    page.get_by_role("link", name="Create student accounts").click()
    expect(page).to_have_url(re.compile(reverse("classrooms:students_new", args=[classroom.pk])))
    page.get_by_label("Names").fill(NAMES)
    page.get_by_label("Grade").select_option("2")
    page.get_by_role("button", name="Create accounts and print cards").click()


def test_a_teacher_prints_cards_and_a_child_logs_in_with_one(page, log_in, context):
    teacher = TeacherFactory(first_name="Grace", last_name="Hopper")
    classroom = ClassroomFactory(teacher=teacher, name="Class 2C", subject="")
    log_in(teacher)

    create_accounts(page, classroom)

    cards = page.locator("[data-username][data-password]")
    expect(cards).to_have_count(3)
    usernames = [cards.nth(n).get_attribute("data-username") for n in range(3)]
    assert usernames == ["zoe.muller", "ada.lovelace", "jeanluc.picard"]
    card = cards.first
    username, password = card.get_attribute("data-username"), card.get_attribute("data-password")
    # What the child reads is what the attributes say, and where to log in.
    expect(card).to_contain_text("Zoë Müller")
    expect(card).to_contain_text(username)
    expect(card).to_contain_text(password)
    expect(card).to_contain_text(reverse("students:login"))
    assert set(classroom.students.values_list("username", flat=True)) == set(usernames)

    # The Print button prints (window.print stubbed: headless Chromium has no dialog).
    page.evaluate("() => { window.print = () => { document.body.dataset.printed = 'yes'; }; }")
    page.get_by_role("button", name="Print").click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")
    screenshot(page, "login-cards")

    page.emulate_media(media="print")
    expect(page.locator("nav")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    # Two cards a row on paper.
    boxes = [cards.nth(n).bounding_box() for n in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[1]["x"] > boxes[0]["x"]
    assert boxes[2]["y"] > boxes[0]["y"]
    screenshot(page, "login-cards-print")
    page.emulate_media(media="screen")

    # A reload of the page asks nothing of the passwords again: the form is empty.
    page.goto(reverse("classrooms:students_new", args=[classroom.pk]))
    expect(page.get_by_label("Names")).to_have_value("")
    expect(page.locator("[data-password]")).to_have_count(0)

    page.get_by_role("button", name=re.compile(r"Log out")).click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto(reverse("students:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=f"Log out ({username})")).to_be_attached()
    assert any(cookie["name"] == "sessionid" for cookie in context.cookies())

    # Someone else chose that password: the child must choose their own before anything else.
    expect(page).to_have_url(re.compile(reverse("password_change")))
    expect(page.get_by_text("Your password was set by someone else")).to_be_visible()
    page.goto(reverse("students:home"))
    expect(page).to_have_url(re.compile(reverse("password_change")))
    page.locator("[name=old_password]").fill(password)
    page.locator("[name=new_password1]").fill(OWN_PASSWORD)
    page.locator("[name=new_password2]").fill(OWN_PASSWORD)
    page.get_by_role("button", name="Change my password").click()

    expect(page).to_have_url(re.compile(reverse("students:home")))
    expect(page.get_by_role("link", name="Class 2C")).to_be_visible()
    assert not Student.objects.get(username=username).must_change_password


def test_the_teacher_resets_a_childs_password_from_the_roster(page, log_in):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teacher=teacher, name="Class 2C")
    log_in(teacher)
    create_accounts(page, classroom)
    old_password = page.locator("[data-password]").first.get_attribute("data-password")

    page.get_by_role("link", name="Back to the class").click()
    page.get_by_role("button", name="Reset password of Zoë Müller").click()

    card = page.locator("[data-username][data-password]")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-username", "zoe.muller")
    new_password = card.get_attribute("data-password")
    assert new_password != old_password
    expect(page.get_by_role("heading", level=1)).to_have_text("New password for Zoë Müller")
    screenshot(page, "login-card-reset")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_form_and_the_cards_fit_the_width(page, log_in, viewport):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teacher=teacher, name="Class 2C")
    log_in(teacher)
    width = viewport["width"]

    page.goto(reverse("classrooms:students_new", args=[classroom.pk]))
    assert overflowing(page, width) == []
    screenshot(page, f"students-new-{width}px")

    page.get_by_label("Names").fill(NAMES + "\nMaximiliana Featherstonehaugh-Smythe-Wolfeschlegel")
    page.get_by_label("Grade").select_option("2")
    page.get_by_role("button", name="Create accounts and print cards").click()
    expect(page.locator("[data-password]")).to_have_count(4)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert overflowing(page, width) == []
    screenshot(page, f"login-cards-{width}px")
