import time
from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import AdminFactory
from school.tests.test_access import ROUTES, SAMPLE_KWARGS, admin_urls, route_kwargs
from twofactor import policy
from twofactor.tests.factories import otp_verify, recovery_codes, totp_code, totp_device
from twofactor.views import PENDING_KEY
from usersessions.models import UserSession

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/"
LOGIN = "/accounts/login/"


def log_in_password(client, user, password, url=LOGIN, **extra):
    return client.post(url, {"username": user.username, "password": password, **extra})


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


def verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


class TestSetup:
    def test_shows_a_qr_code_and_the_uri(self, student_client):
        response = student_client.get(SETUP)

        device = TOTPDevice.objects.get(confirmed=False)
        assert b"<svg" in response.content
        assert device.config_url.encode() in response.content.replace(b"&amp;", b"&")
        assert b"otpauth://totp/" in response.content
        # The same secret on a reload: a half-scanned code stays good.
        student_client.get(SETUP)
        assert TOTPDevice.objects.count() == 1

    def test_a_wrong_code_is_refused(self, student_client, student):
        student_client.get(SETUP)

        response = student_client.post(SETUP, {"otp_token": "000000"})

        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["otp_token"]
        assert not policy.has_device(student)

    def test_the_right_code_turns_it_on_with_ten_recovery_codes(self, client, student):
        other = client.__class__()
        other.force_login(student)
        client.force_login(student)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=student)

        response = client.post(SETUP, {"otp_token": totp_code(device)})

        device.refresh_from_db()
        assert device.confirmed
        assert response.content.count(b"data-recovery-code") == 10
        assert StaticDevice.objects.get(user=student).token_set.count() == 10
        assert verified(client)
        # The other session passed no second factor: it is ended.
        assert not logged_in(other)
        assert UserSession.objects.filter(user=student).count() == 1

    def test_with_a_device_shows_status_and_removal(self, student_client, student):
        totp_device(student)

        response = student_client.get(SETUP)

        assert b"Turn off two-factor login" in response.content
        assert response.context["form"].fields["password"]


class TestDisable:
    def test_a_wrong_password_removes_nothing(self, student_client, student):
        totp_device(student)

        response = student_client.post(reverse("twofactor:disable"), {"password": "nope"})

        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["password"]
        assert policy.has_device(student)

    def test_the_password_removes_every_device(self, student_client, student, password):
        totp_device(student)
        recovery_codes(student, "aaaa1111")

        response = student_client.post(reverse("twofactor:disable"), {"password": password})

        assert response.status_code == HTTPStatus.FOUND
        assert not TOTPDevice.objects.filter(user=student).exists()
        assert not StaticDevice.objects.filter(user=student).exists()

    def test_staff_cannot_remove_it(self, staff_client, staff, password):
        response = staff_client.post(reverse("twofactor:disable"), {"password": password})

        assert response.url == SETUP
        assert policy.has_device(staff)


class TestSecondStep:
    @pytest.mark.parametrize("url", [LOGIN, "/students/login/"])
    def test_the_password_alone_does_not_log_in(self, client, student, password, url):
        totp_device(student)

        response = log_in_password(client, student, password, url)

        assert response.status_code == HTTPStatus.OK
        assert "otp_token" in response.context["form"].fields
        assert not logged_in(client)
        assert client.session[PENDING_KEY]["user_id"] == student.pk

    def test_a_code_from_the_secret_logs_in_and_keeps_next(self, client, student, password):
        device = totp_device(student)
        log_in_password(client, student, password, f"{LOGIN}?next=/accounts/profile/")

        response = client.post(LOGIN, {"otp_token": totp_code(device)})

        assert response.url == "/accounts/profile/"
        assert logged_in(client) and verified(client)
        assert PENDING_KEY not in client.session

    def test_a_hostile_next_is_dropped(self, client, student, password):
        device = totp_device(student)
        log_in_password(client, student, password, f"{LOGIN}?next=https://evil.example/")

        response = client.post(LOGIN, {"otp_token": totp_code(device)})

        assert response.url == reverse("students:home")

    def test_a_recovery_code_works_once(self, client, student, password):
        totp_device(student)
        recovery_codes(student, "abcd2345")
        log_in_password(client, student, password)
        assert client.post(LOGIN, {"otp_token": "ABCD 2345"}).status_code == HTTPStatus.FOUND
        client.post(reverse("logout"))

        log_in_password(client, student, password)
        response = client.post(LOGIN, {"otp_token": "abcd2345"})

        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["otp_token"]
        assert not logged_in(client)

    def test_the_step_expires_after_five_minutes(self, client, student, password):
        device = totp_device(student)
        log_in_password(client, student, password)
        session = client.session
        session[PENDING_KEY] = {**session[PENDING_KEY], "at": time.time() - 5 * 60 - 1}
        session.save()

        response = client.post(LOGIN, {"otp_token": totp_code(device)})

        assert response.status_code == HTTPStatus.FOUND
        assert not logged_in(client)
        assert client.get(reverse("twofactor:verify")).url.startswith(LOGIN)

    def test_a_half_logged_in_session_reaches_no_page(self, client, staff, password):
        log_in_password(client, staff, password)
        urls = [
            reverse(name, kwargs=route_kwargs(route, SAMPLE_KWARGS))
            for name, route in ROUTES.items()
        ]

        for url in [*urls, *admin_urls()]:
            response = client.get(url)
            assert not response.wsgi_request.user.is_authenticated, url
            assert not logged_in(client), url
        assert PENDING_KEY in client.session

    def test_the_admin_login_asks_for_a_code(self, client, staff, password):
        device = staff.totpdevice_set.get()
        response = log_in_password(client, staff, password, "/admin/login/?next=/admin/")
        assert "otp_token" in response.context["form"].fields

        response = client.post("/admin/login/?next=/admin/", {"otp_token": totp_code(device)})

        assert response.url == "/admin/"
        assert client.get("/admin/").status_code == HTTPStatus.OK

    def test_wrong_codes_lock_out_like_wrong_passwords(self, settings, client, student, password):
        settings.AXES_ENABLED = True
        device = totp_device(student)
        log_in_password(client, student, password)
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert client.post(LOGIN, {"otp_token": "000000"}).status_code == HTTPStatus.OK
        response = client.post(LOGIN, {"otp_token": "000000"})
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS

        response = client.post(LOGIN, {"otp_token": totp_code(device)})

        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert not logged_in(client)
        assert log_in_password(client, student, password).status_code == 429


