"""Each protection of the site, proven by a request that would get through without it."""

import time
from datetime import timedelta
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse
from django.utils.module_loading import import_string

from accounts import roles
from accounts.models import User
from accounts.tests.factories import (
    directory_url,
    directory_viewer_role,
    other_role,
    user_factory,
    user_of,
)
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


# Every login page, with the role of the user who logs in there and where they land.
LOGIN_PAGES = [
    *(
        pytest.param(config.login_url, config.role, config.url("home"), id=config.label)
        for config in roles.registered()
    ),
    # The main login page takes every role, and sends each to its own home.
    *(
        pytest.param(
            "/accounts/login/", config.role, config.url("home"), id=f"accounts-{config.label}"
        )
        for config in roles.registered()
    ),
    # Without a (safe) next, the admin login goes to LOGIN_REDIRECT_URL, which sends staff on.
    pytest.param("/admin/login/", roles.ADMIN, "/", id="admin"),
]

HOSTILE_NEXTS = [
    "https://evil.example/",
    "http://evil.example/path",
    "//evil.example",
    "///evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",  # decodes to ///evil.example
    "/%5Cevil.example",  # /\evil.example
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "https:/evil.example",
    "%09//evil.example",
    "%20//evil.example",
    "http://testserver@evil.example/",
]


def login_data(username: str, password: str) -> dict:
    return {"username": username, "password": password}


def logged_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


@pytest.fixture
def axes_on(settings):
    """Switch django-axes on (the test settings leave it off for Client.login())."""
    settings.AXES_ENABLED = True


@pytest.fixture
def rate(settings):
    """Set REGISTRATION_RATE for one test, with empty counters."""

    def set_rate(value: str) -> None:
        settings.REGISTRATION_RATE = value
        cache.clear()

    yield set_rate
    cache.clear()


