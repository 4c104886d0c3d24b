"""Bulk writes leave one entry per operation, with counts, whatever the number of rows."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from accounts import bulk, roles
from accounts.models import User
from accounts.tests.factories import profile_data
from classrooms.models import Classroom
from classrooms.tests.factories import ClassroomFactory
from students.models import Student
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

from .helpers import operator

pytestmark = pytest.mark.django_db

STUDENTS = reverse("admin:students_student_changelist")
CLASSES = reverse("admin:classrooms_classroom_changelist")


def only_entry() -> LogEntry:
    (entry,) = LogEntry.objects.all()
    return entry


def users_csv(config: roles.RoleAppConfig, count: int) -> str:
    rows = [",".join(bulk.columns(config.role))]
    for n in range(count):
        profile = ",".join(str(value) for value in profile_data(config).values())
        rows.append(f"user{n},user{n}@example.com,First,Last,{profile}")
    return "\n".join(rows) + "\n"


class TestImports:
    def test_a_user_import_command_is_one_entry_by_the_operator(self, tmp_path):
        config = roles.get("student")
        path = tmp_path / "students.csv"
        path.write_text(users_csv(config, 50), encoding="utf-8")

        call_command("import_users", "--role=student", str(path), stdout=io.StringIO())

        assert Student.objects.count() == 50
        entry = only_entry()
        assert entry.actor is None and entry.actor_email == operator("import_users")
        assert entry.content_type.model_class() is User
        assert entry.additional_data == {
            "event": "import (create)",
            "counts": {"created": 50, "updated": 0, "unchanged": 0},
        }

    def test_an_update_import_counts_what_changed(self, role_config):
        text = users_csv(role_config, 3)
        bulk.users_import(role=role_config.role, file=io.StringIO(text))
        LogEntry.objects.all().delete()

        changed = text.replace("user1,user1@example.com,First", "user1,user1@example.com,Ada")
        bulk.users_import(role=role_config.role, file=io.StringIO(changed), mode="upsert")

        assert only_entry().additional_data["counts"] == {
            "created": 0,
            "updated": 1,
            "unchanged": 2,
        }

    def test_a_dry_run_a_bad_file_and_no_change_leave_no_entry(self, role_config):
        text = users_csv(role_config, 2)
        bulk.users_import(role=role_config.role, file=io.StringIO(text), dry_run=True)
        with pytest.raises(bulk.BadFile):
            bulk.users_import(role=role_config.role, file=io.StringIO("username\nx\n"))
        assert not LogEntry.objects.exists()

        bulk.users_import(role=role_config.role, file=io.StringIO(text))
        bulk.users_import(role=role_config.role, file=io.StringIO(text), mode="upsert")

        assert only_entry().additional_data["counts"]["created"] == 2  # the first only

    def test_a_class_import_is_one_entry(self, tmp_path):
        teacher = TeacherFactory(username="curie")
        students = [StudentFactory(username=f"pupil{n}") for n in range(4)]
        LogEntry.objects.all().delete()
        path = tmp_path / "classes.csv"
        lines = ["class_name,subject,teacher_username,student_username"]
        lines += [f"Physics,Science,curie,{student.username}" for student in students]
        lines += ["Chemistry,Science,curie,pupil0"]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

        call_command("import_classes", str(path), stdout=io.StringIO())

        assert Classroom.objects.filter(teacher=teacher).count() == 2
        entry = only_entry()
        assert entry.actor_email == operator("import_classes")
        assert entry.additional_data["counts"] == {
            "classes created": 2,
            "subjects set": 0,
            "enrollments added": 5,
            "enrollments already": 0,
        }


class TestRollover:
    def test_the_command_is_one_entry_by_the_operator(self):
        StudentFactory.create_batch(3, profile__grade=5)
        StudentFactory(profile__grade=12)
        LogEntry.objects.all().delete()

        call_command("promote_students", "--school-year=2026-2027", stdout=io.StringIO())

        entry = only_entry()
        assert entry.actor_email == operator("promote_students")
        assert entry.additional_data["counts"] == {"moved up": 3, "left school": 1}
        assert entry.additional_data["school_year"] == "2026-2027"

    def test_the_admin_action_is_one_entry_by_the_staff_user(self, staff_client, staff):
        chosen = StudentFactory.create_batch(3, profile__grade=5)
        LogEntry.objects.all().delete()

        staff_client.post(
            STUDENTS, {"action": "move_up", "_selected_action": [s.pk for s in chosen]}
        )

        entry = only_entry()
        assert entry.actor == staff
        assert entry.additional_data["counts"] == {"moved up": 3, "left school": 0}


class TestAdminActions:
    @pytest.mark.parametrize(
        ("action", "active", "counts"),
        [
            ("activate", False, {"activated": 3}),
            ("deactivate", True, {"deactivated": 3}),
            ("approve", False, {"approved": 3}),
        ],
    )
    def test_an_account_action_is_one_entry(self, staff_client, staff, action, active, counts):
        chosen = StudentFactory.create_batch(3, is_active=active)
        LogEntry.objects.all().delete()

        staff_client.post(STUDENTS, {"action": action, "_selected_action": [s.pk for s in chosen]})

        entry = only_entry()
        assert (entry.actor, entry.additional_data["event"]) == (staff, action)
        assert entry.additional_data["counts"] == counts
        assert Student.objects.filter(is_active=not active).count() == 3

    @pytest.mark.parametrize(
        ("action", "counts"),
        [("join_codes_reset", {"classes": 4}), ("archive", {"archived": 4})],
    )
    def test_a_class_action_is_one_entry(self, staff_client, staff, action, counts):
        chosen = ClassroomFactory.create_batch(4)
        codes = {classroom.join_code for classroom in chosen}
        LogEntry.objects.all().delete()

        staff_client.post(CLASSES, {"action": action, "_selected_action": [c.pk for c in chosen]})

        entry = only_entry()
        assert entry.actor == staff
        assert entry.additional_data["counts"] == counts
        assert entry.content_type.model_class() is Classroom
        if action == "join_codes_reset":
            assert not Classroom.objects.filter(join_code__in=codes).exists()
        else:
            assert not Classroom.objects.filter(is_archived=False).exists()
