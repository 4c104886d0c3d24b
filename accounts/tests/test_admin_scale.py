import csv
import io
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import bulk, roles
from accounts.tests.factories import (
    AdminFactory,
    admin_url,
    other_role,
    profile_data,
    user_factory,
    user_of,
)
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db


def import_users(config: roles.RoleAppConfig, count: int) -> None:
    """Import `count` accounts of `config`'s role (no usable password), as the importer does."""
    file = io.StringIO()
    writer = csv.writer(file)
    writer.writerow(bulk.columns(config.role))
    for n in range(count):
        writer.writerow(
            [
                f"pupil{n}",
                f"pupil{n}@example.com",
                "Zoë",
                f"Pupil {n}",
                *profile_data(config).values(),
            ]
        )
    file.seek(0)
    bulk.users_import(role=config.role, file=file)


def act(client, config: roles.RoleAppConfig, action: str, users) -> object:
    return client.post(
        admin_url(config), {"action": action, "_selected_action": [user.pk for user in users]}
    )


def action_names(response) -> set[str]:
    return {name for name, _label in response.context["action_form"].fields["action"].choices}


class TestChangelist:
    def test_query_count_does_not_grow_with_the_table(self, admin_client, role_config):
        url, factory = admin_url(role_config), user_factory(role_config)
        factory.create_batch(2)
        admin_client.get(url)  # warm the session and content type caches
        with CaptureQueriesContext(connection) as small:
            assert admin_client.get(url).status_code == HTTPStatus.OK

        factory.create_batch(130)  # more than one page (100 a page)
        with CaptureQueriesContext(connection) as large:
            response = admin_client.get(url)

        assert response.status_code == HTTPStatus.OK
        assert len(response.context["cl"].result_list) == 100
        assert len(large) == len(small)

    def test_page_of_a_large_school_in_a_few_queries(
        self, admin_client, django_assert_max_num_queries, role_config
    ):
        import_users(role_config, 250)

        with django_assert_max_num_queries(8):
            response = admin_client.get(admin_url(role_config))

        assert response.context["cl"].show_full_result_count is False
        assert len(response.context["cl"].result_list) == 100
        assert b"pupil0" in response.content

    def test_filter_by_active(self, admin_client, role_config):
        user_factory(role_config)(username="here")
        user_factory(role_config)(username="gone", is_active=False)

        response = admin_client.get(admin_url(role_config), {"is_active__exact": 1})

        assert [u.username for u in response.context["cl"].result_list] == ["here"]

    def test_only_the_role_is_listed(self, admin_client, role_config, role_user):
        user_of(other_role(role_config))

        response = admin_client.get(admin_url(role_config))

        assert list(response.context["cl"].result_list) == [role_user]


