"""Simultaneous registrations of one username or email: one account, one form error, no 500."""

from http import HTTPStatus

import pytest

from accounts import roles
from accounts.models import User
from accounts.tests.concurrency import POSTGRESQL_ONLY, post_at_once

ROUNDS = 50

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]


@pytest.fixture(autouse=True)
def signup_open(settings, role_config):
    """Let visitors register as the role under test, whatever its sign-up setting says."""
    if role_config.signup_setting:
        setattr(settings, role_config.signup_setting, roles.SignupPolicy.OPEN)


def payload(username: str, email: str, profile: dict) -> dict:
    return {
        "username": username,
        "email": email,
        "password1": "a-long-enough-pass-phrase",
        "password2": "a-long-enough-pass-phrase",
        **profile,
    }


@pytest.mark.parametrize(
    ("field", "make_pair"),
    [
        (
            "username",
            lambda n: [(f"race{n}", f"a{n}@example.com"), (f"RACE{n}", f"b{n}@example.com")],
        ),
        (
            "email",
            lambda n: [(f"a{n}", f"race{n}@example.com"), (f"b{n}", f"RACE{n}@Example.com")],
        ),
    ],
    ids=["username", "email"],
)
def test_one_account_per_round_and_a_form_error_for_the_other(
    role_config, role_profile_data, field, make_pair
):
    for round_number in range(ROUNDS):
        payloads = [
            payload(username, email, role_profile_data)
            for username, email in make_pair(round_number)
        ]
        responses = post_at_once([(None, role_config.register_url, data) for data in payloads])

        statuses = sorted(response.status_code for response in responses)
        assert statuses == [HTTPStatus.OK, HTTPStatus.FOUND], f"round {round_number}: {statuses}"
        loser = next(response for response in responses if response.status_code == HTTPStatus.OK)
        # The form's own check or, when both passed it, the service's IntegrityError.
        messages = [str(m) for errors in loser.context["form"].errors.values() for m in errors]
        assert any(
            f"with that {field.replace('email', 'email address')} already exists" in m
            for m in messages
        ), messages
        lookup = {
            f"{field}__iexact": f"race{round_number}" + ("@example.com" if field == "email" else "")
        }
        assert User.objects.filter(**lookup).count() == 1
        assert User.objects.get(**lookup).has_role(role_config.role)
    assert not role_config.proxy.objects.filter(
        **{f"{role_config.profile_accessor}__isnull": True}
    ).exists()
