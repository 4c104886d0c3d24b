"""My account: a user's own details, email address, password notices and data download.

Role-neutral: every test runs for each installed role app (`role_config`), and for admins
where they differ (no profile).
"""

import json
import time
from http import HTTPStatus
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse

from accounts import data, services, tokens
from accounts.tests.factories import AdminFactory, admin_url, profile_data, user_factory
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"
EMAIL = "/accounts/email/"
DATA = "/accounts/data/"
NEW_ADDRESS = "new.address@example.com"
THREE_DAYS = tokens.MAX_AGE.total_seconds()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def link_in(message) -> str:
    """Return the path of the confirmation link in an email."""
    line = next(line for line in message.body.splitlines() if "/accounts/email/confirm/" in line)
    return line[line.index("/accounts/") :].strip()


def school_fields(config) -> list[str]:
    """Return the profile fields of `config`'s role that its users may not edit themselves."""
    return [name for name in config.profile_fields if name not in config.self_editable_fields]


class TestProfile:
    def test_requires_login(self, client):
        response = client.get(PROFILE)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith("/accounts/login/?next=")

    def test_form_has_the_names_and_only_the_fields_the_role_may_edit(
        self, role_client, role_config, role_user
    ):
        response = role_client.get(PROFILE)
        assert response.status_code == HTTPStatus.OK
        form = response.context["form"]
        assert list(form.fields) == ["first_name", "last_name", *role_config.self_editable_fields]
        assert form.initial["first_name"] == role_user.first_name
        for name in role_config.self_editable_fields:
            assert form.initial[name] == getattr(role_user.profile, name)
        content = response.content.decode()
        for name in school_fields(role_config):
            assert f'name="{name}"' not in content

    def test_saves_names_and_editable_fields_and_comes_back(
        self, role_client, role_config, role_user
    ):
        editable = {
            name: value
            for name, value in profile_data(role_config).items()
            if name in role_config.self_editable_fields
        }
        response = role_client.post(
            PROFILE, {"first_name": "Ada", "last_name": "Byron", **editable}, follow=True
        )
        assert response.redirect_chain == [(PROFILE, HTTPStatus.FOUND)]
        assert "Your details were saved." in messages_of(response)
        role_user.refresh_from_db()
        assert (role_user.first_name, role_user.last_name) == ("Ada", "Byron")
        for name, value in editable.items():
            assert str(getattr(role_user.profile, name)) == str(value)

    def test_the_new_name_is_on_the_home(self, role_client, role_config, role_user):
        kept = {name: getattr(role_user.profile, name) for name in role_config.self_editable_fields}
        role_client.post(PROFILE, {"first_name": "Grace", "last_name": "Brewster", **kept})
        content = role_client.get(role_config.url("home")).content.decode()
        assert "Hello, Grace Brewster" in content

    def test_fields_the_school_owns_are_ignored(self, role_client, role_config, role_user):
        before = {name: getattr(role_user.profile, name) for name in role_config.profile_fields}
        posted = profile_data(role_config)
        editable = {name: before[name] for name in role_config.self_editable_fields}
        role_client.post(
            PROFILE,
            {
                "first_name": "A",
                "last_name": "B",
                **posted,
                **editable,
                "username": "renamed",
                "email": "sneaky@example.com",
                "role": "admin",
                "is_staff": "on",
            },
        )
        role_user.refresh_from_db()
        role_user.profile.refresh_from_db()
        assert {name: getattr(role_user.profile, name) for name in before} == before
        assert role_user.username != "renamed"
        assert role_user.email != "sneaky@example.com"
        assert role_user.has_role(role_config.role)
        assert not role_user.is_staff

    def test_an_invalid_form_saves_nothing(self, role_client, role_user):
        response = role_client.post(PROFILE, {"first_name": "x" * 200, "last_name": "Fine"})
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["first_name"]
        role_user.refresh_from_db()
        assert role_user.last_name != "Fine"
        # And the page around the form still shows the account as it is.
        assert "x" * 200 not in response.content.decode().split("<form")[0]

    def test_required_editable_fields_stay_required(self, role_client, role_config, role_user):
        required = [
            name
            for name in role_config.self_editable_fields
            if not role_config.profile_model._meta.get_field(name).blank
        ]
        before = {name: getattr(role_user.profile, name) for name in required}
        response = role_client.post(
            PROFILE, {"first_name": "A", "last_name": "B", **dict.fromkeys(required, "")}
        )
        if required:
            assert set(response.context["form"].errors) == set(required)
        else:  # nothing the role edits can be left empty wrongly: the names alone save
            assert response.status_code == HTTPStatus.FOUND
        role_user.profile.refresh_from_db()
        assert {name: getattr(role_user.profile, name) for name in required} == before

    def test_admins_edit_their_names_only(self, client):
        admin = AdminFactory(is_staff=True)
        log_in(client, admin)
        assert list(client.get(PROFILE).context["form"].fields) == ["first_name", "last_name"]
        client.post(PROFILE, {"first_name": "Staff", "last_name": "Member"})
        admin.refresh_from_db()
        assert admin.get_full_name() == "Staff Member"

    def test_linked_from_the_navbar_and_the_home(self, role_client, role_config):
        home = role_client.get(role_config.url("home")).content.decode()
        navbar, card = home.split("</nav>", 1)
        assert f'href="{PROFILE}">My account<' in navbar
        assert f'href="{PROFILE}"' in card

    def test_links_to_email_password_and_data(self, role_client):
        content = role_client.get(PROFILE).content.decode()
        for url in (EMAIL, reverse("password_change"), DATA):
            assert f'href="{url}"' in content


