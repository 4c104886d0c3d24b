"""Staff answer "who changed this account, and when" from the account's History button."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import AdminFactory
from students.tests.factories import StudentFactory

from .conftest import DESKTOP, PHONE, screenshot


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_read_an_accounts_history(page, log_in, viewport):
    student = StudentFactory(username="ada", first_name="Ada")
    staff = AdminFactory(username="head", is_staff=True, is_superuser=True)
    log_in(staff)
    size = "phone" if viewport is PHONE else "desktop"

    page.goto(reverse("admin:students_student_change", args=[student.pk]))
    page.get_by_label("First name").fill("Grace")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_role("link", name="History").click()

    expect(page).to_have_url(re.compile(reverse("admin:auditlog_logentry_changelist")))
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("first_name: Ada → Grace")
    expect(row).to_contain_text("head")
    # Read-only: no add button and no actions.
    expect(page.get_by_role("link", name=re.compile("^Add log entry"))).to_have_count(0)
    expect(page.locator("select[name=action]")).to_have_count(0)
    screenshot(page, f"admin-audit-history-{size}")
