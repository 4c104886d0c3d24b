import re
from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.admin.utils import display_for_value
from django.db import IntegrityError
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst

from accounts import roles
from accounts.models import User
from accounts.tests.factories import (
    admin_url,
    other_role,
    profile_data,
    user_factory,
    user_of,
)

pytestmark = pytest.mark.django_db

USERS = "admin:accounts_user_changelist"
NEW_PASSWORD = "an-admin-set-passphrase"


def profile_of(config: roles.RoleAppConfig, user: User) -> dict:
    profile = config.profile_model.objects.get(user=user)
    return {name: getattr(profile, name) for name in config.profile_fields}


def added(profile: dict, **overrides) -> dict:
    """Return what the add form posts: an account, the role's profile fields, a password."""
    return {
        "username": "added",
        "email": "added@example.com",
        "first_name": "Ad",
        "last_name": "Ded",
        **profile,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def inline_data(config: roles.RoleAppConfig, user: User, profile: dict) -> dict:
    """Return the profile inline's formset as the change page posts it."""
    prefix = config.profile_accessor
    return {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1",
        f"{prefix}-0-user": str(user.pk),
        **{f"{prefix}-0-{name}": value for name, value in profile.items()},
    }


class TestChangelists:
    def test_each_changelist_holds_only_its_role(self, admin_client, admin_user):
        made = {config.role: user_factory(config).create_batch(2) for config in roles.registered()}

        for config in roles.registered():
            listed = admin_client.get(admin_url(config)).context["cl"].result_list
            assert set(listed) == set(made[config.role]), config.role
        listed_users = admin_client.get(reverse(USERS)).context["cl"].result_list
        assert set(listed_users) == {
            admin_user,
            *(user for users in made.values() for user in users),
        }

    def test_profile_columns_show_the_profile(self, admin_client, role_config, role_user):
        content = admin_client.get(admin_url(role_config)).content.decode()

        for name, value in profile_of(role_config, role_user).items():
            shown = escape(display_for_value(value, ""))
            assert (
                f'<td class="field-{role_config.profile_accessor}__{name}">{shown}</td>' in content
            )

    def test_profile_columns_are_headed_by_their_field_and_sort(self, admin_client, role_config):
        user_factory(role_config).create_batch(6)
        url = admin_url(role_config)
        columns = list(admin_client.get(url).context["cl"].list_display)

        for name in role_config.profile_fields:
            path = f"{role_config.profile_accessor}__{name}"
            index = columns.index(path)  # a column of its own, ordered in the database
            heading = capfirst(role_config.profile_model._meta.get_field(name).verbose_name)
            for order, descending in ((f"{index}", False), (f"-{index}", True)):
                response = admin_client.get(url, {"o": order})
                listed = response.context["cl"].result_list
                values = [
                    getattr(getattr(user, role_config.profile_accessor), name) for user in listed
                ]
                assert len(values) == 6
                assert values == sorted(values, reverse=descending), (name, order)
            ascending = admin_client.get(url, {"o": f"{index}"}).content.decode()
            # Django heads a lookup column with the lookup (e.g. "<Role> profile <field>").
            link = re.search(rf'<a href="\?o=-{index}">([^<]*)</a>', ascending)
            assert escape(heading).lower() in " ".join(link.group(1).split()).lower()

    def test_site_is_branded(self, admin_client):
        assert b"School administration" in admin_client.get(reverse("admin:index")).content

    def test_search(self, admin_client, role_config):
        match = user_factory(role_config)(last_name="Quixote")
        user_factory(role_config)(last_name="Panza")

        result = (
            admin_client.get(admin_url(role_config), {"q": "quixote"}).context["cl"].result_list
        )

        assert list(result) == [match]

    @pytest.mark.parametrize("size", [2, 40])
    def test_query_count_does_not_grow(
        self, admin_client, django_assert_max_num_queries, role_config, size
    ):
        user_factory(role_config).create_batch(size)
        with django_assert_max_num_queries(8):
            response = admin_client.get(admin_url(role_config))
        assert len(response.context["cl"].result_list) == size

    def test_role_users_are_kept_out(self, client, role_user):
        client.force_login(role_user)

        for config in roles.registered():
            response = client.get(admin_url(config))
            assert response.status_code == HTTPStatus.FOUND, config.role
            assert response.url.startswith(reverse("admin:login"))


class TestAddForms:
    def test_add_page_has_the_profile_fields_and_no_inline(self, admin_client, role_config):
        response = admin_client.get(admin_url(role_config, "add"))

        assert response.status_code == HTTPStatus.OK
        assert response.context["inline_admin_formsets"] == []
        content = response.content.decode()
        for name in role_config.profile_fields:
            assert f'name="{name}"' in content
            assert f'name="{role_config.profile_accessor}-0-{name}"' not in content

    def test_add_creates_the_user_and_the_profile(
        self, admin_client, role_config, role_profile_data
    ):
        response = admin_client.post(admin_url(role_config, "add"), added(role_profile_data))

        assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
        user = role_config.proxy.objects.get(username="added")
        assert response.url == admin_url(role_config, "change", user.pk)
        assert user.has_role(role_config.role)
        assert (user.email, user.first_name, user.last_name) == ("added@example.com", "Ad", "Ded")
        assert user.check_password(NEW_PASSWORD)
        assert not (user.is_staff or user.is_superuser)
        assert profile_of(role_config, user) == role_profile_data

    def test_a_failing_profile_insert_leaves_no_user(
        self, admin_client, role_config, role_profile_data
    ):
        refuse = mock.patch.object(
            role_config.profile_model,
            "save",
            autospec=True,
            side_effect=IntegrityError("simulated"),
        )

        with refuse, pytest.raises(IntegrityError, match="simulated"):
            admin_client.post(admin_url(role_config, "add"), added(role_profile_data))

        assert not User.objects.filter(username="added").exists()
        assert not role_config.profile_model.objects.exists()

    def test_add_requires_the_profile_fields(self, admin_client, role_config):
        required = [
            name
            for name in role_config.profile_fields
            if not role_config.profile_model._meta.get_field(name).blank
        ]

        response = admin_client.post(admin_url(role_config, "add"), added({}))

        assert response.status_code == HTTPStatus.OK
        assert set(required) <= set(response.context["adminform"].form.errors)
        assert not User.objects.filter(username="added").exists()

    def test_add_form_refuses_a_username_taken_in_another_case(
        self, admin_client, role_config, role_profile_data
    ):
        user_of(other_role(role_config), username="Taken")

        response = admin_client.post(
            admin_url(role_config, "add"),
            added(role_profile_data, username="taken", email="x@example.com"),
        )

        assert "username" in response.context["adminform"].form.errors
        assert User.objects.count() == 2  # the other user and the admin


class TestChangeForms:
    def test_change_page_shows_the_profile_inline_and_a_readonly_role(
        self, admin_client, role_config, role_user
    ):
        response = admin_client.get(admin_url(role_config, "change", role_user.pk))

        assert response.status_code == HTTPStatus.OK
        inlines = response.context["inline_admin_formsets"]
        assert [inline.formset.model for inline in inlines] == [role_config.profile_model]
        content = response.content.decode()
        for name in role_config.profile_fields:
            assert f'name="{role_config.profile_accessor}-0-{name}"' in content
        assert 'name="role"' not in content

    def test_editing_the_profile(self, admin_client, role_config, role_user):
        new_profile = profile_data(role_config)

        response = admin_client.post(
            admin_url(role_config, "change", role_user.pk),
            {
                "username": role_user.username,
                "email": role_user.email,
                "first_name": role_user.first_name,
                "last_name": role_user.last_name,
                "is_active": "on",
                "date_joined_0": "2026-01-01",
                "date_joined_1": "00:00:00",
                **inline_data(role_config, role_user, new_profile),
                "role": other_role(role_config),
            },
        )

        assert response.status_code == HTTPStatus.FOUND
        role_user.refresh_from_db()
        assert profile_of(role_config, role_user) == new_profile
        assert role_user.has_role(role_config.role)  # the role cannot be changed

    def test_all_users_admin_shows_the_role(self, admin_client, role_config, role_user):
        content = admin_client.get(reverse(USERS)).content.decode()

        assert f'<td class="field-role">{roles.label(role_config.role)}</td>' in content
        assert f'<td class="field-role">{roles.label(roles.ADMIN)}</td>' in content


def password_url(change_url: str) -> str:
    """Return the admin's "change password" page of the account `change_url` edits.

    Django names it `auth_user_password_change` in every user admin: reversing finds one.
    """
    return change_url.removesuffix("change/") + "password/"


class TestPasswordsSetByStaff:
    """A password staff choose is theirs to hand over, not the owner's to keep."""

    def test_add_form_asks_must_change_checked_by_default(self, admin_client, role_config):
        form = admin_client.get(admin_url(role_config, "add")).context["adminform"].form

        assert form["must_change_password"].initial is True
        assert form.fields["must_change_password"].label == "Must change at next login"

    @pytest.mark.parametrize("checked", [True, False])
    def test_add_form_sets_the_flag_as_checked(
        self, admin_client, role_config, role_profile_data, checked
    ):
        data = added(role_profile_data, **({"must_change_password": "on"} if checked else {}))

        response = admin_client.post(admin_url(role_config, "add"), data)

        assert response.status_code == HTTPStatus.FOUND
        user = role_config.proxy.objects.get(username="added")
        assert user.must_change_password is checked
        assert user.check_password(NEW_PASSWORD)

    def test_change_password_page_shows_the_checkbox_checked(
        self, admin_client, role_config, role_user
    ):
        response = admin_client.get(password_url(admin_url(role_config, "change", role_user.pk)))

        assert response.status_code == HTTPStatus.OK
        assert re.search(
            r'<input type="checkbox" name="must_change_password"[^>]* checked',
            response.content.decode(),
        )
        assert "Must change at next login" in response.content.decode()

    @pytest.mark.parametrize("checked", [True, False])
    def test_setting_a_password_sets_the_flag_as_checked(
        self, admin_client, role_config, role_user, checked
    ):
        response = admin_client.post(
            password_url(admin_url(role_config, "change", role_user.pk)),
            {
                "usable_password": "true",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                **({"must_change_password": "on"} if checked else {}),
            },
        )

        assert response.status_code == HTTPStatus.FOUND
        role_user.refresh_from_db()
        assert role_user.check_password(NEW_PASSWORD)
        assert role_user.must_change_password is checked

    def test_disabling_the_password_asks_nothing_of_its_owner(
        self, admin_client, role_config, role_user
    ):
        admin_client.post(
            password_url(admin_url(role_config, "change", role_user.pk)),
            {"usable_password": "false", "must_change_password": "on", "unset-password": "1"},
        )

        role_user.refresh_from_db()
        assert not role_user.has_usable_password()
        assert not role_user.must_change_password

    def test_the_all_users_admin_sets_it_too(self, admin_client, role_user):
        admin_client.post(
            password_url(reverse("admin:accounts_user_change", args=[role_user.pk])),
            {
                "usable_password": "true",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "must_change_password": "on",
            },
        )

        role_user.refresh_from_db()
        assert role_user.must_change_password

    def test_change_form_shows_and_edits_the_flag(self, admin_client, role_config, role_user):
        url = admin_url(role_config, "change", role_user.pk)
        assert 'name="must_change_password"' in admin_client.get(url).content.decode()

        admin_client.post(
            url,
            {
                "username": role_user.username,
                "email": role_user.email,
                "is_active": "on",
                "must_change_password": "on",
                "date_joined_0": "2026-01-01",
                "date_joined_1": "00:00:00",
                **inline_data(role_config, role_user, profile_of(role_config, role_user)),
            },
        )

        role_user.refresh_from_db()
        assert role_user.must_change_password

    def test_all_users_can_be_filtered_on_it(self, admin_client, role_config):
        waiting = user_factory(role_config)(must_change_password=True)
        user_factory(role_config)()

        response = admin_client.get(reverse(USERS), {"must_change_password__exact": "1"})

        assert list(response.context["cl"].result_list) == [waiting]
