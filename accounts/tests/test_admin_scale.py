import csv
import io
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import bulk
from accounts.models import Role
from accounts.tests.factories import AdminFactory, StudentFactory, TeacherFactory
from students.models import Student, StudentProfile
from teachers.models import Teacher, TeacherProfile

pytestmark = pytest.mark.django_db

CHANGELISTS = {
    Role.STUDENT: ("admin:students_student_changelist", StudentFactory),
    Role.TEACHER: ("admin:teachers_teacher_changelist", TeacherFactory),
}


def changelist_url(role: Role) -> str:
    return reverse(CHANGELISTS[role][0])


def import_students(count: int) -> None:
    rows = "".join(
        f"pupil{n},pupil{n}@example.com,Zoë,Pupil {n},{n % 12 + 1}\n" for n in range(count)
    )
    bulk.users_import(
        role=Role.STUDENT, file=io.StringIO("username,email,first_name,last_name,grade\n" + rows)
    )


def act(client, role: Role, action: str, users) -> object:
    return client.post(
        changelist_url(role), {"action": action, "_selected_action": [user.pk for user in users]}
    )


class TestChangelist:
    @pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER])
    def test_query_count_does_not_grow_with_the_table(self, staff_client, role):
        url, factory = CHANGELISTS[role]
        factory.create_batch(2)
        staff_client.get(reverse(url))  # warm the session and content type caches
        with CaptureQueriesContext(connection) as small:
            assert staff_client.get(reverse(url)).status_code == HTTPStatus.OK

        factory.create_batch(130)  # more than one page (100 a page)
        with CaptureQueriesContext(connection) as large:
            response = staff_client.get(reverse(url))

        assert response.status_code == HTTPStatus.OK
        assert len(response.context["cl"].result_list) == 100
        assert len(large) == len(small)

    def test_page_of_a_large_school_in_a_few_queries(
        self, staff_client, django_assert_max_num_queries
    ):
        import_students(250)

        with django_assert_max_num_queries(8):
            response = staff_client.get(changelist_url(Role.STUDENT))

        assert response.context["cl"].show_full_result_count is False
        assert b"Grade 1" in response.content and b"pupil0" in response.content

    def test_filter_by_grade_active_and_search(self, staff_client):
        StudentFactory(username="ninth", profile__grade=9)
        StudentFactory(username="third", profile__grade=3, first_name="Zelda")
        StudentFactory(username="gone", profile__grade=9, is_active=False)
        url = changelist_url(Role.STUDENT)

        def names(**params):
            return {u.username for u in staff_client.get(url, params).context["cl"].result_list}

        assert names(student_profile__grade__exact=9) == {"ninth", "gone"}
        assert names(student_profile__grade__exact=9, is_active__exact=1) == {"ninth"}
        assert names(q="zelda") == {"third"}

    def test_filter_teachers_by_subject(self, staff_client):
        TeacherFactory(username="maths", profile__subject="Mathematics")
        TeacherFactory(username="art", profile__subject="Art")

        response = staff_client.get(
            changelist_url(Role.TEACHER), {"teacher_profile__subject": "Art"}
        )

        assert [u.username for u in response.context["cl"].result_list] == ["art"]

    def test_only_the_role_is_listed(self, staff_client, student, teacher):
        response = staff_client.get(changelist_url(Role.STUDENT))

        assert list(response.context["cl"].result_list) == [student]


