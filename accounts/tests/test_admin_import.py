"""The admin's CSV import, for every role: upload, preview of the dry run, confirm."""

import csv
import io
import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import admin_import, bulk, roles
from accounts.models import User
from accounts.tests.factories import AdminFactory, admin_url, profile_data, user_factory
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db


def csv_text(config: roles.RoleAppConfig, *rows: list, delimiter: str = ",") -> str:
    file = io.StringIO()
    writer = csv.writer(file, delimiter=delimiter)
    writer.writerow(bulk.columns(config.role))
    writer.writerows(rows)
    return file.getvalue()


def person(config: roles.RoleAppConfig, username: str, last_name: str = "", **profile) -> list:
    values = {**profile_data(config), **profile}
    return [username, f"{username}@example.com", "", last_name, *values.values()]


def upload(client, config, text: str | bytes, mode: str = "create", encoding: str = "utf-8"):
    data = (
        text.encode(encoding if encoding != "utf-8" else "utf-8") if isinstance(text, str) else text
    )
    return client.post(
        admin_url(config, "import"),
        {
            "file": SimpleUploadedFile("people.csv", data, "text/csv"),
            "mode": mode,
            "encoding": encoding,
        },
    )


def payload(response) -> str:
    return response.context["payload"]


def staff_with(config: roles.RoleAppConfig, *actions: str) -> User:
    user = AdminFactory(is_staff=True)
    content_type = ContentType.objects.get_for_model(config.proxy, for_concrete_model=False)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type=content_type,
            codename__in=[f"{action}_{config.proxy._meta.model_name}" for action in actions],
        )
    )
    return user


def test_the_changelist_has_an_import_button(staff_client, role_config):
    response = staff_client.get(admin_url(role_config))

    assert f'href="{admin_url(role_config, "import")}"' in response.content.decode()


def test_no_button_and_403_without_add_and_change_permission(client, role_config):
    log_in(client, staff_with(role_config, "view", "change"))

    assert client.get(admin_url(role_config)).status_code == HTTPStatus.OK
    assert (
        admin_url(role_config, "import") not in client.get(admin_url(role_config)).content.decode()
    )
    assert client.get(admin_url(role_config, "import")).status_code == HTTPStatus.FORBIDDEN
    text = csv_text(role_config, person(role_config, "ada"))
    assert upload(client, role_config, text).status_code == HTTPStatus.FORBIDDEN
    assert not User.objects.filter(username="ada").exists()


def test_staff_with_add_and_change_permission_may_import(client, role_config):
    log_in(client, staff_with(role_config, "view", "add", "change"))

    assert client.get(admin_url(role_config, "import")).status_code == HTTPStatus.OK


def test_visitors_and_non_staff_are_sent_to_log_in(client, role_user, role_config):
    url = admin_url(role_config, "import")
    assert re.match(r"/(accounts|admin)/login/\?next=", client.get(url).url)
    log_in(client, role_user)
    assert client.get(url).url.startswith("/admin/login/")


def test_preview_then_confirm(staff_client, role_config):
    user_factory(role_config)(
        username="ada", email="ada@example.com", first_name="", last_name="Byron"
    )
    text = csv_text(
        role_config,
        person(role_config, "ada", "Lovelace"),
        person(role_config, "grace", "Hopper"),
        delimiter=";",
    )

    preview = upload(staff_client, role_config, text, mode="upsert")

    assert preview.status_code == HTTPStatus.OK
    assert preview.context["result"] == bulk.ImportResult(created=1, updated=1)
    assert preview.context["errors"] == []
    assert not User.objects.filter(username="grace").exists()  # a preview writes nothing
    page = preview.content.decode()
    assert 'data-count="created">1<' in page and 'data-count="updated">1<' in page
    assert "Confirm the import" in page

    done = staff_client.post(admin_url(role_config, "import"), {"payload": payload(preview)})

    assert done.status_code == HTTPStatus.FOUND and done.url == admin_url(role_config)
    assert User.objects.get(username="ada").last_name == "Lovelace"
    assert role_config.proxy.objects.get(username="grace").last_name == "Hopper"
    followed = staff_client.get(done.url)
    assert "Imported: create 1, update 1, unchanged 0." in followed.content.decode()


