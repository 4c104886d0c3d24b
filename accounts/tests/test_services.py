from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts import roles
from accounts.models import User
from accounts.services import profile_create, user_create
from accounts.tests.factories import other_role, user_factory, user_of

pytestmark = pytest.mark.django_db


def profile_values(profile, data: dict) -> dict:
    return {name: getattr(profile, name) for name in data}


def test_creates_a_user_of_the_role_with_profile(role_config, role_profile_data):
    user = user_create(
        role=role_config.role,
        username="amy",
        email="amy@example.com",
        password="pw-123456789",
        **role_profile_data,
    )
    assert role_config.proxy.objects.get().pk == user.pk
    profile = role_config.profile_model.objects.get(user=user)
    assert profile_values(profile, role_profile_data) == role_profile_data
    assert user.check_password("pw-123456789")
    assert user.is_active


def test_without_password_the_account_has_no_usable_password(role_config, role_profile_data):
    user = user_create(
        role=role_config.role, username="tom", email="tom@example.com", **role_profile_data
    )
    assert not user.has_usable_password()


def test_inactive_accounts_await_approval(role_config, role_profile_data):
    user = user_create(
        role=role_config.role,
        username="tom",
        email="tom@example.com",
        is_active=False,
        **role_profile_data,
    )
    assert not User.objects.get(pk=user.pk).is_active


def test_profile_failure_rolls_back_the_user(role_config, role_profile_data):
    with (
        mock.patch.object(role_config.profile_model, "save", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        user_create(
            role=role_config.role, username="amy", email="amy@example.com", **role_profile_data
        )
    assert not User.objects.exists()


def test_a_taken_username_becomes_a_field_error(role_config, role_profile_data):
    user_of(other_role(role_config), username="Alice")
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            role=role_config.role, username="ALICE", email="new@example.com", **role_profile_data
        )
    assert list(excinfo.value.message_dict) == ["username"]
    assert User.objects.count() == 1


def test_a_taken_email_becomes_a_field_error(role_config, role_profile_data):
    user_factory(role_config)(email="alice@example.com")
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            role=role_config.role, username="other", email="Alice@Example.com", **role_profile_data
        )
    assert list(excinfo.value.message_dict) == ["email"]
    assert User.objects.count() == 1


@pytest.mark.parametrize("role", [roles.ADMIN, "no-such-role"])
def test_a_role_without_a_role_app_is_refused(role):
    with pytest.raises(LookupError):
        user_create(role=role, username="x", email="x@example.com")
    assert not User.objects.exists()


def test_profile_create_makes_the_profile_of_the_users_role_with_one_insert(
    role_config, role_profile_data, django_assert_num_queries
):
    user = role_config.proxy.objects.create_user("amy", "amy@example.com")
    # The profile's INSERT, and its audit trail entry's.
    with django_assert_num_queries(2) as captured:
        profile = profile_create(user=user, **role_profile_data)
    insert, entry = (query["sql"] for query in captured.captured_queries)
    assert insert.startswith("INSERT") and role_config.profile_model._meta.db_table in insert
    assert entry.startswith('INSERT INTO "auditlog_logentry"')
    assert type(profile) is role_config.profile_model
    assert profile_values(User.objects.get(pk=user.pk).profile, role_profile_data) == (
        role_profile_data
    )
