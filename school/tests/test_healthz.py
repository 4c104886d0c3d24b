from http import HTTPStatus
from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok"
    assert "sessionid" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_503_when_the_database_does_not_answer(client):
    with mock.patch("school.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_needs_no_login_even_for_a_logged_in_user(student_client):
    assert student_client.get("/healthz").status_code == HTTPStatus.OK


def test_refuses_post(client):
    assert client.post("/healthz").status_code == HTTPStatus.METHOD_NOT_ALLOWED