class TestActions:
    def test_delete_is_not_offered(self, admin_client, role_config):
        choices = action_names(admin_client.get(admin_url(role_config)))

        assert "delete_selected" not in choices
        assert {"activate", "deactivate", "export_csv", "send_password_reset", "approve"} <= choices

    def test_deactivate_then_activate(self, admin_client, role_config):
        chosen, other = user_factory(role_config).create_batch(2)

        act(admin_client, role_config, "deactivate", [chosen])
        chosen.refresh_from_db(), other.refresh_from_db()
        assert (chosen.is_active, other.is_active) == (False, True)

        act(admin_client, role_config, "activate", [chosen])
        chosen.refresh_from_db()
        assert chosen.is_active

    def test_export_selection_in_the_import_format(
        self, admin_client, role_config, role_profile_data
    ):
        chosen = user_factory(role_config)(
            username="zoe", email="zoe@example.com", first_name="Zoë", last_name="N"
        )
        role_config.profile_model.objects.filter(user=chosen).update(**role_profile_data)
        user_factory(role_config)()

        response = act(admin_client, role_config, "export_csv", [chosen])

        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows == [
            list(bulk.columns(role_config.role)),
            ["zoe", "zoe@example.com", "Zoë", "N", *map(str, role_profile_data.values())],
        ]

    def test_send_password_reset_reaches_imported_accounts(self, admin_client, role_config):
        import_users(role_config, 2)
        inactive = user_factory(role_config)(is_active=False)

        act(
            admin_client,
            role_config,
            "send_password_reset",
            [*role_config.proxy.objects.filter(username__startswith="pupil"), inactive],
        )

        assert sorted(m.to[0] for m in mail.outbox) == ["pupil0@example.com", "pupil1@example.com"]
        assert "/accounts/password/reset/" in mail.outbox[0].body

    def test_a_reset_link_sets_the_first_password_of_an_imported_account(self, client, role_config):
        import_users(role_config, 1)

        client.post(reverse("password_reset"), {"email": "pupil0@example.com"})

        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pupil0@example.com"]

    def test_approve_activates_and_emails_only_pending_accounts(self, admin_client, role_config):
        pending = user_factory(role_config)(is_active=False, email="pending@example.com")
        active = user_factory(role_config)()

        act(admin_client, role_config, "approve", [pending, active])

        pending.refresh_from_db()
        assert pending.is_active
        assert [m.to for m in mail.outbox] == [["pending@example.com"]]
        assert f"http://testserver{role_config.login_url}" in mail.outbox[0].body

    def test_actions_need_the_change_permission(self, client, role_config, role_user):
        viewer = AdminFactory(is_staff=True)
        viewer.user_permissions.add(
            Permission.objects.get(codename=f"view_{role_config.proxy._meta.model_name}")
        )
        log_in(client, viewer)

        choices = action_names(client.get(admin_url(role_config)))

        assert "export_csv" in choices and "deactivate" not in choices


class TestRoleInvariant:
    def test_another_user_cannot_get_the_role_profile(self, role_config, role_profile_data):
        other = user_of(other_role(role_config))
        profile = role_config.profile_model(user=other, **role_profile_data)

        with pytest.raises(ValidationError, match=f"only a {role_config.role_name} has a"):
            profile.full_clean()

    def test_the_role_admin_does_not_open_another_user(self, admin_client, role_config):
        other = user_of(other_role(role_config))

        response = admin_client.get(admin_url(role_config, "change", other.pk))

        assert response.status_code == HTTPStatus.FOUND  # "doesn't exist", back to the index
        assert response.url == reverse("admin:index")

    def test_role_is_read_only_in_the_all_users_admin(self, admin_client, role_config, role_user):
        url = reverse("admin:accounts_user_change", args=[role_user.pk])
        response = admin_client.get(url)
        assert b'name="role"' not in response.content
        assert str(roles.label(role_config.role)) in response.content.decode()

        admin_client.post(
            url,
            {
                "username": role_user.username,
                "role": other_role(role_config),
                "email": role_user.email,
                "date_joined_0": "2024-01-01",
                "date_joined_1": "00:00:00",
                "is_active": "on",
            },
        )

        role_user.refresh_from_db()
        assert role_user.has_role(role_config.role)

    def test_the_profile_inline_keeps_the_role(self, admin_client, role_config, role_user):
        url = admin_url(role_config, "change", role_user.pk)
        prefix = role_config.profile_accessor
        new_profile = profile_data(role_config)

        response = admin_client.post(
            url,
            {
                "username": role_user.username,
                "email": role_user.email,
                "first_name": "",
                "last_name": "",
                "is_active": "on",
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "1",
                f"{prefix}-MIN_NUM_FORMS": "1",
                f"{prefix}-MAX_NUM_FORMS": "1",
                f"{prefix}-0-user": str(role_user.pk),
                **{f"{prefix}-0-{name}": value for name, value in new_profile.items()},
            },
        )

        assert response.status_code == HTTPStatus.FOUND, (
            response.context and response.context["errors"]
        )
        role_user.refresh_from_db()
        profile = getattr(role_user, prefix)
        assert {name: getattr(profile, name) for name in new_profile} == new_profile
        assert role_user.has_role(role_config.role)
        for config in roles.registered():
            if config is not role_config:
                assert not config.proxy.objects.filter(pk=role_user.pk).exists()
