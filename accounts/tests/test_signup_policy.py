"""Sign-up policies, for any role: each role app may name a setting that holds its policy.

A role without a setting of its own is given one here, so that the core's handling of every
policy is tested for every installed role.
"""

from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.models import User
from accounts.roles import SignupPolicy
from accounts.tests.factories import AdminFactory, other_roles, profile_data
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(password, role_profile_data):
    return {
        "username": "grace",
        "email": "grace@example.com",
        "password1": password,
        "password2": password,
        **role_profile_data,
    }


@pytest.fixture
def set_policy(role_config, settings, monkeypatch):
    """Return a function that sets the sign-up policy of the role under test."""
    if role_config.signup_setting is None:
        monkeypatch.setattr(role_config, "signup_setting", "SIGNUP_POLICY_UNDER_TEST")

    def set_policy(value: str) -> None:
        setattr(settings, role_config.signup_setting, value)

    return set_policy


def assert_others_sign_up_as_before(config: roles.RoleAppConfig, policies: dict, password: str):
    """Assert the policies of the roles besides `config`'s are `policies`, and the open ones open."""
    for index, other in enumerate(other_roles(config)):
        assert other.signup_policy == policies[other.role]
        if other.signup_policy != SignupPolicy.OPEN:
            continue
        client = Client()
        client.post(
            other.register_url,
            {
                "username": f"ada{index}",
                "email": f"ada{index}@example.com",
                "password1": password,
                "password2": password,
                **profile_data(other),
            },
        )
        assert User.objects.get(username=f"ada{index}").is_active
        assert SESSION_KEY in client.session


@pytest.fixture
def policies_before(role_config) -> dict:
    return {other.role: other.signup_policy for other in other_roles(role_config)}


def test_a_role_without_a_setting_is_open(role_config, monkeypatch):
    monkeypatch.setattr(role_config, "signup_setting", None)

    assert role_config.signup_policy == SignupPolicy.OPEN
    assert role_config.signup_open and not role_config.signup_needs_approval


def test_open_logs_the_new_user_in(client, role_config, set_policy, registration):
    set_policy("open")

    response = client.post(role_config.register_url, registration)

    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.get(username="grace").is_active
    assert SESSION_KEY in client.session


def approval_note(config: roles.RoleAppConfig) -> str:
    return f"New {config.role_name} accounts wait for staff approval"


def test_open_pages_say_nothing_of_approval(client, role_config, set_policy):
    set_policy("open")

    assert approval_note(role_config) not in client.get("/").content.decode()
    assert approval_note(role_config) not in client.get(role_config.register_url).content.decode()


class TestApproval:
    @pytest.fixture(autouse=True)
    def approval(self, policies_before, set_policy):
        set_policy("approval")

    def test_registration_makes_an_inactive_account_and_does_not_log_in(
        self, client, role_config, registration, role_profile_data
    ):
        response = client.post(role_config.register_url, registration, follow=True)

        assert response.redirect_chain[-1][0] == reverse("registration_pending")
        assert b"awaits approval" in response.content
        grace = User.objects.get(username="grace")
        assert grace.has_role(role_config.role) and not grace.is_active
        profile = getattr(grace, role_config.profile_accessor)
        assert {name: getattr(profile, name) for name in role_profile_data} == role_profile_data
        assert SESSION_KEY not in client.session

    def test_landing_and_registration_pages_say_accounts_wait(self, client, role_config):
        landing = client.get("/").content.decode()
        note_id = f"{role_config.label}-approval-note"
        assert f'<p id="{note_id}"' in landing and approval_note(role_config) in landing
        # The register link points to the note, for those who reach it by keyboard.
        assert f'href="{role_config.register_url}" aria-describedby="{note_id}"' in landing
        register_page = client.get(role_config.register_url).content.decode()
        assert approval_note(role_config) in register_page

    def test_pending_user_cannot_log_in(self, client, role_config, registration, password):
        client.post(role_config.register_url, registration)

        client.post(role_config.login_url, {"username": "grace", "password": password})

        assert SESSION_KEY not in client.session

    def test_other_roles_still_sign_up_as_before(self, role_config, policies_before, password):
        assert role_config.signup_policy == SignupPolicy.APPROVAL
        assert_others_sign_up_as_before(role_config, policies_before, password)

    def test_staff_created_users_are_active(self, client, role_config, registration, password):
        log_in(client, AdminFactory(is_staff=True, is_superuser=True))
        opts = role_config.proxy._meta
        client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), registration)

        grace = User.objects.get(username="grace")
        assert grace.is_active and grace.has_role(role_config.role)


class TestClosed:
    @pytest.fixture(autouse=True)
    def closed(self, policies_before, set_policy):
        set_policy("closed")

    def test_page_says_registration_is_closed(self, client, role_config):
        response = client.get(role_config.register_url)

        assert response.status_code == HTTPStatus.OK
        assert b"registration is closed" in response.content
        assert b'name="password1"' not in response.content

    def test_post_is_refused_and_makes_no_account(self, client, role_config, registration):
        response = client.post(role_config.register_url, registration)

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not User.objects.exists()

    def test_other_roles_registration_stays_as_before(
        self, client, role_config, policies_before, password
    ):
        for other in other_roles(role_config):
            response = client.get(other.register_url)
            open_ = policies_before[other.role] != SignupPolicy.CLOSED
            assert (b'name="password1"' in response.content) == open_
        assert_others_sign_up_as_before(role_config, policies_before, password)


def test_unknown_policy_is_a_configuration_error(client, role_config, set_policy):
    set_policy("maybe")

    with pytest.raises(
        ImproperlyConfigured,
        match=f"{role_config.signup_setting} must be one of open, approval, closed",
    ):
        client.get(role_config.register_url)


class TestClosedSignupIsNotAdvertised:
    @pytest.mark.parametrize("url", ["/", "/accounts/login/"])
    def test_pages_offer_only_open_registrations(self, client, role_config, set_policy, url):
        set_policy("closed")
        content = client.get(url).content.decode()
        assert f'href="{role_config.register_url}"' not in content
        for other in other_roles(role_config):
            assert (f'href="{other.register_url}"' in content) == other.signup_open

    def test_landing_page_still_offers_the_closed_roles_login(
        self, client, role_config, set_policy
    ):
        set_policy("closed")
        assert f'href="{role_config.login_url}"'.encode() in client.get("/").content
