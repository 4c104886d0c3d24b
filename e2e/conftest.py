"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

The tests run when /usr/bin/chromium exists and are skipped otherwise; with
REQUIRE_BROWSER=1 (as in CI) a missing browser fails them instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from twofactor.tests.factories import log_in as force_login

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Quiet, deterministic headless runs; a closed network otherwise floods connection errors.
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests run as root in CI, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """Launch headless Chromium once for e2e/ (skip or fail when it is missing)."""
    if not CHROMIUM.exists():
        reason = f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running on this thread, which trips Django's
    # "async unsafe" guard around every ORM call the tests make; the calls are synchronous.
    # Only while the browser runs: subprocesses of other tests must not inherit the variable.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class ConsoleErrors(list):
    """Console errors and uncaught exceptions of a page (CSP violations are console errors)."""

    def __init__(self) -> None:
        super().__init__()
        self.expected_statuses: set[int] = set()

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        # An error page's own status is reported as a failed resource; that one is expected.
        if any(f"status of {status}" in text for status in self.expected_statuses):
            return
        self.append(f"console: {text} ({message.location.get('url', '')})")

    def on_page_error(self, error) -> None:
        self.append(f"pageerror: {error}")


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def viewport() -> dict:
    return DESKTOP


@pytest.fixture
def context(browser, live_server, viewport, transactional_db):
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context, console_errors):
    """A fresh page; the test fails if the page logged a console error or threw."""
    page = context.new_page()
    page.on("console", console_errors.on_console)
    page.on("pageerror", console_errors.on_page_error)
    yield page
    assert not console_errors, "\n".join(console_errors)


@pytest.fixture
def log_in(context, live_server):
    """Return a function giving the browser a logged-in session of a user, without a form."""

    def log_in(user) -> None:
        client = Client()
        force_login(client, user)  # staff past the second step, as the admin needs
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return log_in


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/ for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the page and return its violations of the given impacts.

    The script is evaluated rather than added as a <script> tag, which a strict CSP would block.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text())
    result = page.evaluate("async () => await window.axe.run(document)")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]
