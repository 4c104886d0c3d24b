"""Staff import a spreadsheet's CSV through the admin: preview, then confirm."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import AdminFactory
from students.models import Student
from students.tests.factories import StudentFactory

from .conftest import DESKTOP, PHONE, screenshot

# As European Excel saves "CSV (semicolon)", headers as people type them.
FILE = (
    "Username;Email;First Name;Last Name;Grade\r\n"
    "ada;ada@example.com;Ada;Lovelace;8\r\n"
    "zoe.m;;Zoë;Müller;3\r\n"
    ";;;;\r\n"
    "bad name!;x@example.com;;;7.0\r\n"
)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_preview_and_confirm_an_import(page, log_in, viewport):
    StudentFactory(username="ada", email="ada@example.com", first_name="Ada", last_name="Byron")
    log_in(AdminFactory(is_staff=True, is_superuser=True))
    size = "phone" if viewport is PHONE else "desktop"

    page.goto(reverse("admin:students_student_changelist"))
    page.get_by_role("link", name="Import CSV").click()
    expect(page).to_have_url(re.compile(reverse("admin:students_student_import")))
    page.get_by_label("CSV file").set_input_files(
        {"name": "students.csv", "mimeType": "text/csv", "buffer": FILE.encode("utf-8")}
    )
    page.get_by_label("Mode").select_option("upsert")
    screenshot(page, f"admin-import-form-{size}")
    page.get_by_role("button", name="Preview").click()

    # The bad line is named; nothing can be confirmed and nothing was written.
    expect(page.locator("[data-import-errors]")).to_contain_text(
        "line 5: username: Enter a valid username"
    )
    expect(page.get_by_role("button", name="Confirm the import")).to_have_count(0)
    screenshot(page, f"admin-import-bad-line-{size}")

    page.get_by_label("CSV file").set_input_files(
        {
            "name": "students.csv",
            "mimeType": "text/csv",
            "buffer": FILE.rsplit("\r\n", 2)[0].encode() + b"\r\n",
        }
    )
    page.get_by_label("Mode").select_option("upsert")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("[data-count=created]")).to_have_text("1")
    expect(page.locator("[data-count=updated]")).to_have_text("1")
    expect(page.locator("[data-count=unchanged]")).to_have_text("0")
    screenshot(page, f"admin-import-preview-{size}")
    assert not Student.objects.filter(username="zoe.m").exists()

    page.get_by_role("button", name="Confirm the import").click()
    expect(page).to_have_url(re.compile(reverse("admin:students_student_changelist") + "$"))
    expect(page.get_by_text("Imported: create 1, update 1, unchanged 0.")).to_be_visible()
    screenshot(page, f"admin-import-done-{size}")
    assert Student.objects.get(username="ada").last_name == "Lovelace"
    assert Student.objects.get(username="zoe.m").student_profile.grade == 3