class TestBruteForceLockout:
    @pytest.mark.parametrize(("url", "who", "home"), LOGIN_PAGES)
    def test_limit_failures_lock_out_even_the_right_password(
        self, axes_on, settings, client, password, url, who, home
    ):
        user = user_of(who, password=password)
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = client.post(url, login_data(user.username, WRONG))
            assert response.status_code == HTTPStatus.OK
        response = client.post(url, login_data(user.username, WRONG))
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS

        response = client.post(url, login_data(user.username, password))

        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert b"Too many failed logins" in response.content
        assert b"15 minutes" in response.content
        assert logged_in_user_id(client) is None

    def test_below_the_limit_the_right_password_works(
        self, axes_on, settings, client, role_config, role_user, password
    ):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post(role_config.login_url, login_data(role_user.username, WRONG))
        response = client.post(role_config.login_url, login_data(role_user.username, password))
        assert response.status_code == HTTPStatus.FOUND
        assert logged_in_user_id(client) == str(role_user.pk)

    def lock_out(self, client, username: str, limit: int, **extra) -> None:
        for _ in range(limit):
            client.post("/accounts/login/", login_data(username, WRONG), **extra)

    def test_classmates_on_the_same_address_are_not_locked_out(
        self, axes_on, settings, client, role_config, password
    ):
        make_user = user_factory(role_config)
        typo_kid, classmate = make_user(password=password), make_user(password=password)
        self.lock_out(client, typo_kid.username, settings.AXES_FAILURE_LIMIT)

        response = Client().post("/accounts/login/", login_data(classmate.username, password))

        assert response.status_code == HTTPStatus.FOUND

    def test_same_username_from_another_address_is_not_locked_out(
        self, axes_on, settings, client, role_user, password
    ):
        self.lock_out(
            client, role_user.username, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.7"
        )

        response = client.post(
            "/accounts/login/", login_data(role_user.username, password), REMOTE_ADDR="198.51.100.2"
        )

        assert response.status_code == HTTPStatus.FOUND

    def test_behind_a_proxy_the_client_address_comes_from_its_header(
        self, axes_on, rate, settings, client, role_config, role_user, password
    ):
        settings.CLIENT_IP_META_KEY = settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
        self.lock_out(
            client, role_user.username, settings.AXES_FAILURE_LIMIT, HTTP_X_REAL_IP="203.0.113.7"
        )
        locked = client.post(
            "/accounts/login/",
            login_data(role_user.username, password),
            HTTP_X_REAL_IP="203.0.113.7",
        )
        elsewhere = client.post(
            "/accounts/login/",
            login_data(role_user.username, password),
            HTTP_X_REAL_IP="198.51.100.2",
        )
        assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert elsewhere.status_code == HTTPStatus.FOUND

        rate("1/h")
        visitor = Client()
        register_url = role_config.register_url
        visitor.post(register_url, {}, HTTP_X_REAL_IP="203.0.113.7")
        assert (
            visitor.post(register_url, {}, HTTP_X_REAL_IP="203.0.113.7").status_code
            == HTTPStatus.TOO_MANY_REQUESTS
        )
        assert (
            visitor.post(register_url, {}, HTTP_X_REAL_IP="198.51.100.2").status_code
            == HTTPStatus.OK
        )

    def test_letter_case_of_the_username_does_not_buy_more_attempts(
        self, axes_on, settings, client, role_config, password
    ):
        user = user_factory(role_config)(username="alice", password=password)
        for variant in ["alice", "Alice", "ALICE", "aLiCe", "alicE"][: settings.AXES_FAILURE_LIMIT]:
            client.post("/accounts/login/", login_data(variant, WRONG))

        response = client.post("/accounts/login/", login_data(user.username, password))

        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS

    def test_success_resets_the_count(self, axes_on, settings, client, role_user, password):
        for _ in range(2):
            self.lock_out(client, role_user.username, settings.AXES_FAILURE_LIMIT - 1)
            response = client.post("/accounts/login/", login_data(role_user.username, password))
            assert response.status_code == HTTPStatus.FOUND
            client.post("/accounts/logout/")

    def test_lockout_ends_after_the_cool_off(self, axes_on, settings, client, role_user, password):
        self.lock_out(client, role_user.username, settings.AXES_FAILURE_LIMIT)
        assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
        AccessAttempt.objects.update(
            attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
        )

        response = client.post("/accounts/login/", login_data(role_user.username, password))

        assert response.status_code == HTTPStatus.FOUND

    def test_failures_are_kept_in_the_database_for_every_app_instance(
        self, axes_on, settings, client, role_user
    ):
        assert issubclass(import_string(settings.AXES_HANDLER), AxesDatabaseHandler)
        self.lock_out(client, role_user.username, 2)
        assert AccessAttempt.objects.get(username=role_user.username).failures_since_start == 2

    def test_registration_still_logs_the_new_user_in(
        self, axes_on, signup_open, client, role_config, role_profile_data
    ):
        response = client.post(
            role_config.register_url,
            {
                "username": "newcomer",
                "email": "newcomer@example.com",
                "password1": "a-long-enough-pass-phrase",
                "password2": "a-long-enough-pass-phrase",
                **role_profile_data,
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        assert logged_in_user_id(client) == str(User.objects.get(username="newcomer").pk)


class InlineCodeFinder(HTMLParser):
    """Collect what a strict CSP would block: inline scripts, style attributes and elements, on* handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script":
            self.in_script = "src" not in names
        if tag == "style":
            self.found.append("<style>")
        self.found += [
            f"{tag} {name}=" for name in names if name == "style" or name.startswith("on")
        ]
        if tag == "a" and any(
            (value or "").strip().lower().startswith("javascript:") for _, value in attrs
        ):
            self.found.append("javascript: link")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.found.append(f"inline script {data.strip()[:40]!r}")


def inline_code(response) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    return finder.found


# Pages of the site, with the role of the visitor (None: anonymous) who asks for them.
SITE_PAGES = [
    (None, "/"),
    (None, "/accounts/login/"),
    (None, "/accounts/password/reset/"),
    (None, "/accounts/password/reset/done/"),
    (None, "/accounts/password/reset/MQ/bad-token/"),
    (None, "/no/such/page/"),
    (None, "/admin/login/"),
    *(
        page
        for config in roles.registered()
        for page in (
            (None, config.register_url),
            (None, config.login_url),
            (config.role, config.url("home")),
            # The 403 page: another role's user on this role's home.
            (other_role(config), config.url("home")),
            (config.role, "/accounts/password/change/"),
            (directory_viewer_role(config), directory_url(config)),
        )
    ),
]


def visit(client, who: str | None, url: str):
    """GET `url` as a new user of role `who`, or anonymously when `who` is None."""
    if who:
        log_in(client, user_of(who))
    return client.get(url)


class TestHeaders:
    @pytest.mark.parametrize(("who", "url"), SITE_PAGES)
    def test_every_response_carries_the_strict_headers(self, client, who, url):
        response = visit(client, who, url)
        csp = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["form-action"] == "'self'"
        assert directives["base-uri"] == "'self'"
        assert "unsafe" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"

    @pytest.mark.parametrize(("who", "url"), SITE_PAGES)
    def test_site_pages_have_no_inline_code(self, client, who, url):
        assert inline_code(visit(client, who, url)) == []

    def test_the_lockout_and_429_pages_carry_the_headers_too(
        self, axes_on, rate, settings, client, role_user
    ):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = client.post("/accounts/login/", login_data(role_user.username, WRONG))
        rate("1/h")
        client.post("/accounts/password/reset/", {"email": "a@example.com"})
        limited = client.post("/accounts/password/reset/", {"email": "a@example.com"})
        for page in (response, limited):
            assert page.status_code == HTTPStatus.TOO_MANY_REQUESTS
            assert "'none'" in page["Content-Security-Policy"]
            assert inline_code(page) == []

    def test_admin_pages_have_no_inline_code(self, rf, client):
        """Django's admin works under the CSP: every registered model's list and add pages,
        and each role's change and delete pages."""
        staff = user_of(roles.ADMIN)
        log_in(client, staff)
        urls = [reverse("admin:index"), reverse("admin:password_change")]
        admin_request = rf.get("/admin/")
        admin_request.user = staff
        for model, model_admin in admin.site._registry.items():
            info = model._meta.app_label, model._meta.model_name
            urls.append(reverse("admin:{}_{}_changelist".format(*info)))
            if model_admin.has_add_permission(admin_request):
                urls.append(reverse("admin:{}_{}_add".format(*info)))
        for config in roles.registered():
            user = user_factory(config)()
            info = config.proxy._meta.app_label, config.proxy._meta.model_name
            urls += [
                reverse("admin:{}_{}_change".format(*info), args=[user.pk]),
                reverse("admin:{}_{}_delete".format(*info), args=[user.pk]),
                reverse("admin:accounts_user_change", args=[user.pk]),
            ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == HTTPStatus.OK, url
            assert inline_code(response) == [], url


class TestSessions:
    def test_session_key_changes_at_login(self, client, role_user, password):
        session = client.session
        session["visited"] = True
        session.save()
        before = client.cookies["sessionid"].value

        client.post("/accounts/login/", login_data(role_user.username, password))

        assert client.cookies["sessionid"].value != before
        assert not Session.objects.filter(session_key=before).exists()

    def test_logout_ends_the_session_on_the_server(self, client, role_config, role_user, password):
        client.post("/accounts/login/", login_data(role_user.username, password))
        key = client.cookies["sessionid"].value

        client.post("/accounts/logout/")

        assert not Session.objects.filter(session_key=key).exists()
        replay = Client()
        replay.cookies["sessionid"] = key
        assert replay.get(role_config.url("home")).status_code == HTTPStatus.FOUND

    def test_password_change_keeps_this_session_and_ends_the_others(
        self, role_config, role_user, password
    ):
        here, elsewhere = Client(), Client()
        for browser in (here, elsewhere):
            browser.post("/accounts/login/", login_data(role_user.username, password))

        response = here.post(
            "/accounts/password/change/",
            {
                "old_password": password,
                "new_password1": "brand-new-pass-phrase",
                "new_password2": "brand-new-pass-phrase",
            },
        )

        assert response.status_code == HTTPStatus.FOUND
        assert here.get(role_config.url("home")).status_code == HTTPStatus.OK
        assert elsewhere.get(role_config.url("home")).status_code == HTTPStatus.FOUND

    def test_deactivated_users_sessions_stop_working(self, client, role_config, role_user):
        log_in(client, role_user)
        assert client.get(role_config.url("home")).status_code == HTTPStatus.OK
        User.objects.filter(pk=role_user.pk).update(is_active=False)

        response = client.get(role_config.url("home"))

        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(role_config.login_url)


class TestRedirects:
    @pytest.mark.parametrize("next_url", HOSTILE_NEXTS)
    @pytest.mark.parametrize(("url", "who", "home"), LOGIN_PAGES)
    def test_login_ignores_offsite_next(self, client, password, url, who, home, next_url):
        user = user_of(who, password=password)
        response = client.post(f"{url}?next={next_url}", login_data(user.username, password))
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == home

    @pytest.mark.parametrize("next_url", HOSTILE_NEXTS)
    def test_login_page_does_not_carry_offsite_next(self, client, next_url):
        response = client.get(f"/accounts/login/?next={next_url}")
        assert response.context["next"] == ""

    @pytest.mark.parametrize("next_url", HOSTILE_NEXTS)
    def test_registration_ignores_offsite_next(
        self, signup_open, client, role_config, role_profile_data, next_url
    ):
        data = {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "a-long-enough-pass-phrase",
            "password2": "a-long-enough-pass-phrase",
            **role_profile_data,
        }
        response = client.post(f"{role_config.register_url}?next={next_url}", data)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == role_config.url("home")


class TestEnumeration:
    def test_login_error_is_the_same_for_unknown_users_and_wrong_passwords(self, client, role_user):
        unknown = client.post("/accounts/login/", login_data("nobody-by-this-name", WRONG))
        wrong = client.post("/accounts/login/", login_data(role_user.username, WRONG))
        assert unknown.status_code == wrong.status_code == HTTPStatus.OK
        assert unknown.context["form"].errors == wrong.context["form"].errors

    def test_login_takes_as_long_for_unknown_users_as_for_wrong_passwords(
        self, settings, client, role_config, password
    ):
        """Django hashes the password of an unknown user too; check it still does, with Argon2."""
        settings.PASSWORD_HASHERS = ["accounts.hashers.Argon2PasswordHasher"]
        user = user_factory(role_config)(password=password)
        assert user.password.startswith("argon2")
        timings = {"unknown": [], "wrong": []}
        for _ in range(15):
            for case, username in (("unknown", "nobody-by-this-name"), ("wrong", user.username)):
                start = time.perf_counter()
                client.post("/accounts/login/", login_data(username, WRONG))
                timings[case].append(time.perf_counter() - start)
        # The fastest of each: what the request costs itself, without the machine's other load
        # (a hash is ~30 ms, so a busy neighbour moves a median more than a missing hash would).
        ratio = min(timings["unknown"]) / min(timings["wrong"])
        assert 0.8 <= ratio <= 1.25

    def test_password_reset_looks_the_same_for_known_and_unknown_emails(self, client, role_user):
        known = client.post("/accounts/password/reset/", {"email": role_user.email})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
        assert known.status_code == unknown.status_code == HTTPStatus.FOUND
        assert known.url == unknown.url
        assert client.get(known.url).content == client.get(unknown.url).content
        assert [m.to for m in mail.outbox] == [[role_user.email]]


class TestFormAbuse:
    def test_registration_is_rate_limited_per_address(self, rate, client, role_config):
        rate("2/h")
        for _ in range(2):
            assert client.post(role_config.register_url, {}).status_code == HTTPStatus.OK

        response = client.post(role_config.register_url, {})

        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert b"Too many requests from your network" in response.content
        # Another address is not held back, and reading the form is never limited.
        assert (
            client.post(role_config.register_url, {}, REMOTE_ADDR="198.51.100.9").status_code
            == HTTPStatus.OK
        )
        assert client.get(role_config.register_url).status_code == HTTPStatus.OK

    def test_the_limit_counts_every_registration_page_together(self, rate, client):
        pages = [config.register_url for config in roles.registered()]
        # One post a page uses up the limit; a limit per page would let each take another.
        rate(f"{len(pages)}/h")
        for url in pages:
            assert client.post(url, {}).status_code == HTTPStatus.OK
        for url in pages:
            assert client.post(url, {}).status_code == HTTPStatus.TOO_MANY_REQUESTS

    def test_password_reset_is_rate_limited_per_address(self, rate, client):
        rate("2/h")
        for _ in range(2):
            assert (
                client.post("/accounts/password/reset/", {"email": "a@example.com"}).status_code
                == HTTPStatus.FOUND
            )
        response = client.post("/accounts/password/reset/", {"email": "a@example.com"})
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS

    def test_off_disables_the_limit(self, rate, client, role_config):
        rate("off")
        for _ in range(5):
            assert client.post(role_config.register_url, {}).status_code == HTTPStatus.OK

    def test_default_rate_is_sixty_an_hour(self, settings):
        # Test settings switch it off; base settings' default is what production gets.
        from school.settings import base

        assert base.REGISTRATION_RATE == "60/h"
        assert base.AXES_FAILURE_LIMIT == 5
        assert timedelta(minutes=15) == base.AXES_COOLOFF_TIME

    def test_posting_privileges_to_registration_changes_nothing(
        self, signup_open, client, role_config, role_profile_data
    ):
        # Every other value of User.role: each other installed role, and admin.
        others = [role for role, _ in roles.choices() if role != role_config.role]
        for other in others:
            response = Client().post(
                role_config.register_url,
                {
                    "username": f"sneaky-{other}",
                    "email": f"sneaky-{other}@example.com",
                    "password1": "a-long-enough-pass-phrase",
                    "password2": "a-long-enough-pass-phrase",
                    **role_profile_data,
                    "role": other,
                    "is_staff": "on",
                    "is_superuser": "on",
                    "is_active": "off",
                    "user_permissions": "1",
                    "groups": "1",
                },
            )
            assert response.status_code == HTTPStatus.FOUND, other
            user = User.objects.get(username=f"sneaky-{other}")
            assert user.role == role_config.role
            assert not user.is_staff
            assert not user.is_superuser
            assert user.is_active
            assert not user.user_permissions.exists()
            assert not user.groups.exists()


def admin_add_url(config: roles.RoleAppConfig) -> str:
    return reverse(f"admin:{config.proxy._meta.app_label}_{config.proxy._meta.model_name}_add")


# Every view that accepts a POST, and the role of who may post there (None: anyone).
POST_VIEWS = [
    (None, "/accounts/login/"),
    (None, "/accounts/password/reset/"),
    (None, "/admin/login/"),
    (roles.ADMIN, "/admin/logout/"),
    (roles.ADMIN, "/admin/password_change/"),
    *(
        view
        for config in roles.registered()
        for view in (
            (None, config.register_url),
            (None, config.login_url),
            (config.role, "/accounts/logout/"),
            (config.role, "/accounts/password/change/"),
            (roles.ADMIN, admin_add_url(config)),
        )
    ),
]


class TestCsrf:
    @pytest.mark.parametrize(("who", "url"), POST_VIEWS)
    def test_post_without_a_csrf_token_is_refused(self, who, url):
        browser = Client(enforce_csrf_checks=True)
        if who:
            log_in(browser, user_of(who))
        response = browser.post(url, {"username": "x", "password": "y"})
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert b"CSRF" in response.content

    def test_password_reset_confirm_refuses_a_post_without_token(self, client, role_user):
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        uid = urlsafe_base64_encode(force_bytes(role_user.pk))
        token = default_token_generator.make_token(role_user)
        browser = Client(enforce_csrf_checks=True)
        set_password_url = browser.get(f"/accounts/password/reset/{uid}/{token}/").url
        response = browser.post(
            set_password_url,
            {"new_password1": "x-pass-phrase-1", "new_password2": "x-pass-phrase-1"},
        )
        assert response.status_code == HTTPStatus.FORBIDDEN


def unmarked_view(request):
    return HttpResponse("private by default")


urlpatterns = [path("new-page/", unmarked_view), path("", include("school.urls"))]


class TestDefaultDeny:
    @pytest.mark.urls(__name__)
    def test_a_new_view_is_private_unless_marked(self, client, role_user):
        response = client.get("/new-page/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == "/accounts/login/?next=/new-page/"
        log_in(client, role_user)
        assert client.get("/new-page/").content == b"private by default"

    def test_role_checks_stay_on_top(self, client, role_config):
        log_in(client, user_of(other_role(role_config)))
        assert client.get(role_config.url("home")).status_code == HTTPStatus.FORBIDDEN

    def test_anonymous_home_goes_to_the_role_login(self, client, role_config):
        response = client.get(role_config.url("home"))
        assert response.url == f"{role_config.login_url}?next={role_config.url('home')}"


class TestHostileInputRegressions:
    """What the fuzzing found on PostgreSQL, pinned as plain tests."""

    def test_search_with_a_nul_byte_is_not_an_error(self, client, role_config):
        found = user_factory(role_config)(first_name="Adminah")  # someone the search finds
        log_in(client, user_of(directory_viewer_role(role_config)))
        response = client.get(directory_url(role_config), {"q": "ad\x00min"})
        assert response.status_code == HTTPStatus.OK
        assert response.context["query"] == "admin"
        assert list(response.context["object_list"]) == [found]

    @pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
    def test_an_overlong_username_is_counted_not_crashed_on(self, axes_on, client, url):
        response = client.post(url, login_data("x" * 5000, WRONG))
        assert response.status_code == HTTPStatus.OK
        assert AccessAttempt.objects.get().username == "x" * 255
