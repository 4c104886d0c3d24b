"""Hostile input on every form a visitor or user can send: never a 500, never half an account.

Hypothesis draws 200 inputs per test and role (long strings, control characters, NUL bytes,
Unicode confusables, empty fields, numbers out of range), and 100 page numbers per paginated
view and role. The CSV importer is fuzzed with its command.
"""

from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import roles
from accounts.tests.factories import (
    admin_url,
    directory_url,
    directory_viewer_role,
    user_factory,
    user_of,
)
from accounts.views import DirectoryView
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "\x00",
    "ad\x00min",
    "\r\n\t\x0b\x0c",
    "\x1b[31m",
    "\u202eevil",  # right-to-left override
    "\u200b",  # zero-width space
    "аdmin",  # Cyrillic а
    "ＡＤＭＩＮ",  # full-width
    "ǅ",
    "ß" * 200,
    "🙂" * 80,
    "\ud7ff\ue000\uffff",
    "a" * 151,
    "x" * 5000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "@",
    "a@b",
    "user@[127.0.0.1]",
    "-1",
    "0",
    "13",
    "1e9",
    "99999999999999999999999",
    "-99999999999999999999999",
    "NaN",
    "inf",
    "1.5",
]

# Text Hypothesis draws, with surrogates left out: they cannot be sent as UTF-8 form data.
text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=300)
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    text,
    st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=20),  # control characters
    st.integers().map(str),
    st.builds(
        lambda base, n: base * n, st.sampled_from(["a", "\x00", "é", "🙂"]), st.integers(150, 3000)
    ),
)
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def assert_no_half_accounts() -> None:
    for config in roles.registered():
        assert not config.proxy.objects.filter(
            **{f"{config.profile_accessor}__isnull": True}
        ).exists()


def test_registration(role_config, signup_open):
    @FUZZ
    @given(username=hostile, email=hostile, password=hostile, profile=hostile, first=hostile)
    def register(username, email, password, profile, first):
        data = {
            "username": username,
            "email": email,
            "first_name": first,
            "last_name": first,
            "password1": password,
            "password2": password,
            **dict.fromkeys(role_config.profile_fields, profile),
        }
        response = Client().post(role_config.register_url, data)
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
        assert_no_half_accounts()

    register()


@pytest.mark.parametrize("page", ["role", "main", "admin"])
def test_login(role_config, role_user, settings_axes_on, page):
    url = {"role": role_config.login_url, "main": reverse("login"), "admin": reverse("admin:login")}
    url = url[page]

    @FUZZ
    @given(username=hostile, password=hostile, remember=hostile, next_url=hostile)
    def log_in(username, password, remember, next_url):
        response = Client().post(
            f"{url}?{urlencode({'next': next_url})}",
            {"username": username, "password": password, "remember_me": remember},
        )
        # 429: the lockout counts failures for one username from this address.
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS)

    log_in()


def test_password_change(role_user, password):
    user = role_user
    browser = Client()
    log_in(browser, user)

    @FUZZ
    @given(old=st.one_of(hostile, st.just(password)), new1=hostile, new2=hostile)
    def change(old, new1, new2):
        response = browser.post(
            reverse("password_change"),
            {"old_password": old, "new_password1": new1, "new_password2": new2},
        )
        user.refresh_from_db()
        if response.status_code == HTTPStatus.FOUND:  # a valid change: keep this session going
            assert user.check_password(new1)
            user.set_password(password)
            user.save()
            log_in(browser, user)
        else:
            assert response.status_code == HTTPStatus.OK
            assert user.check_password(password)

    change()


def test_directory_search(role_config):
    browser = Client()
    log_in(browser, user_of(directory_viewer_role(role_config)))
    user_factory(role_config).create_batch(3)

    @FUZZ
    @given(query=hostile, page=hostile)
    def search(query, page):
        response = browser.get(directory_url(role_config), {"q": query, "page": page})
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND)

    search()


# Page numbers scanners send: around and past the largest 64-bit LIMIT, negative, a float,
# words, NUL, digits of other scripts (Python's int() reads them), past int()'s 4,300 digits.
PAGE_NUMBERS = [
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "-9223372036854775809",
    "1e9",
    "2.0",
    "last",
    "first",
    "\x00",
    "1\x00",
    "0",
    "-1",
    "٣",  # Arabic-Indic three
    "１２",  # full-width twelve
    " 2 ",
    "2_0",
    "9" * 5000,
]
page_numbers = st.one_of(
    st.sampled_from(PAGE_NUMBERS),
    st.integers().map(str),
    st.integers(min_value=2**62, max_value=2**80).map(str),
    st.text(st.characters(categories=["Nd"]), min_size=1, max_size=30),
    hostile,
)


# Every paginated view: the role's directory (404 for a page it cannot serve), the role's
# admin list and the all-users list (which send such a page back to the list, ?e=1).
@pytest.mark.parametrize("where", ["directory", "role admin", "users admin"])
def test_page_numbers(monkeypatch, role_config, admin_user, where):
    # Two rows a page, so every list has several pages and each number reaches its paginator.
    monkeypatch.setattr(DirectoryView, "paginate_by", 2)
    for model_admin in admin.site._registry.values():
        monkeypatch.setattr(model_admin, "list_per_page", 2)
    for config in roles.registered():
        user_factory(config).create_batch(5)
    url, param, user = {
        "directory": (
            directory_url(role_config),
            "page",
            user_of(directory_viewer_role(role_config)),
        ),
        "role admin": (admin_url(role_config), "p", admin_user),
        "users admin": (reverse("admin:accounts_user_changelist"), "p", admin_user),
    }[where]
    browser = Client()
    log_in(browser, user)

    @settings(FUZZ, max_examples=100)
    @given(page=page_numbers)
    def visit(page):
        response = browser.get(url, {param: page})
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND, HTTPStatus.FOUND)
        if response.status_code == HTTPStatus.FOUND:
            assert response.url == f"{url}?e=1"

    visit()


@pytest.fixture
def settings_axes_on(settings):
    settings.AXES_ENABLED = True