@pytest.fixture
def email_change_rate(settings):
    """Set EMAIL_CHANGE_RATE (the test settings switch it off), with empty counters."""

    def set_rate(value: str) -> None:
        settings.EMAIL_CHANGE_RATE = value
        cache.clear()

    yield set_rate
    cache.clear()


class TestEmailChange:
    def test_form_has_the_contract_fields(self, role_client):
        form = role_client.get(EMAIL).context["form"]
        assert list(form.fields) == ["email", "password"]

    def test_sends_a_link_to_the_new_address_and_changes_nothing_yet(
        self, role_client, role_user, password
    ):
        old = role_user.email
        response = role_client.post(EMAIL, {"email": NEW_ADDRESS, "password": password})
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == PROFILE
        role_user.refresh_from_db()
        assert role_user.email == old
        [message] = mail.outbox
        assert message.to == [NEW_ADDRESS]
        assert link_in(message).startswith("/accounts/email/confirm/")
        assert role_user.get_username() in message.body

    def test_the_answer_names_the_address_and_the_wait(self, role_client, password):
        response = role_client.post(
            EMAIL, {"email": NEW_ADDRESS, "password": password}, follow=True
        )
        [message] = messages_of(response)
        assert message.startswith(f"We sent a link to {NEW_ADDRESS}.")
        assert "within 3 days" in message

    def test_wrong_password_is_a_form_error_and_sends_nothing(self, role_client, role_user):
        response = role_client.post(EMAIL, {"email": NEW_ADDRESS, "password": "not-it"})
        assert response.status_code == HTTPStatus.OK
        assert "password" in response.context["form"].errors
        assert mail.outbox == []

    def test_own_address_in_any_case_is_refused(self, role_client, role_user, password):
        response = role_client.post(EMAIL, {"email": role_user.email.upper(), "password": password})
        assert response.context["form"].errors["email"] == ["This is already your address."]
        assert mail.outbox == []

    def test_a_taken_address_gets_the_same_answer_and_its_owner_is_told(
        self, client, role_config, role_user, password
    ):
        owner = user_factory(role_config)(email="Owner@Example.com")
        log_in(client, role_user)
        free = client.post(EMAIL, {"email": NEW_ADDRESS, "password": password}, follow=True)
        taken = client.post(
            EMAIL, {"email": "owner@example.COM", "password": password}, follow=True
        )

        assert taken.redirect_chain == free.redirect_chain
        assert messages_of(taken) == [
            messages_of(free)[0].replace(NEW_ADDRESS, "owner@example.com")  # domain lowercased
        ]
        link, notice = mail.outbox
        assert link.to == [NEW_ADDRESS]
        assert notice.to == [owner.email]
        assert "/accounts/email/confirm/" not in notice.body
        assert "nothing was changed" in notice.body
        assert role_user.get_username() not in notice.body  # the owner learns nothing either
        role_user.refresh_from_db()
        owner.refresh_from_db()
        assert owner.email == "Owner@Example.com"
        assert role_user.email != owner.email

    def test_an_account_without_an_address_adds_one(self, client, role_config, password):
        user = user_factory(role_config)(email="", password=password)
        log_in(client, user)
        assert b"no email address yet" in client.get(EMAIL).content
        client.post(EMAIL, {"email": NEW_ADDRESS, "password": password})
        path = link_in(mail.outbox[0])
        client.post(path)
        user.refresh_from_db()
        assert user.email == NEW_ADDRESS
        assert len(mail.outbox) == 1  # no old address to tell

    def test_posts_are_limited_per_user(self, client, role_config, password, email_change_rate):
        email_change_rate("2/h")
        first, second = (user_factory(role_config)(password=password) for _ in range(2))
        log_in(client, first)
        for attempt in ("wrong", password):
            assert client.post(EMAIL, {"email": NEW_ADDRESS, "password": attempt}).status_code in (
                HTTPStatus.OK,
                HTTPStatus.FOUND,
            )
        refused = client.post(EMAIL, {"email": NEW_ADDRESS, "password": password})
        assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert client.get(EMAIL).status_code == HTTPStatus.OK  # reading the page is fine
        log_in(client, second)  # same address, another user: their own count
        response = client.post(EMAIL, {"email": "other@example.com", "password": password})
        assert response.status_code == HTTPStatus.FOUND

    def test_default_rate_is_ten_an_hour(self):
        from school.settings import base

        assert base.EMAIL_CHANGE_RATE == "10/h"


