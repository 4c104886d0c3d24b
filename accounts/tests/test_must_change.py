"""A user whose password someone else chose must choose their own before anything else.

The URLs come from the resolver, as in the access table: a new page is covered the day it
is routed, and no URL skips the change.
"""

from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import roles
from accounts.middleware import PasswordChangeRequiredMiddleware
from accounts.models import User
from accounts.tests.factories import AdminFactory, user_factory
from school.tests.test_access import SAMPLE_KWARGS, admin_urls, route_kwargs, routed
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/change/"
NEW_PASSWORD = "my-very-own-passphrase"
ROUTES = routed()
# What a user who must change their password may still open: the change itself, leaving,
# and the health check of load balancers.
ALLOWED = {"password_change", "password_change_done", "logout", "healthz"}


def change_data(old_password: str, new_password: str = NEW_PASSWORD) -> dict:
    return {
        "old_password": old_password,
        "new_password1": new_password,
        "new_password2": new_password,
    }


def sent_to_change(response, wanted: str) -> bool:
    """Whether `response` redirects to the change page, with `wanted` as its `next`."""
    if response.status_code != HTTPStatus.FOUND:
        return False
    url = urlsplit(response.url)
    return url.path == CHANGE and parse_qs(url.query).get("next") == [wanted]


def logged_in_user(client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


@pytest.fixture
def flagged(role_config, password):
    """A user of the role under test whose password was set by someone else."""
    return user_factory(role_config)(password=password, must_change_password=True)


@pytest.fixture
def flagged_client(client, flagged):
    log_in(client, flagged)
    return client


@pytest.fixture
def flagged_staff(password):
    return AdminFactory(
        password=password, is_staff=True, is_superuser=True, must_change_password=True
    )


def url_of(name: str) -> str:
    return reverse(name, kwargs=route_kwargs(ROUTES[name], SAMPLE_KWARGS))


class TestNoWayAround:
    @pytest.mark.parametrize("name", ROUTES)
    def test_every_routed_url_sends_them_to_the_change_page(self, flagged_client, name):
        url = url_of(name)

        response = flagged_client.get(url)

        assert sent_to_change(response, url) != (name in ALLOWED), f"GET {url}"

    @pytest.mark.parametrize("name", sorted(set(ROUTES) - ALLOWED))
    def test_posts_are_sent_there_too(self, flagged_client, name):
        url = url_of(name)

        assert sent_to_change(flagged_client.post(url, {"anything": "x"}), url), f"POST {url}"

    def test_the_query_string_is_kept_in_next(self, flagged_client, role_config):
        wanted = f"{role_config.url('home')}?page=2&q=a+b"

        assert sent_to_change(flagged_client.get(wanted), wanted)

    def test_an_unrouted_url_too(self, flagged_client):
        assert sent_to_change(flagged_client.get("/no/such/page/"), "/no/such/page/")

    def test_a_post_is_not_processed(self, flagged_client, flagged):
        flagged_client.post(reverse("password_reset"), {"email": flagged.email})

        assert mail.outbox == []

    def test_the_admin_for_staff(self, client, flagged_staff):
        log_in(client, flagged_staff)

        for url in [*admin_urls(), reverse("admin:password_change")]:
            assert sent_to_change(client.get(url), url), url
            assert sent_to_change(client.post(url, {}), url), url

    def test_the_admin_for_role_users(self, flagged_client):
        assert sent_to_change(flagged_client.get("/admin/"), "/admin/")

    def test_logging_out_is_allowed(self, flagged_client):
        response = flagged_client.post(reverse("logout"))

        assert response.url == reverse("landing")
        assert logged_in_user(flagged_client) is None

    def test_staff_may_log_out_of_the_admin(self, client, flagged_staff):
        log_in(client, flagged_staff)

        client.post(reverse("admin:logout"))

        assert logged_in_user(client) is None

    def test_static_files_are_served(self, flagged_client):
        response = flagged_client.get("/static/css/site.css")

        assert response.status_code == HTTPStatus.OK

    def test_static_and_media_urls_are_let_through_by_the_middleware(self, settings):
        # Without WhiteNoise, Django's own views (or the web server) answer these paths.
        settings.MEDIA_URL = "/media/"
        allowed = PasswordChangeRequiredMiddleware.allowed

        assert allowed(f"{settings.STATIC_URL}css/site.css")
        assert allowed("/media/avatars/1.png")
        assert not allowed("/mediator/")

    def test_without_media_nothing_is_let_through_as_media(self, settings):
        # Unset, Django's MEDIA_URL is "/" (the script prefix): that must not allow every page.
        settings.MEDIA_URL = ""

        assert settings.MEDIA_URL == "/"
        assert not PasswordChangeRequiredMiddleware.allowed("/any/page/")


class TestChangePage:
    def test_says_why_they_are_there(self, flagged_client):
        response = flagged_client.get(CHANGE)

        assert response.status_code == HTTPStatus.OK
        assert "Your password was set by someone else: choose your own." in (
            response.content.decode()
        )

    def test_the_old_password_is_the_one_they_were_given(self, flagged_client, flagged):
        given = flagged_client.get(CHANGE).context["form"].fields["old_password"].label
        flagged.must_change_password = False
        flagged.save(update_fields=["must_change_password"])
        own = flagged_client.get(CHANGE).context["form"].fields["old_password"].label
        assert (str(given), str(own)) == ("The password you were given", "Old password")

    def test_others_are_not_told_so(self, role_client):
        assert b"set by someone else" not in role_client.get(CHANGE).content

    def test_next_survives_the_change(self, flagged_client, flagged, password, role_config):
        wanted = f"{role_config.url('home')}?tab=classes"
        change_url = flagged_client.get(wanted).url

        response = flagged_client.post(change_url, change_data(password))

        assert response.url == wanted
        flagged.refresh_from_db()
        assert not flagged.must_change_password
        assert flagged.check_password(NEW_PASSWORD)
        assert logged_in_user(flagged_client) == flagged  # the session was kept
        assert flagged_client.get(wanted).status_code == HTTPStatus.OK

    def test_without_next_they_go_home(self, flagged_client, password, role_config):
        response = flagged_client.post(CHANGE, change_data(password), follow=True)

        assert response.redirect_chain == [(role_config.url("home"), HTTPStatus.FOUND)]
        assert "Your new password is set." in response.content.decode()

    @pytest.mark.parametrize(
        "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
    )
    def test_an_unsafe_next_is_not_followed(self, flagged_client, password, role_config, next_url):
        response = flagged_client.post(f"{CHANGE}?next={next_url}", change_data(password))

        assert response.url == role_config.url("home")

    def test_staff_go_to_the_admin(self, client, flagged_staff, password):
        log_in(client, flagged_staff)

        response = client.post(CHANGE, change_data(password))

        assert response.url == roles.home_url(flagged_staff) == reverse("admin:index")

    @pytest.mark.parametrize(
        "data",
        [
            change_data("not-the-old-password"),
            {**change_data("x"), "new_password2": "something-else-entirely"},
            change_data("x", new_password="12345678"),  # too weak
        ],
        ids=["wrong-old-password", "mismatch", "weak"],
    )
    def test_the_flag_clears_only_on_a_successful_change(
        self, flagged_client, flagged, password, data
    ):
        if data["old_password"] == "x":
            data["old_password"] = password

        response = flagged_client.post(CHANGE, data)

        assert response.status_code == HTTPStatus.OK  # the form again, with its errors
        flagged.refresh_from_db()
        assert flagged.must_change_password
        assert flagged.check_password(password)
        assert sent_to_change(flagged_client.get("/"), "/")

    def test_a_voluntary_change_still_ends_on_djangos_done_page(
        self, role_client, role_user, password
    ):
        response = role_client.post(CHANGE, change_data(password))

        assert response.url == reverse("password_change_done")
        role_user.refresh_from_db()
        assert not role_user.must_change_password


class TestOthersUnaffected:
    def test_unflagged_users_open_their_pages(self, role_client, role_config):
        assert role_client.get(role_config.url("home")).status_code == HTTPStatus.OK

    def test_unflagged_staff_open_the_admin(self, staff_client):
        assert staff_client.get("/admin/").status_code == HTTPStatus.OK

    def test_visitors_are_sent_to_log_in_as_before(self, client, role_config):
        response = client.get(role_config.url("home"))

        assert urlsplit(response.url).path == role_config.login_url


class TestAfterLogin:
    def test_logging_in_leads_to_the_change_and_then_where_they_were_going(
        self, client, flagged, password, role_config
    ):
        wanted = reverse(f"directory:{role_config.label}")
        login = f"{role_config.login_url}?next={wanted}"

        response = client.post(
            login, {"username": flagged.username, "password": password}, follow=True
        )

        assert response.redirect_chain == [
            (wanted, HTTPStatus.FOUND),
            (f"{CHANGE}?next={wanted}", HTTPStatus.FOUND),
        ]
        assert b"set by someone else" in response.content
        response = client.post(f"{CHANGE}?next={wanted}", change_data(password))
        assert response.url == wanted

    def test_choosing_a_password_through_the_emailed_link_clears_the_flag(self, client, flagged):
        uid = urlsafe_base64_encode(force_bytes(flagged.pk))
        token = default_token_generator.make_token(flagged)
        form_url = client.get(reverse("password_reset_confirm", args=[uid, token])).url

        client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

        flagged.refresh_from_db()
        assert flagged.check_password(NEW_PASSWORD)
        assert not flagged.must_change_password
