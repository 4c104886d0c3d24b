"""Changes to accounts, profiles, classes and enrollments: who, when, field old → new."""

import getpass
import io
import os
from http import HTTPStatus

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from audit.context import operator as operator_context
from audit.services import audit_bulk
from classrooms.models import Classroom
from classrooms.tests.factories import ClassroomFactory
from students.models import Student
from teachers.models import TeacherProfile

from .helpers import entries, everything, operator

pytestmark = pytest.mark.django_db


class TestAccounts:
    def test_an_account_edited_through_any_model_is_in_one_history(self, student):
        as_user = User.objects.get(pk=student.pk)
        as_user.first_name = "Ada"
        as_user.save()
        as_student = Student.objects.get(pk=student.pk)
        as_student.last_name = "Lovelace"
        as_student.save()

        changes = [entry.changes_dict for entry in entries(student)][-2:]
        assert list(changes[0]) == ["first_name"] and changes[0]["first_name"][1] == "Ada"
        assert changes[1]["last_name"][1] == "Lovelace"

    def test_my_account_records_the_user_as_actor_with_old_and_new(self, teacher_client, teacher):
        old_subject = teacher.teacher_profile.subject

        response = teacher_client.post(
            reverse("profile"),
            {"first_name": "Grace", "last_name": "Hopper", "subject": "Computing"},
        )

        assert response.status_code == HTTPStatus.FOUND
        user_entry, profile_entry = entries(teacher)[-2:]
        assert user_entry.actor == teacher and profile_entry.actor == teacher
        assert user_entry.changes_dict["first_name"][1] == "Grace"
        assert profile_entry.content_type.model_class() is TeacherProfile
        assert profile_entry.changes_dict["subject"] == [old_subject, "Computing"]

    def test_a_password_change_is_recorded_without_the_hash(
        self, student_client, student, password
    ):
        old_hash = student.password

        response = student_client.post(
            reverse("password_change"),
            {
                "old_password": password,
                "new_password1": "a new and long passphrase 42",
                "new_password2": "a new and long passphrase 42",
            },
        )

        assert response.status_code == HTTPStatus.FOUND
        student.refresh_from_db()
        entry = entries(student)[-1]
        assert entry.additional_data["event"] == "password changed"
        assert entry.actor == student
        trail = everything()
        for secret in (old_hash, student.password, "a new and long passphrase 42"):
            assert secret.split("$")[-1] not in trail
        assert "pbkdf2" not in trail and "argon2" not in trail

    def test_logging_in_changes_no_history(self, client, student, password):
        before = LogEntry.objects.exclude(additional_data__event="login").count()
        client.post(
            reverse("students:login"),
            {"username": student.username, "password": password},
        )
        assert LogEntry.objects.exclude(additional_data__event="login").count() == before

    def test_an_operator_without_a_login_name_is_their_uid(self, monkeypatch):
        def no_name():
            raise KeyError("getpwuid(): uid not found")

        monkeypatch.setattr(getpass, "getuser", no_name)
        with operator_context("export_users"):
            entry = audit_bulk(model=User, operation="export", counts={})
        assert entry.actor_email == f"operator:{os.getuid()} (manage.py export_users)"

    def test_an_operator_command_records_the_os_user_and_command(self, monkeypatch):
        monkeypatch.setenv("SCHOOL_PASSWORD", "a long operator passphrase 7")
        call_command(
            "create_user",
            "--role=teacher",
            "--username=turing",
            "--email=turing@example.com",
            "--subject=Logic",
            "--no-input",
            stdout=io.StringIO(),
        )

        user = User.objects.get(username="turing")
        created = entries(user)
        assert {entry.action for entry in created} == {LogEntry.Action.CREATE}
        assert len(created) == 2  # the account and its profile
        assert {(entry.actor, entry.actor_email) for entry in created} == {
            (None, operator("create_user"))
        }
        assert "password" not in created[0].changes_dict
        assert make_password("a long operator passphrase 7")[-10:] not in everything()


class TestClasses:
    def test_a_teacher_renaming_a_class_is_the_actor(self, teacher_client, teacher):
        classroom = ClassroomFactory(teacher=teacher, name="Algebra", subject="Mathematics")

        teacher_client.post(
            reverse("classrooms:edit", kwargs={"pk": classroom.pk}),
            {"name": "Algebra II", "subject": "Mathematics"},
        )

        entry = entries(classroom)[-1]
        assert entry.actor == teacher
        assert entry.changes_dict == {"name": ["Algebra", "Algebra II"]}

    def test_a_join_code_changes_without_showing_either_code(self, teacher_client, teacher):
        classroom = ClassroomFactory(teacher=teacher)
        old_code = classroom.join_code

        teacher_client.post(reverse("classrooms:code", kwargs={"pk": classroom.pk}))

        classroom.refresh_from_db()
        entry = entries(classroom)[-1]
        assert entry.actor == teacher
        assert list(entry.changes_dict) == ["join_code"]
        trail = everything()
        assert old_code not in trail and classroom.join_code not in trail

    def test_joining_is_in_the_class_and_the_student_history(self, student_client, student):
        classroom = ClassroomFactory()

        student_client.post(reverse("classrooms:join"), {"code": classroom.join_code})

        assert Classroom.objects.get(pk=classroom.pk).students.get() == student
        (joined,) = [e for e in entries(classroom) if e.content_type.model == "enrollment"]
        assert joined.action == LogEntry.Action.CREATE and joined.actor == student
        assert joined in entries(student)
