"""The TEACHER_SIGNUP setting: who may register themselves as a teacher."""

from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.models import User
from accounts.roles import SignupPolicy
from teachers.apps import TeachersConfig

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_data(password):
    return {
        "username": "grace",
        "email": "grace@example.com",
        "password1": password,
        "password2": password,
        "subject": "Computing",
    }


@pytest.fixture
def student_data(password):
    return {
        "username": "ada",
        "email": "ada@example.com",
        "password1": password,
        "password2": password,
        "grade": "5",
    }


def test_approval_by_default(client, teacher_data):
    """A stranger cannot become a teacher, who sees students, without staff."""
    config = apps.get_app_config("teachers")
    assert config.signup_setting == "TEACHER_SIGNUP"
    assert config.signup_policy == SignupPolicy.APPROVAL

    response = client.post(reverse("teachers:register"), teacher_data)

    assert response.url == reverse("registration_pending")
    assert not User.objects.get(username="grace").is_active
    assert SESSION_KEY not in client.session


def test_open_logs_the_new_teacher_in(client, settings, teacher_data):
    settings.TEACHER_SIGNUP = "open"

    response = client.post(reverse("teachers:register"), teacher_data)

    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.get(username="grace").is_active
    assert SESSION_KEY in client.session


class TestApproval:
    @pytest.fixture(autouse=True)
    def approval(self, settings):
        settings.TEACHER_SIGNUP = "approval"

    def test_registration_makes_an_inactive_account_and_does_not_log_in(self, client, teacher_data):
        response = client.post(reverse("teachers:register"), teacher_data, follow=True)

        assert response.redirect_chain[-1][0] == reverse("registration_pending")
        assert b"awaits approval" in response.content
        grace = User.objects.get(username="grace")
        assert grace.has_role(TeachersConfig.role) and not grace.is_active
        assert grace.teacher_profile.subject == "Computing"
        assert SESSION_KEY not in client.session

    def test_landing_page_says_new_teachers_wait_for_approval(self, client):
        content = client.get("/").content.decode()
        assert "New teacher accounts wait for staff approval before they can log in." in content
        assert 'href="/teachers/register/" aria-describedby="teachers-approval-note"' in content

    def test_students_still_sign_up_freely(self, client, student_data):
        client.post(reverse("students:register"), student_data)

        assert User.objects.get(username="ada").is_active
        assert SESSION_KEY in client.session

    def test_staff_created_teachers_are_active(self, staff_client, password):
        staff_client.post(
            reverse("admin:teachers_teacher_add"),
            {
                "username": "alan",
                "email": "alan@example.com",
                "password1": password,
                "password2": password,
                "subject": "Maths",
            },
        )

        alan = User.objects.get(username="alan")
        assert alan.is_active and alan.teacher_profile.subject == "Maths"


class TestClosed:
    @pytest.fixture(autouse=True)
    def closed(self, settings):
        settings.TEACHER_SIGNUP = "closed"

    def test_page_says_teacher_registration_is_closed(self, client):
        response = client.get(reverse("teachers:register"))

        assert response.status_code == HTTPStatus.OK
        assert b"Teacher registration is closed" in response.content
        assert b'name="password1"' not in response.content

    def test_post_is_refused_and_makes_no_account(self, client, teacher_data):
        response = client.post(reverse("teachers:register"), teacher_data)

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not User.objects.exists()

    def test_student_registration_stays_open(self, client):
        response = client.get(reverse("students:register"))

        assert b'name="password1"' in response.content

    @pytest.mark.parametrize("url", ["/", "/accounts/login/"])
    def test_pages_offer_only_student_registration(self, client, url):
        content = client.get(url).content.decode()
        assert 'href="/teachers/register/"' not in content
        assert 'href="/students/register/"' in content

    def test_landing_page_still_offers_the_teacher_login(self, client):
        assert b'href="/teachers/login/"' in client.get("/").content


def test_unknown_policy_is_a_configuration_error(settings, client):
    settings.TEACHER_SIGNUP = "maybe"

    with pytest.raises(
        ImproperlyConfigured, match="TEACHER_SIGNUP must be one of open, approval, closed"
    ):
        client.get(reverse("teachers:register"))