@pytest.fixture
def link(role_client, role_user, password):
    """The path of a fresh link changing role_user's address to NEW_ADDRESS."""
    role_client.post(EMAIL, {"email": NEW_ADDRESS, "password": password}, follow=True)
    return link_in(mail.outbox.pop())


def confirm_url(token: str) -> str:
    return reverse("email_confirm", args=[token])


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


class TestEmailConfirm:
    def test_get_asks_and_changes_nothing(self, role_client, role_user, link):
        old = role_user.email
        response = role_client.get(link)
        assert response.status_code == HTTPStatus.OK
        assert f"Use <strong>{NEW_ADDRESS}</strong>" in response.content.decode()
        assert b'<form method="post"' in response.content
        role_user.refresh_from_db()
        assert role_user.email == old
        assert mail.outbox == []

    def test_post_changes_the_address_and_tells_the_old_one(self, role_client, role_user, link):
        old = role_user.email
        response = role_client.post(link, follow=True)
        assert response.redirect_chain == [(PROFILE, HTTPStatus.FOUND)]
        assert messages_of(response) == [f"Your email address is now {NEW_ADDRESS}."]
        role_user.refresh_from_db()
        assert role_user.email == NEW_ADDRESS
        [notice] = mail.outbox
        assert notice.to == [old]
        assert "no longer uses this email address" in notice.body
        assert NEW_ADDRESS not in notice.body

    def test_works_once(self, role_client, role_user, link):
        role_client.post(link)
        mail.outbox.clear()
        for method in (role_client.get, role_client.post):
            response = method(link)
            assert response.status_code == HTTPStatus.OK
            assert b"This link is invalid" in response.content
        assert mail.outbox == []

    def test_works_for_three_days_and_not_after(self, role_client, role_user, link):
        now = time.time()
        with mock.patch("django.core.signing.time.time", return_value=now + THREE_DAYS - 60):
            assert b"This link is invalid" not in role_client.get(link).content
        with mock.patch("django.core.signing.time.time", return_value=now + THREE_DAYS + 60):
            response = role_client.post(link)
        assert b"This link is invalid" in response.content
        role_user.refresh_from_db()
        assert role_user.email != NEW_ADDRESS

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
            lambda token: "x" + token,  # the payload
            lambda token: token.split(":", 1)[0],  # no signature at all
        ],
        ids=["signature", "payload", "unsigned"],
    )
    def test_an_altered_link_is_invalid(self, role_client, role_user, link, tamper):
        response = role_client.post(confirm_url(tamper(token_of(link))))
        assert response.status_code == HTTPStatus.OK
        assert b"This link is invalid" in response.content
        role_user.refresh_from_db()
        assert role_user.email != NEW_ADDRESS

    def test_a_token_signed_for_something_else_is_invalid(self, role_client, role_user):
        payload = {"u": role_user.pk, "e": NEW_ADDRESS, "a": tokens.address_stamp(role_user)}
        forged = signing.dumps(payload, salt="another.purpose", compress=True)
        response = role_client.post(confirm_url(forged))
        assert b"This link is invalid" in response.content
        role_user.refresh_from_db()
        assert role_user.email != NEW_ADDRESS

    def test_void_once_the_address_changed_otherwise(self, role_client, role_user, link):
        role_user.email = "changed.by.staff@example.com"
        role_user.save(update_fields=["email"])
        response = role_client.post(link)
        assert b"This link is invalid" in response.content
        role_user.refresh_from_db()
        assert role_user.email == "changed.by.staff@example.com"

    def test_confirming_one_link_voids_the_others(self, role_client, role_user, link, password):
        role_client.post(EMAIL, {"email": "second@example.com", "password": password})
        second = link_in(mail.outbox.pop())
        role_client.post(second)
        response = role_client.post(link)
        assert b"This link is invalid" in response.content
        role_user.refresh_from_db()
        assert role_user.email == "second@example.com"

    def test_a_link_for_another_account_is_refused(self, client, role_config, link, role_user):
        other = user_factory(role_config)()
        log_in(client, other)
        response = client.post(link)
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert b"another account" in response.content
        other.refresh_from_db()
        role_user.refresh_from_db()
        assert NEW_ADDRESS not in (other.email, role_user.email)

    def test_visitors_log_in_first_and_come_back(self, client, role_user, link, password):
        client.logout()
        response = client.get(link)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith("/accounts/login/?next=")
        response = client.post(response.url, {"username": role_user.username, "password": password})
        assert response.url == link

    def test_an_address_taken_meanwhile_is_said_and_nothing_changes(
        self, role_client, role_config, role_user, link
    ):
        user_factory(role_config)(email=NEW_ADDRESS.upper())
        old = role_user.email
        response = role_client.post(link)
        assert response.status_code == HTTPStatus.OK
        assert b"Another account uses this address now" in response.content
        role_user.refresh_from_db()
        assert role_user.email == old
        assert mail.outbox == []

    def test_a_race_lost_at_the_database_is_the_same_error(self, role_config, role_user):
        other = user_factory(role_config)(email="other@example.com")
        # The check before the UPDATE finds no owner, as when both run at the same moment.
        with mock.patch.object(services.User.objects, "filter") as lookup:
            lookup.return_value.exclude.return_value.exists.return_value = False
            with pytest.raises(ValidationError, match="Another account uses this address"):
                services.email_change_confirm(user=role_user, email=other.email.upper())
        role_user.refresh_from_db()
        assert role_user.email != other.email.upper()
        assert mail.outbox == []


