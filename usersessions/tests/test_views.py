from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminFactory
from usersessions.models import UserSession
from usersessions.services import MARK

from .conftest import IPHONE, session_key

pytestmark = pytest.mark.django_db

URL = reverse("usersessions:list")


def forget_recording(browser: Client) -> None:
    """Make the browser's session one signed in before sessions were recorded."""
    UserSession.objects.filter(session_key=session_key(browser)).delete()
    session = browser.session
    del session[MARK]
    session.save()


def sessions_on_page(response) -> int:
    return response.text.count("data-session")


class TestList:
    def test_lists_each_session_with_browser_address_and_this_session(self, sign_in, role_user):
        here = sign_in(role_user)
        sign_in(role_user, user_agent=IPHONE, ip="198.51.100.20")

        response = here.get(URL)

        assert response.status_code == HTTPStatus.OK
        assert sessions_on_page(response) == 2
        assert "Firefox 120 on Windows 10" in response.text
        assert "203.0.113.7" in response.text
        assert "Mobile Safari 17 on iOS 17.1" in response.text
        assert "198.51.100.20" in response.text
        assert response.text.count("This session") == 1
        assert "Sign out everywhere else" in response.text

    def test_marks_the_session_the_page_is_shown_in(self, sign_in, student):
        sign_in(student)
        phone = sign_in(student, user_agent=IPHONE)

        sessions = phone.get(URL).context["sessions"]

        current = [session for session in sessions if session.is_current]
        assert [session.session_key for session in current] == [session_key(phone)]
        assert current[0].device == "Mobile Safari 17 on iOS 17.1"

    def test_never_shows_another_users_sessions(self, sign_in, student, teacher):
        mine = sign_in(student)
        sign_in(teacher, user_agent=IPHONE, ip="198.51.100.99")

        response = mine.get(URL)

        assert sessions_on_page(response) == 1
        assert "iOS" not in response.text
        assert "198.51.100.99" not in response.text
        assert "Sign out everywhere else" not in response.text
        assert "You are not signed in anywhere else." in response.text

    def test_expired_and_deleted_sessions_are_not_listed_and_their_rows_go(self, sign_in, student):
        here = sign_in(student)
        expired, deleted = sign_in(student), sign_in(student)
        Session.objects.filter(session_key=session_key(expired)).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        Session.objects.filter(session_key=session_key(deleted)).delete()

        response = here.get(URL)

        assert sessions_on_page(response) == 1
        assert list(UserSession.objects.values_list("session_key", flat=True)) == [
            session_key(here)
        ]

    def test_a_session_from_before_sessions_were_recorded_is_listed(self, sign_in, student):
        here = sign_in(student)
        forget_recording(here)

        response = here.get(URL)

        assert sessions_on_page(response) == 1
        assert "This session" in response.text

    def test_a_few_queries_whatever_the_number_of_sessions(
        self, sign_in, student, django_assert_max_num_queries
    ):
        here = sign_in(student)
        for _ in range(10):
            sign_in(student)
        UserSession.objects.exclude(session_key=session_key(here)).first().delete()

        with django_assert_max_num_queries(6):
            response = here.get(URL)

        assert sessions_on_page(response) == 10

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        response = client.get(URL)

        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("login"))

    def test_the_account_page_links_here(self, student_client):
        assert URL in student_client.get(reverse("profile")).text


class TestSignOutEverywhereElse:
    def test_ends_the_other_sessions_and_keeps_this_one(self, sign_in, role_user):
        here = sign_in(role_user)
        others = [sign_in(role_user), sign_in(role_user, user_agent=IPHONE)]
        home = reverse(f"{role_user.role}s:home") if role_user.role != "admin" else URL

        response = here.post(URL, follow=True)

        assert response.redirect_chain == [(URL, HTTPStatus.FOUND)]
        assert "Signed out of 2 other sessions." in response.text
        assert sessions_on_page(response) == 1
        for other in others:
            answer = other.get(home)
            assert answer.status_code == HTTPStatus.FOUND
            assert "/login/" in answer.url
        assert here.get(URL).status_code == HTTPStatus.OK
        assert UserSession.objects.get().session_key == session_key(here)

    def test_leaves_other_users_signed_in(self, sign_in, student, teacher):
        here, theirs = sign_in(student), sign_in(teacher)

        here.post(URL)

        assert theirs.get(reverse("teachers:home")).status_code == HTTPStatus.OK

    def test_says_when_there_was_nothing_to_end(self, sign_in, student):
        here = sign_in(student)
        gone = sign_in(student)
        Session.objects.filter(session_key=session_key(gone)).delete()

        response = here.post(URL, follow=True)

        assert "You were not signed in anywhere else." in response.text
        assert UserSession.objects.count() == 1

    def test_needs_the_csrf_token(self, student, password):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(student)
        other = Client()
        other.force_login(student)

        response = browser.post(URL)

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert other.get(reverse("students:home")).status_code == HTTPStatus.OK

    def test_a_get_ends_nothing(self, sign_in, student):
        here, other = sign_in(student), sign_in(student)

        here.get(URL)

        assert other.get(reverse("students:home")).status_code == HTTPStatus.OK

    def test_anonymous_posts_are_sent_to_log_in(self, client, sign_in, student):
        other = sign_in(student)

        response = client.post(URL)

        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("login"))
        assert other.get(reverse("students:home")).status_code == HTTPStatus.OK


def test_logging_out_forgets_the_session(sign_in):
    user = AdminFactory(password="correct-horse-battery-staple")
    browser = sign_in(user)

    browser.post(reverse("logout"))

    assert not UserSession.objects.exists()


def test_a_cache_only_session_engine_is_asked_key_by_key(settings, sign_in, student):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    here, gone = sign_in(student), sign_in(student)
    gone.post(reverse("logout"))  # its row goes with it; make one linger, as after a cache flush
    UserSession.objects.create(user=student, session_key="x" * 32)

    response = here.get(URL)

    assert sessions_on_page(response) == 1
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [session_key(here)]
