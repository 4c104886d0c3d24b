import json

import pytest
from django.urls import reverse

from .conftest import IPHONE, session_key

pytestmark = pytest.mark.django_db


def test_my_data_lists_my_sessions_without_their_keys(sign_in, student, teacher):
    here = sign_in(student)
    sign_in(student, user_agent=IPHONE)
    sign_in(teacher)

    response = here.get(reverse("data_export"))

    sessions = json.loads(response.content)["sessions"]
    assert sorted(session["device"] for session in sessions) == [
        "Firefox 120 on Windows 10",
        "Mobile Safari 17 on iOS 17.1",
    ]
    assert set(sessions[0]) == {"device", "user_agent", "ip_address", "signed_in", "last_active"}
    assert session_key(here) not in response.content.decode()