def test_a_bad_file_shows_every_bad_line_and_no_confirm_button(staff_client, role_config):
    text = csv_text(
        role_config,
        person(role_config, "ada"),
        ["bad name!", "x@example.com", "", "", *profile_data(role_config).values()],
    )

    preview = upload(staff_client, role_config, text)

    page = preview.content.decode()
    assert preview.context["errors"][0].startswith("line 3: username: Enter a valid username")
    assert "line 3: username: Enter a valid username" in page
    assert "Confirm the import" not in page and 'name="payload"' not in page
    assert preview.context["result"] == bulk.ImportResult(created=1)
    assert not User.objects.filter(role=role_config.role).exists()


def test_a_bad_header_is_a_bad_line(staff_client, role_config):
    preview = upload(staff_client, role_config, "name,mail\nada,a@example.com\n")

    assert preview.context["errors"][0].startswith("line 1: the header must be")


def test_a_tampered_payload_writes_nothing(staff_client, role_config):
    preview = upload(staff_client, role_config, csv_text(role_config, person(role_config, "ada")))
    forged = payload(preview)[:-3] + ("AAA" if not payload(preview).endswith("AAA") else "BBB")

    response = staff_client.post(admin_url(role_config, "import"), {"payload": forged}, follow=True)

    assert "upload the file again" in response.content.decode()
    assert not User.objects.filter(username="ada").exists()


def test_a_payload_is_bound_to_the_role_and_the_staff_member(client, staff, role_config):
    other = AdminFactory(is_staff=True, is_superuser=True)
    log_in(client, staff)
    preview = upload(client, role_config, csv_text(role_config, person(role_config, "ada")))
    log_in(client, other)

    client.post(admin_url(role_config, "import"), {"payload": payload(preview)})

    assert not User.objects.filter(username="ada").exists()


def test_the_database_changed_since_the_preview(staff_client, role_config):
    preview = upload(staff_client, role_config, csv_text(role_config, person(role_config, "ada")))
    user_factory(role_config)(username="ada")

    response = staff_client.post(admin_url(role_config, "import"), {"payload": payload(preview)})

    assert response.status_code == HTTPStatus.OK
    assert response.context["errors"] == ["line 2: username ada is already taken"]


def test_files_over_the_limit_are_pointed_to_the_command(staff_client, role_config, monkeypatch):
    monkeypatch.setattr(admin_import, "MAX_ROWS", 3)
    rows = [person(role_config, f"user{n}") for n in range(4)]

    response = upload(staff_client, role_config, csv_text(role_config, *rows))

    page = response.content.decode()
    assert "over 3 rows" in page
    assert f"manage.py import_users --role {role_config.role}" in page
    assert "result" not in response.context or response.context.get("result") is None
    assert not User.objects.filter(role=role_config.role).exists()


def test_a_file_in_another_encoding_is_read_when_chosen(staff_client, role_config):
    text = csv_text(role_config, person(role_config, "zoe", "Müller"))

    refused = upload(staff_client, role_config, text.encode("cp1252"))
    assert "this is not a UTF-8 text file" in refused.content.decode()
    assert "Windows-1252" in refused.content.decode()

    preview = upload(staff_client, role_config, text.encode("cp1252"), encoding="cp1252")
    staff_client.post(admin_url(role_config, "import"), {"payload": payload(preview)})

    assert User.objects.get(username="zoe").last_name == "Müller"


def test_update_mode_refuses_unknown_accounts(staff_client, role_config):
    preview = upload(
        staff_client,
        role_config,
        csv_text(role_config, person(role_config, "nobody")),
        mode="update",
    )

    assert preview.context["errors"] == [
        f"line 2: username nobody: no such {role_config.role_name} account"
    ]
    assert re.search(r'data-count="created">0<', preview.content.decode())
