"""Private pages and forms are never stored by a browser or proxy; static files keep their cache.

On a shared classroom computer, a page a user saw must not come back from the browser's cache
after they log out (CONTRACT: every response to a logged-in user, and every page with a
form, carries `Cache-Control: no-store`).
"""

import json
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.tests.factories import (
    admin_url,
    directory_url,
    directory_viewer_role,
    other_role,
    user_of,
)
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


def logged_in_pages(config) -> list[tuple[str, str, HTTPStatus]]:
    """Return pages of every kind for a logged-in user: home, directory, errors, admin."""
    another = other_role(config)
    viewer = directory_viewer_role(config)
    return [
        (config.role, config.url("home"), HTTPStatus.OK),
        (viewer, directory_url(config), HTTPStatus.OK),
        (viewer, f"{directory_url(config)}?page=99", HTTPStatus.NOT_FOUND),
        (another, config.url("home"), HTTPStatus.FORBIDDEN),
        (config.role, "/no/such/page/", HTTPStatus.NOT_FOUND),
        (config.role, "/", HTTPStatus.FOUND),
        (config.role, reverse("password_change"), HTTPStatus.OK),
        (roles.ADMIN, admin_url(config), HTTPStatus.OK),
    ]


def test_every_response_to_a_logged_in_user_is_not_stored(role_config):
    for role, url, status in logged_in_pages(role_config):
        browser = Client()
        log_in(browser, user_of(role))
        response = browser.get(url)
        assert response.status_code == status, url
        assert no_store(response), url


def test_every_page_with_a_form_is_not_stored(client, role_config):
    urls = [
        role_config.register_url,
        role_config.login_url,
        reverse("login"),
        reverse("password_reset"),
        reverse("admin:login"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert no_store(response), url


def test_a_form_answered_with_its_errors_is_not_stored(client, role_config):
    response = client.post(role_config.register_url, {"username": "x"})
    assert response.status_code == HTTPStatus.OK
    assert no_store(response)


def test_a_public_page_without_a_form_may_be_cached(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert not no_store(response)


@pytest.fixture
def collected_static(tmp_path, settings):
    """Serve a STATIC_ROOT as production does: WhiteNoise's hashed names, no finders."""
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.0123456789ab.css").write_text("body{}")
    manifest = {"version": "1.1", "paths": {"css/site.css": "css/site.0123456789ab.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = False
    return "/static/css/site.0123456789ab.css"


def test_static_files_keep_their_long_cache_for_logged_in_users(collected_static, role_user):
    browser = Client()  # made after the settings above, so its WhiteNoise reads them
    log_in(browser, role_user)

    response = browser.get(collected_static)

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
