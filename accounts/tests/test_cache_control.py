"""Private pages and forms are never stored by a browser or proxy; static files keep their cache.

On a shared classroom computer, a page a user saw must not come back from the browser's cache
after they log out (CONTRACT: every response to a logged-in user, and every page with a
form, carries `Cache-Control: no-store`).
"""

import json
from http import HTTPStatus

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


# Pages for a logged-in user, of every kind: a home, a form, an error, the admin.
LOGGED_IN_PAGES = [
    ("student_client", "/students/home/", HTTPStatus.OK),
    ("teacher_client", "/teachers/home/", HTTPStatus.OK),
    ("teacher_client", "/teachers/home/?page=99", HTTPStatus.NOT_FOUND),
    ("student_client", "/teachers/home/", HTTPStatus.FORBIDDEN),
    ("teacher_client", "/no/such/page/", HTTPStatus.NOT_FOUND),
    ("teacher_client", "/", HTTPStatus.FOUND),
    ("staff_client", "/admin/students/student/", HTTPStatus.OK),
]

# Pages with a form that visitors see before logging in.
FORM_PAGES = [
    "/students/register/",
    "/teachers/register/",
    "/students/login/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/admin/login/",
]


@pytest.mark.parametrize(("who", "url", "status"), LOGGED_IN_PAGES)
def test_every_response_to_a_logged_in_user_is_not_stored(request, who, url, status):
    response = request.getfixturevalue(who).get(url)
    assert response.status_code == status
    assert no_store(response)


@pytest.mark.parametrize("url", FORM_PAGES)
def test_every_page_with_a_form_is_not_stored(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert no_store(response)


def test_a_form_answered_with_its_errors_is_not_stored(client):
    response = client.post("/students/register/", {"username": "x"})
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


def test_static_files_keep_their_long_cache_for_logged_in_users(collected_static, student):
    browser = Client()  # made after the settings above, so its WhiteNoise reads them
    browser.force_login(student)

    response = browser.get(collected_static)

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