class TestPolicy:
    def test_staff_without_two_factor_reach_no_admin_page(self, client):
        staff = AdminFactory(is_staff=True, is_superuser=True)
        client.force_login(staff)

        for url in admin_urls():
            response = client.get(url)
            assert response.status_code == HTTPStatus.FOUND, url
            assert response.url.startswith(f"{SETUP}?next="), url

    def test_staff_with_an_unverified_session_are_asked_for_a_code(self, client, staff):
        device = staff.totpdevice_set.get()
        client.force_login(staff)

        response = client.get("/admin/")
        assert response.url == f"{reverse('twofactor:verify')}?next=/admin/"
        response = client.post(response.url, {"otp_token": totp_code(device)})

        assert response.url == "/admin/"
        assert client.get("/admin/").status_code == HTTPStatus.OK

    def test_required_teachers_set_it_up_before_anything(self, settings, teacher_client):
        settings.TEACHER_2FA = "required"

        response = teacher_client.get(reverse("teachers:home"))

        assert response.url == f"{SETUP}?next={reverse('teachers:home')}"
        assert teacher_client.get(SETUP).status_code == HTTPStatus.OK
        assert teacher_client.post(reverse("logout")).status_code == HTTPStatus.FOUND

    def test_optional_teachers_need_not(self, settings, teacher_client):
        settings.TEACHER_2FA = "optional"

        assert teacher_client.get(reverse("teachers:home")).status_code == HTTPStatus.OK

    def test_off_says_it_is_not_available(self, settings, teacher_client):
        settings.TEACHER_2FA = "off"

        response = teacher_client.get(SETUP)

        assert b"not available" in response.content
        assert not TOTPDevice.objects.exists()

    def test_a_wrong_setting_is_refused(self, settings, teacher):
        settings.TEACHER_2FA = "sometimes"

        with pytest.raises(ImproperlyConfigured, match="TEACHER_2FA"):
            policy.role_policy(teacher)


class TestReset:
    def test_removes_devices_and_ends_sessions(self, client, staff):
        otp_verify(client, staff)
        recovery_codes(staff, "aaaa1111")

        call_command("reset_2fa", staff.username.upper())

        assert not policy.has_device(staff)
        assert not StaticDevice.objects.filter(user=staff).exists()
        assert not logged_in(client)

    def test_an_unknown_user_is_bad_input(self):
        with pytest.raises(CommandError) as error:
            call_command("reset_2fa", "nobody")
        assert error.value.returncode == 1


class TestVerifyPage:
    def test_a_wrong_code_is_refused(self, client, staff):
        client.force_login(staff)
        url = f"{reverse('twofactor:verify')}?next=/admin/"

        response = client.post(url, {"otp_token": "000000"})

        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["otp_token"]
        assert not verified(client)
        assert client.get("/admin/").status_code == HTTPStatus.FOUND

    def test_a_verified_session_goes_on(self, staff_client):
        assert staff_client.get(reverse("twofactor:verify")).url == reverse("admin:index")
        assert staff_client.get("/admin/login/").url == reverse("admin:index")

    def test_a_session_without_a_device_goes_home(self, student_client):
        assert student_client.get(reverse("twofactor:verify")).url == reverse("students:home")


class TestResetWithoutDevices:
    def test_says_there_was_none(self, student, capsys):
        call_command("reset_2fa", student.username)

        assert "had no two-factor login" in capsys.readouterr().out
