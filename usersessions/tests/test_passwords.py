"""A new password ends the account's other sessions; all of them when someone else set it."""

from http import HTTPStatus

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.forms import AdminPasswordChangeForm
from accounts.services import password_set_by_other
from usersessions.models import UserSession

from .conftest import IPHONE, session_key

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-whole-new-passphrase-42"


def signed_out(browser) -> bool:
    response = browser.get(reverse("usersessions:list"))
    return response.status_code == HTTPStatus.FOUND and "/login/" in response.url


def test_changing_my_password_ends_my_other_sessions_and_keeps_this_one(sign_in, student, password):
    here, other = sign_in(student), sign_in(student, user_agent=IPHONE)
    signed_in = UserSession.objects.get(session_key=session_key(here)).created_at

    response = here.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert signed_out(other)
    page = here.get(reverse("usersessions:list"))
    assert page.status_code == HTTPStatus.OK
    (kept,) = page.context["sessions"]
    assert kept.is_current and kept.created_at == signed_in
    assert UserSession.objects.get().session_key == session_key(here)


def test_a_reset_link_ends_every_session(sign_in, client, student):
    other = sign_in(student)
    student.refresh_from_db()  # the token hashes last_login, which signing in just set
    url = reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(student.pk)),
            default_token_generator.make_token(student),
        ],
    )
    form_url = client.get(url).url  # Django swaps the token for a session-held one

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == HTTPStatus.FOUND
    assert signed_out(other)
    assert not UserSession.objects.exists()


def test_a_password_set_by_someone_else_ends_every_session(sign_in, student):
    browsers = [sign_in(student), sign_in(student, user_agent=IPHONE)]

    password_set_by_other(user=student)

    assert all(signed_out(browser) for browser in browsers)
    assert not UserSession.objects.exists()


def test_a_teacher_resetting_a_students_password_signs_the_student_out(
    sign_in, student, teacher_client, teacher
):
    from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory

    classroom = ClassroomFactory(teacher=teacher)
    EnrollmentFactory(classroom=classroom, student=student)
    browser = sign_in(student)

    teacher_client.post(
        reverse(
            "classrooms:student_password", kwargs={"pk": classroom.pk, "student_id": student.pk}
        )
    )

    assert signed_out(browser)
    assert not UserSession.objects.filter(user=student).exists()


def test_staff_setting_a_password_in_the_admin_ends_every_session(sign_in, student):
    browser = sign_in(student)
    form = AdminPasswordChangeForm(
        student,
        {
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "must_change_password": "on",
        },
    )
    assert form.is_valid(), form.errors

    form.save()

    assert signed_out(browser)
    assert not UserSession.objects.exists()


def test_staff_setting_their_own_password_in_the_admin_stay_signed_in_here(sign_in, staff):
    here, other = sign_in(staff), sign_in(staff, user_agent=IPHONE)
    url = reverse("admin:accounts_user_change", args=[staff.pk]).removesuffix("change/")
    url += "password/"

    response = here.post(
        url, {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert signed_out(other)
    assert here.get(reverse("usersessions:list")).status_code == HTTPStatus.OK