class TestPasswordNotices:
    def test_changing_the_password_tells_the_address(self, role_client, role_user, password):
        role_client.post(
            reverse("password_change"),
            {
                "old_password": password,
                "new_password1": "brand-new-passphrase",
                "new_password2": "brand-new-passphrase",
            },
        )
        [notice] = mail.outbox
        assert notice.to == [role_user.email]
        assert notice.subject == "The password of your school account was changed"
        assert "brand-new-passphrase" not in notice.body

    def test_a_failed_change_tells_nobody(self, role_client):
        role_client.post(
            reverse("password_change"),
            {"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
        )
        assert mail.outbox == []

    def test_a_reset_tells_the_address(self, client, role_user):
        client.post(reverse("password_reset"), {"email": role_user.email})
        reset = mail.outbox.pop()
        line = next(line for line in reset.body.splitlines() if "/accounts/password/" in line)
        form_url = client.get(line[line.index("/accounts/") :].strip()).url
        client.post(
            form_url,
            {"new_password1": "reset-passphrase-99", "new_password2": "reset-passphrase-99"},
        )
        [notice] = mail.outbox
        assert notice.to == [role_user.email]
        assert "was just changed" in notice.body

    def test_staff_setting_a_password_tells_the_address(self, staff_client, role_config, role_user):
        # Django names this page auth_user_password_change for every user admin: by path.
        url = admin_url(role_config, "change", role_user.pk).replace("/change/", "/password/")
        response = staff_client.post(
            url,
            {
                "password1": "set-by-staff-passphrase",
                "password2": "set-by-staff-passphrase",
                "usable_password": "true",
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        role_user.refresh_from_db()
        assert role_user.check_password("set-by-staff-passphrase")
        [notice] = mail.outbox
        assert notice.to == [role_user.email]

    def test_no_address_no_notice(self, client, role_config, password):
        user = user_factory(role_config)(email="", password=password)
        assert not services.account_change_notify(user=user, change=services.PASSWORD_CHANGED)
        assert mail.outbox == []

    def test_a_failing_mail_server_does_not_undo_the_change(self, role_client, role_user, password):
        with mock.patch("accounts.services.send_mail", side_effect=SMTPException("down")):
            response = role_client.post(
                reverse("password_change"),
                {
                    "old_password": password,
                    "new_password1": "brand-new-passphrase",
                    "new_password2": "brand-new-passphrase",
                },
            )
        assert response.url == reverse("password_change_done")
        role_user.refresh_from_db()
        assert role_user.check_password("brand-new-passphrase")

    def test_names_are_not_html_escaped_in_emails(self, role_config):
        user = user_factory(role_config)(first_name="Zoë & O'Brien")
        services.account_change_notify(user=user, change=services.PASSWORD_CHANGED)
        assert "Hello Zoë & O'Brien," in mail.outbox[0].body


class TestDataExport:
    def download(self, client) -> dict:
        response = client.get(DATA)
        assert response.status_code == HTTPStatus.OK
        return response, json.loads(response.content)

    def test_is_a_json_attachment_named_after_the_user(self, role_client, role_user):
        response, _ = self.download(role_client)
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"] == (
            f'attachment; filename="school-data-{role_user.username}.json"'
        )
        assert "no-store" in response["Cache-Control"]

    def test_holds_the_account_and_the_profile(self, role_client, role_config, role_user):
        _, data = self.download(role_client)
        account = data["account"]
        assert account["username"] == role_user.username
        assert account["email"] == role_user.email
        assert account["first_name"] == role_user.first_name
        assert account["role"] == role_config.role
        assert account["is_active"] is True
        assert account["must_change_password"] is False
        assert account["date_joined"].startswith(role_user.date_joined.date().isoformat())
        assert "last_login" in account
        assert data["profile"] == {
            name: getattr(role_user.profile, name) for name in role_config.profile_fields
        }

    def test_holds_no_password_hash(self, role_client, role_user):
        response, data = self.download(role_client)
        assert "password" not in data["account"]
        assert role_user.password.encode() not in response.content
        assert role_user.password.split("$")[-1].encode() not in response.content

    def test_holds_nothing_of_another_user(self, client, role_config):
        # Names chosen apart: two random names may share a surname.
        me = user_factory(role_config)(first_name="Ada", last_name="Lovelace")
        other = user_factory(role_config)(first_name="Grace", last_name="Hopper")
        log_in(client, me)
        response, _ = self.download(client)
        for value in (other.username, other.email, other.last_name):
            assert value.encode() not in response.content

    def test_an_admin_has_no_profile(self, client):
        admin = AdminFactory()
        log_in(client, admin)
        _, data = self.download(client)
        assert data["account"]["role"] == "admin"
        assert data["profile"] is None

    def test_apps_add_their_sections(self, role_client):
        _, data = self.download(role_client)
        assert list(data)[:2] == ["account", "profile"]
        assert "classes" in data  # classrooms/apps.py; its content: classrooms/tests


class TestDataSections:
    def test_a_section_name_is_taken_once(self):
        with pytest.raises(ImproperlyConfigured):
            data.register_section("account", lambda user: None)
        with pytest.raises(ImproperlyConfigured):
            data.register_section("classes", lambda user: None)
