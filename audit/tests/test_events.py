"""Events as entries: logins, failed logins, teacher actions and two-factor changes."""

from http import HTTPStatus

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory

from .helpers import entries, events, everything

pytestmark = pytest.mark.django_db


class TestLogins:
    def test_a_login_is_recorded_with_the_user_as_actor(self, client, student, password):
        client.post(reverse("students:login"), {"username": student.username, "password": password})

        entry = entries(student)[-1]
        assert entry.additional_data == {"event": "login"}
        assert entry.actor == student

    def test_a_failed_login_is_recorded_on_the_account_with_no_actor(self, client, student):
        response = client.post(
            reverse("students:login"), {"username": student.username.upper(), "password": "no"}
        )

        assert response.status_code == HTTPStatus.OK
        entry = entries(student)[-1]
        assert entry.additional_data == {"event": "login failed"}
        assert entry.actor is None

    def test_an_unknown_username_is_left_to_axes(self, client, db):
        client.post(reverse("students:login"), {"username": "nobody", "password": "no"})

        assert not LogEntry.objects.filter(additional_data__event="login failed").exists()


class TestTeacherActions:
    def test_creating_students_is_one_entry_by_the_teacher(self, teacher_client, teacher):
        classroom = ClassroomFactory(teacher=teacher)
        form = teacher_client.get(reverse("classrooms:students_new", kwargs={"pk": classroom.pk}))
        before = LogEntry.objects.count()

        teacher_client.post(
            reverse("classrooms:students_new", kwargs={"pk": classroom.pk}),
            {
                "names": "Ada Lovelace\nAlan Turing\nGrace Hopper",
                "grade": "3",
                "batch": form.context["form"].initial["batch"],
            },
        )

        assert User.objects.filter(enrollments__classroom=classroom).count() == 3
        (entry,) = LogEntry.objects.all()[: LogEntry.objects.count() - before]
        assert entry.actor == teacher
        assert entry.additional_data["event"] == "students created by teacher"
        assert entry.additional_data["counts"] == {"created": 3}
        assert entry.additional_data["classroom"] == classroom.pk
        assert sorted(entry.additional_data["usernames"]) == [
            "ada.lovelace",
            "alan.turing",
            "grace.hopper",
        ]

    def test_a_password_reset_by_the_teacher_is_one_entry(self, teacher_client, teacher):
        classroom = ClassroomFactory(teacher=teacher)
        student = EnrollmentFactory(classroom=classroom).student
        before = events(student)

        response = teacher_client.post(
            reverse(
                "classrooms:student_password",
                kwargs={"pk": classroom.pk, "student_id": student.pk},
            )
        )

        assert response.status_code == HTTPStatus.OK
        assert events(student)[len(before) :] == ["password reset by teacher"]
        entry = entries(student)[-1]
        assert entry.actor == teacher
        assert entry.additional_data["classroom"] == classroom.pk
        student.refresh_from_db()
        assert student.password.split("$")[-1] not in everything()


class TestTwoFactor:
    def test_confirming_an_app_enables_two_factor_once(self, teacher):
        device = TOTPDevice.objects.create(user=teacher, name="phone", confirmed=False)
        assert "two-factor enabled" not in events(teacher)

        device.confirmed = True
        device.save()
        device.last_t = 12345  # a code checked: saved on every login
        device.save()
        TOTPDevice.objects.get(pk=device.pk).save()

        assert events(teacher).count("two-factor enabled") == 1
        entry = entries(teacher)[-1]
        assert entry.additional_data["device"] == "authenticator app"

    def test_recovery_codes_and_their_removal(self, teacher):
        codes = StaticDevice.objects.create(user=teacher, name="backup", confirmed=True)
        app = TOTPDevice.objects.create(user=teacher, name="phone", confirmed=True)

        TOTPDevice.objects.get(pk=app.pk).delete()
        codes.delete()

        assert events(teacher)[-4:] == [
            "two-factor enabled",
            "two-factor enabled",
            "two-factor removed",
            "two-factor removed",
        ]
        assert [e.additional_data["device"] for e in entries(teacher)[-4:]] == [
            "recovery codes",
            "authenticator app",
            "authenticator app",
            "recovery codes",
        ]

    def test_a_bulk_operation_leaves_no_device_entries(self, teacher):
        before = events(teacher)
        with disable_auditlog():
            TOTPDevice.objects.create(user=teacher, name="phone", confirmed=True).delete()
        assert events(teacher) == before

    def test_an_unconfirmed_device_leaves_no_entry(self, teacher):
        before = events(teacher)
        TOTPDevice.objects.create(user=teacher, name="phone", confirmed=False).delete()
        assert events(teacher) == before