class TestActions:
    @pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER])
    def test_delete_is_not_offered(self, staff_client, role):
        response = staff_client.get(changelist_url(role))

        choices = [
            name for name, _label in response.context["action_form"].fields["action"].choices
        ]
        assert "delete_selected" not in choices
        assert {"activate", "deactivate", "export_csv", "send_password_reset", "approve"} <= set(
            choices
        )

    def test_deactivate_then_activate(self, staff_client):
        chosen, other = StudentFactory.create_batch(2)

        act(staff_client, Role.STUDENT, "deactivate", [chosen])
        chosen.refresh_from_db(), other.refresh_from_db()
        assert (chosen.is_active, other.is_active) == (False, True)

        act(staff_client, Role.STUDENT, "activate", [chosen])
        chosen.refresh_from_db()
        assert chosen.is_active

    def test_export_selection_in_the_import_format(self, staff_client):
        chosen = StudentFactory(
            username="zoe",
            email="zoe@example.com",
            first_name="Zoë",
            last_name="N",
            profile__grade=5,
        )
        StudentFactory()

        response = act(staff_client, Role.STUDENT, "export_csv", [chosen])

        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows == [
            list(bulk.columns(Role.STUDENT)),
            ["zoe", "zoe@example.com", "Zoë", "N", "5"],
        ]

    def test_send_password_reset_reaches_imported_accounts(self, staff_client):
        import_students(2)
        inactive = StudentFactory(is_active=False)

        act(
            staff_client,
            Role.STUDENT,
            "send_password_reset",
            [*Student.objects.filter(username__startswith="pupil"), inactive],
        )

        assert sorted(m.to[0] for m in mail.outbox) == ["pupil0@example.com", "pupil1@example.com"]
        assert "/accounts/password/reset/" in mail.outbox[0].body

    def test_a_reset_link_sets_the_first_password_of_an_imported_account(self, client):
        import_students(1)

        client.post(reverse("password_reset"), {"email": "pupil0@example.com"})

        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pupil0@example.com"]

    def test_approve_activates_and_emails_only_pending_accounts(self, staff_client):
        pending = TeacherFactory(is_active=False, email="pending@example.com")
        active = TeacherFactory()

        act(staff_client, Role.TEACHER, "approve", [pending, active])

        pending.refresh_from_db()
        assert pending.is_active
        assert [m.to for m in mail.outbox] == [["pending@example.com"]]
        assert "http://testserver/teachers/login/" in mail.outbox[0].body

    def test_actions_need_the_change_permission(self, client, student):
        viewer = AdminFactory(is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_student"))
        client.force_login(viewer)

        response = client.get(changelist_url(Role.STUDENT))

        choices = [
            name for name, _label in response.context["action_form"].fields["action"].choices
        ]
        assert "export_csv" in choices and "deactivate" not in choices


class TestRoleInvariant:
    def test_a_teacher_cannot_get_a_student_profile(self, teacher):
        TeacherProfile.objects.filter(user=teacher).delete()
        profile = StudentProfile(user=teacher, grade=3)

        with pytest.raises(ValidationError, match="only a student has a"):
            profile.full_clean()
        with pytest.raises(ValidationError):
            profile.save()
        assert not StudentProfile.objects.exists()

    def test_the_student_admin_does_not_open_a_teacher(self, staff_client, teacher):
        response = staff_client.get(reverse("admin:students_student_change", args=[teacher.pk]))

        assert response.status_code == HTTPStatus.FOUND  # "doesn't exist", back to the index

    def test_role_is_read_only_in_the_all_users_admin(self, staff_client, student):
        url = reverse("admin:accounts_user_change", args=[student.pk])
        response = staff_client.get(url)
        assert b'name="role"' not in response.content
        assert b"Student" in response.content

        staff_client.post(
            url,
            {
                "username": student.username,
                "role": Role.TEACHER,
                "email": student.email,
                "date_joined_0": "2024-01-01",
                "date_joined_1": "00:00:00",
                "is_active": "on",
            },
        )

        student.refresh_from_db()
        assert student.is_student

    def test_the_profile_inline_keeps_the_role(self, staff_client, student):
        url = reverse("admin:students_student_change", args=[student.pk])
        prefix = "student_profile"

        response = staff_client.post(
            url,
            {
                "username": student.username,
                "email": student.email,
                "first_name": "",
                "last_name": "",
                "is_active": "on",
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "1",
                f"{prefix}-MIN_NUM_FORMS": "1",
                f"{prefix}-MAX_NUM_FORMS": "1",
                f"{prefix}-0-user": str(student.pk),
                f"{prefix}-0-grade": "11",
            },
        )

        assert response.status_code == HTTPStatus.FOUND, (
            response.context and response.context["errors"]
        )
        student.refresh_from_db()
        assert student.student_profile.grade == 11 and student.is_student
        assert not Teacher.objects.filter(pk=student.pk).exists()
