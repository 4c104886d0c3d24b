from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts import roles
from accounts.models import User
from accounts.tests.factories import (
    AdminFactory,
    bulk_users,
    directory_refused_roles,
    directory_url,
    directory_viewer_role,
    other_role,
    registration_data,
    user_factory,
    user_of,
)
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db

ADMIN_HOME = "/admin/"
MAIN_LOGIN = "/accounts/login/"
OFFSITE_NEXTS = [
    "https://evil.example/",
    "//evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    "https:evil.example",
]


def logged_in_user(client):
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


@pytest.fixture
def staff_user(password):
    return AdminFactory(password=password, is_staff=True, is_superuser=True)


class TestLanding:
    def test_visitor_sees_the_way_in(self, client):
        content = client.get("/").content.decode()
        assert roles.registered()
        for config in roles.registered():
            assert (f'href="{config.register_url}"' in content) == config.signup_open
            assert f'href="{config.login_url}"' in content
        assert f'href="{MAIN_LOGIN}"' in content

    def test_role_users_are_sent_to_their_home(self, role_client, role_config):
        response = role_client.get("/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == role_config.url("home")

    def test_staff_are_sent_to_the_admin(self, client, staff_user):
        log_in(client, staff_user)
        response = client.get("/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == ADMIN_HOME

    def test_admin_without_staff_rights_stays_on_the_landing_page(self, client):
        log_in(client, AdminFactory())
        assert client.get("/").status_code == HTTPStatus.OK


@pytest.mark.usefixtures("signup_open")
class TestRegister:
    def test_form_has_the_contract_fields(self, client, role_config):
        response = client.get(role_config.register_url)
        assert response.status_code == HTTPStatus.OK
        for name in [
            "username",
            "email",
            "password1",
            "password2",
            "first_name",
            "last_name",
            *role_config.profile_fields,
        ]:
            assert f'name="{name}"'.encode() in response.content
        assert b"csrfmiddlewaretoken" in response.content

    def test_registers_and_lands_home_logged_in(self, client, role_config, role_profile_data):
        response = client.post(role_config.register_url, registration_data(role_profile_data))

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == role_config.url("home")
        user = role_config.proxy.objects.get(username="newkid")
        profile = getattr(user, role_config.profile_accessor)
        assert {name: getattr(profile, name) for name in role_profile_data} == role_profile_data
        assert logged_in_user(client) == user
        assert client.get(role_config.url("home")).status_code == HTTPStatus.OK

    def test_invalid_form_is_shown_again_and_nothing_is_written(
        self, client, role_config, role_profile_data
    ):
        data = registration_data(role_profile_data, username="no spaces!", email="not-an-email")
        response = client.post(role_config.register_url, data)
        assert response.status_code == HTTPStatus.OK
        assert set(response.context["form"].errors) == {"username", "email"}
        assert not User.objects.exists()
        assert logged_in_user(client) is None

    def test_safe_next_is_followed(self, client, role_config, role_profile_data):
        response = client.post(
            f"{role_config.register_url}?next=/accounts/password/change/",
            registration_data(role_profile_data),
        )
        assert response.url == "/accounts/password/change/"

    @pytest.mark.parametrize("next_url", OFFSITE_NEXTS)
    def test_offsite_next_is_ignored(self, client, role_config, role_profile_data, next_url):
        response = client.post(
            role_config.register_url, registration_data(role_profile_data, next=next_url)
        )
        assert response.url == role_config.url("home")

    def test_lost_race_for_the_username_becomes_a_form_error(
        self, client, role_config, role_profile_data
    ):
        taken = ValidationError({"username": "A user with that username already exists."})
        with mock.patch("accounts.forms.services.user_create", side_effect=taken):
            response = client.post(role_config.register_url, registration_data(role_profile_data))
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["username"] == [
            "A user with that username already exists."
        ]

    def test_logged_in_user_is_sent_home_from_every_registration_page(
        self, role_client, role_config
    ):
        for config in roles.registered():
            response = role_client.get(config.register_url)
            assert response.status_code == HTTPStatus.FOUND
            assert response.url == role_config.url("home")


class TestRoleLogin:
    def test_user_logs_in_on_their_role_page(self, client, role_config, role_user, password):
        response = client.post(
            role_config.login_url, {"username": role_user.username, "password": password}
        )
        assert response.url == role_config.url("home")
        assert logged_in_user(client) == role_user

    def test_username_letter_case_does_not_matter(self, client, role_config, role_user, password):
        response = client.post(
            role_config.login_url, {"username": role_user.username.upper(), "password": password}
        )
        assert response.url == role_config.url("home")
        assert logged_in_user(client) == role_user

    def test_other_roles_credentials_do_not_log_in_and_point_to_the_right_page(
        self, client, role_config, password
    ):
        # A user of another role, and the login page meant for them (admins: the main one).
        role = other_role(role_config)
        other = user_of(role, password=password)
        right_login = MAIN_LOGIN if role == roles.ADMIN else roles.get(role).login_url
        response = client.post(
            role_config.login_url, {"username": other.username, "password": password}
        )
        assert response.status_code == HTTPStatus.OK
        assert logged_in_user(client) is None
        assert f'href="{right_login}"'.encode() in response.content
        assert f"{role_config.role_name} login".encode() in response.content

    def test_staff_credentials_point_to_the_main_login(
        self, client, role_config, staff_user, password
    ):
        response = client.post(
            role_config.login_url, {"username": staff_user.username, "password": password}
        )
        assert logged_in_user(client) is None
        assert f'href="{MAIN_LOGIN}"'.encode() in response.content

    def test_wrong_password_gets_djangos_message(self, client, role_config, role_user):
        response = client.post(
            role_config.login_url, {"username": role_user.username, "password": "nope"}
        )
        assert response.status_code == HTTPStatus.OK
        assert b"Please enter a correct username and password" in response.content
        assert logged_in_user(client) is None

    def test_without_remember_me_the_session_ends_with_the_browser(
        self, client, role_config, role_user, password
    ):
        client.post(role_config.login_url, {"username": role_user.username, "password": password})
        assert client.session.get_expire_at_browser_close()

    def test_remember_me_keeps_the_session(self, client, role_config, role_user, password):
        client.post(
            role_config.login_url,
            {"username": role_user.username, "password": password, "remember_me": "on"},
        )
        assert logged_in_user(client) == role_user
        assert not client.session.get_expire_at_browser_close()

    def test_safe_next_is_followed(self, client, role_config, role_user, password):
        home = role_config.url("home")
        response = client.post(
            f"{role_config.login_url}?next={home}%3Fq%3Dsmith",
            {"username": role_user.username, "password": password, "next": f"{home}?q=smith"},
        )
        assert response.url == f"{home}?q=smith"

    @pytest.mark.parametrize("role_page", [True, False], ids=["role-login", "main-login"])
    @pytest.mark.parametrize("next_url", OFFSITE_NEXTS)
    def test_offsite_next_is_ignored(
        self, client, role_config, role_user, password, role_page, next_url
    ):
        login_url = role_config.login_url if role_page else MAIN_LOGIN
        response = client.post(
            login_url, {"username": role_user.username, "password": password, "next": next_url}
        )
        assert response.url == role_config.url("home")

    def test_login_page_shows_the_contract_fields(self, client, role_config):
        content = client.get(role_config.login_url).content
        for name in ["username", "password", "remember_me"]:
            assert f'name="{name}"'.encode() in content


class TestCommonLogin:
    def test_each_role_goes_to_its_home(self, client, role_config, role_user, password):
        response = client.post(MAIN_LOGIN, {"username": role_user.username, "password": password})
        assert response.url == role_config.url("home")

    def test_staff_goes_to_the_admin(self, client, staff_user, password):
        response = client.post(MAIN_LOGIN, {"username": staff_user.username, "password": password})
        assert response.url == ADMIN_HOME

    def test_inactive_user_cannot_log_in(self, client, role_config, password):
        user = user_factory(role_config)(password=password, is_active=False)
        response = client.post(MAIN_LOGIN, {"username": user.username, "password": password})
        assert response.status_code == HTTPStatus.OK
        assert logged_in_user(client) is None


class TestLogout:
    def test_get_is_refused(self, role_client, role_user):
        response = role_client.get("/accounts/logout/")
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert logged_in_user(role_client) == role_user

    def test_post_logs_out_and_goes_to_the_landing_page(self, role_client):
        response = role_client.post("/accounts/logout/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == "/"
        assert logged_in_user(role_client) is None


class TestHomeAccess:
    def test_visitor_is_sent_to_the_role_login_with_next(self, client, role_config):
        home = role_config.url("home")
        response = client.get(home)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"{role_config.login_url}?next={home}"

    def test_other_roles_get_403_with_a_link_home(self, client, role_config):
        others = [
            (user_factory(config)(), config.url("home"))
            for config in roles.registered()
            if config is not role_config
        ]
        others.append((AdminFactory(is_staff=True), ADMIN_HOME))
        for user, own_home in others:
            log_in(client, user)
            response = client.get(role_config.url("home"))
            assert response.status_code == HTTPStatus.FORBIDDEN
            assert f'href="{own_home}"'.encode() in response.content
            assert b"This page is not for your account" in response.content

    def test_own_home_is_shown(self, role_client, role_config):
        assert role_client.get(role_config.url("home")).status_code == HTTPStatus.OK


class TestHome:
    def test_greets_the_user_by_name(self, client, role_config):
        me = user_factory(role_config)(first_name="Ada", last_name="Lovelace")
        log_in(client, me)
        assert "Hello, Ada Lovelace" in client.get(role_config.url("home")).content.decode()

    def test_does_not_list_the_school(self, role_client, role_config):
        # Users of every role who share nothing with this one (no class): the home shows
        # none of them; the whole school is in the directories.
        others = [user_factory(config)() for config in roles.registered()]
        others.append(AdminFactory())
        content = role_client.get(role_config.url("home")).content.decode()
        for other in others:
            assert other.username not in content
            assert other.email not in content

    def test_links_to_the_directories_meant_for_it(self, role_client, role_config):
        content = role_client.get(role_config.url("home")).content.decode()
        for config in roles.registered():
            if role_config.role in (config.directory_viewers or ()):
                assert f'href="{directory_url(config)}"' in content


def by_name(users) -> list[tuple[str, str, str]]:
    return [(u.last_name, u.first_name, u.username) for u in users]


@pytest.fixture
def viewer_client(client, role_config):
    """A client logged in as a user who may browse the directory of the role under test."""
    log_in(client, user_of(directory_viewer_role(role_config)))
    return client


class TestDirectoryAccess:
    def test_visitor_is_sent_to_log_in_with_next(self, client, role_config):
        url = directory_url(role_config)
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"{MAIN_LOGIN}?next={url}"

    def test_its_viewers_and_staff_get_in(self, client, role_config, staff_user):
        viewers = [staff_user, user_of(directory_viewer_role(role_config))]
        viewers += [user_of(role) for role in role_config.directory_viewers or ()]
        for viewer in viewers:
            log_in(client, viewer)
            assert client.get(directory_url(role_config)).status_code == HTTPStatus.OK

    def test_everyone_else_gets_403(self, client, role_config):
        refused = [user_of(role) for role in directory_refused_roles(role_config)]
        if role_config.directory_viewers is not None:
            refused.append(AdminFactory())  # an admin without staff rights is no viewer
        for user in refused:
            log_in(client, user)
            response = client.get(directory_url(role_config))
            assert response.status_code == HTTPStatus.FORBIDDEN, user.role

    def test_an_account_awaiting_approval_sees_nothing(self, client, role_config):
        url = directory_url(role_config)
        pending = user_of(directory_viewer_role(role_config), is_active=False)
        log_in(client, pending)
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"{MAIN_LOGIN}?next={url}"

    def test_email_is_never_shown_nor_searched(self, role_config):
        assert "email" not in role_config.directory_fields
        assert "email" not in role_config.directory_search_fields


class TestDirectory:
    def test_lists_only_the_role(self, viewer_client, role_config):
        for config in roles.registered():
            user_factory(config)()
        AdminFactory()
        listed = viewer_client.get(directory_url(role_config)).context["object_list"]
        assert listed and {u.role for u in listed} == {role_config.role}

    def test_lists_by_name_25_a_page(self, viewer_client, role_config):
        user_factory(role_config).create_batch(30)
        first = viewer_client.get(directory_url(role_config))
        second = viewer_client.get(directory_url(role_config), {"page": 2})
        names = by_name(first.context["object_list"]) + by_name(second.context["object_list"])
        assert len(first.context["object_list"]) == 25
        assert names == sorted(by_name(role_config.proxy.objects.all()))
        assert len(set(names)) == len(names)

    def test_shows_the_names_and_the_directory_fields_not_the_email(
        self, viewer_client, role_config
    ):
        user = user_factory(role_config)(
            first_name="Zelda", last_name="Zhang", username="zz-shown", email="z.hidden@school.test"
        )
        content = viewer_client.get(directory_url(role_config)).content.decode()
        assert "Zelda Zhang" in content
        for field in role_config.directory_fields:
            assert str(getattr(user, field)) in content
        assert "z.hidden" not in content and "@school.test" not in content

    @pytest.mark.parametrize("term", ["ZELDA", "zhang", "zelda zhang"])
    def test_search_by_name(self, viewer_client, role_config, term):
        make = user_factory(role_config)
        match = make(first_name="Zelda", last_name="Zhang")
        make.create_batch(3, first_name="Other")
        response = viewer_client.get(directory_url(role_config), {"q": term})
        assert list(response.context["object_list"]) == [match]

    def test_search_by_the_directory_fields(self, viewer_client, role_config):
        make = user_factory(role_config)
        match = make(username="zz-unique")
        make.create_batch(3)
        for field in role_config.directory_fields:
            response = viewer_client.get(directory_url(role_config), {"q": getattr(match, field)})
            assert list(response.context["object_list"]) == [match], field

    @pytest.mark.parametrize("term", ["z.unique@school.test", "z.unique", "school.test"])
    def test_search_does_not_match_email(self, viewer_client, role_config, term):
        user_factory(role_config)(username="zz", email="z.unique@school.test")
        response = viewer_client.get(directory_url(role_config), {"q": term})
        assert list(response.context["object_list"]) == []
        assert response.status_code == HTTPStatus.OK

    def test_says_how_many_match(self, viewer_client, role_config):
        make = user_factory(role_config)
        make(last_name="Zhang")
        make.create_batch(2, last_name="Smith")
        url = directory_url(role_config)
        one = viewer_client.get(url, {"q": "zhang"}).content.decode()
        two = viewer_client.get(url, {"q": "smith"}).content.decode()
        assert f"1 {role_config.role_name} matches “zhang”." in one
        assert f"2 {role_config.role_name_plural} match “smith”." in two

    def test_page_links_keep_the_search(self, viewer_client, role_config):
        user_factory(role_config).create_batch(26, last_name="Smith")
        content = viewer_client.get(directory_url(role_config), {"q": "smith"}).content.decode()
        assert "?q=smith&amp;page=2" in content

    def test_page_past_the_end_is_404(self, viewer_client, role_config):
        user_factory(role_config).create_batch(3)
        url = directory_url(role_config)
        assert viewer_client.get(url, {"page": 1}).status_code == HTTPStatus.OK
        assert viewer_client.get(url, {"page": 2}).status_code == HTTPStatus.NOT_FOUND
        assert viewer_client.get(url, {"page": 99}).status_code == HTTPStatus.NOT_FOUND

    def test_page_is_titled_and_its_search_box_labelled(self, viewer_client, role_config):
        content = viewer_client.get(directory_url(role_config)).content.decode()
        heading = f"{role_config.role_label} directory"
        assert f"<title>{heading}" in content
        assert f'<h1 id="directory-heading" class="h4 mb-0">{heading}</h1>' in content
        plural = role_config.role_name_plural
        assert f'<label for="directory-search" class="form-label small mb-1">Search {plural}' in (
            content
        )
        # A table wider than a phone scrolls in a region a keyboard can reach, with a name.
        assert 'role="region" aria-labelledby="directory-heading" tabindex="0"' in content


class TestDirectoryQueryCounts:
    """The number of queries per page must not grow with the number of users."""

    def test_same_at_100_and_100000_users(self, viewer_client, role_config):
        url = directory_url(role_config)
        bulk_users(role_config, 100)
        viewer_client.get(url)  # warm the caches of the session and the chrome
        with CaptureQueriesContext(connection) as small:
            assert len(viewer_client.get(url).context["object_list"]) == 25
        with CaptureQueriesContext(connection) as small_search:
            viewer_client.get(url, {"q": "last0001"})

        bulk_users(role_config, 100_000 - 100, prefix="more")
        with CaptureQueriesContext(connection) as large:
            response = viewer_client.get(url)
        with CaptureQueriesContext(connection) as large_search:
            viewer_client.get(url, {"q": "last0001"})

        assert role_config.proxy.objects.count() == 100_000
        assert len(response.context["object_list"]) == 25
        assert not response.context["paginator"].is_exact  # no COUNT(*) of the whole school
        assert len(large) == len(small) <= 6
        assert len(large_search) == len(small_search) <= 6


class TestPasswordFlows:
    def test_change_requires_login(self, client):
        response = client.get("/accounts/password/change/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(f"{MAIN_LOGIN}?next=")

    def test_change_password(self, client, role_user, password):
        log_in(client, role_user)
        response = client.post(
            "/accounts/password/change/",
            {
                "old_password": password,
                "new_password1": "brand-new-passphrase",
                "new_password2": "brand-new-passphrase",
            },
        )
        assert response.url == reverse("password_change_done")
        role_user.refresh_from_db()
        assert role_user.check_password("brand-new-passphrase")
        assert logged_in_user(client) == role_user

    def test_reset_sends_a_working_link(self, client, role_user):
        response = client.post("/accounts/password/reset/", {"email": role_user.email})
        assert response.url == reverse("password_reset_done")
        assert len(mail.outbox) == 1
        link = next(
            line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line
        )
        path = link[link.index("/accounts/") :].strip()
        form_url = client.get(path).url  # Django swaps the token for a session marker
        response = client.post(
            form_url,
            {"new_password1": "reset-passphrase-99", "new_password2": "reset-passphrase-99"},
        )
        assert response.url == reverse("password_reset_complete")
        role_user.refresh_from_db()
        assert role_user.check_password("reset-passphrase-99")

    def test_reset_page_says_who_helps_those_without_email(self, client):
        content = client.get("/accounts/password/reset/").content.decode()

        for config in roles.registered():
            if config.password_reset_help:
                assert escape(str(config.password_reset_help)) in content, config.role

    def test_roles_without_email_say_who_resets_their_passwords(self):
        for config in roles.registered():
            assert config.email_required or config.password_reset_help, config.role

    def test_reset_for_unknown_email_looks_the_same(self, client):
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
        assert response.url == reverse("password_reset_done")
        assert mail.outbox == []


class TestNavigation:
    def test_visitors_see_register_and_login_links(self, client):
        content = client.get(MAIN_LOGIN).content.decode()
        for config in roles.registered():
            assert (f'href="{config.register_url}"' in content) == config.signup_open
        assert 'action="/accounts/logout/"' not in content

    def test_users_see_their_home_and_a_logout_button(self, role_client, role_config):
        content = role_client.get("/accounts/password/change/").content.decode()
        assert f'href="{role_config.url("home")}"' in content
        assert '<form method="post" action="/accounts/logout/"' in content
        for config in roles.registered():
            assert f'href="{config.register_url}"' not in content

    @pytest.mark.usefixtures("signup_open")
    def test_messages_are_shown_as_alerts(self, client, role_config, role_profile_data):
        response = client.post(
            role_config.register_url,
            {
                "username": "t1",
                "email": "t1@example.com",
                "password1": "a-long-enough-passphrase",
                "password2": "a-long-enough-passphrase",
                **role_profile_data,
            },
            follow=True,
        )
        assert b'class="alert alert-success' in response.content
        assert b"Your account is ready." in response.content


class TestErrorPages:
    def test_500_is_friendly(self, client):
        client.raise_request_exception = False
        with mock.patch("accounts.views.LandingView.get", side_effect=RuntimeError("bug")):
            response = client.get("/")
        assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
        assert b"Something went wrong on our side" in response.content

    def test_404_is_friendly(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert b"We could not find that page" in response.content
