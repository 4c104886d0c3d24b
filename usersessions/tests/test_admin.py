from http import HTTPStatus

import pytest
from django.urls import reverse

from usersessions.models import UserSession

from .conftest import session_key

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:usersessions_usersession_changelist")


def test_staff_see_who_is_signed_in_where_but_never_a_session_key(sign_in, student, staff_client):
    key = session_key(sign_in(student))
    recorded = UserSession.objects.get(session_key=key)

    listing = staff_client.get(CHANGELIST)
    detail = staff_client.get(reverse("admin:usersessions_usersession_change", args=[recorded.pk]))

    assert listing.status_code == detail.status_code == HTTPStatus.OK
    assert student.username in listing.text
    assert "Firefox 120 on Windows 10" in listing.text
    assert "203.0.113.7" in detail.text
    assert key not in listing.text + detail.text


def test_staff_can_neither_add_change_nor_delete(sign_in, student, staff_client):
    sign_in(student)
    recorded = UserSession.objects.get(user=student)

    add = staff_client.get(reverse("admin:usersessions_usersession_add"))
    delete = staff_client.post(
        reverse("admin:usersessions_usersession_delete", args=[recorded.pk]), {"post": "yes"}
    )
    change = staff_client.post(
        reverse("admin:usersessions_usersession_change", args=[recorded.pk]),
        {"ip_address": "192.0.2.1"},
    )

    assert add.status_code == delete.status_code == change.status_code == HTTPStatus.FORBIDDEN
    recorded.refresh_from_db()
    assert recorded.ip_address == "203.0.113.7"
