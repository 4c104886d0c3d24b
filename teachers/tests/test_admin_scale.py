import pytest
from django.core import mail

from teachers.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

TEACHERS = "/admin/teachers/teacher/"


def test_filter_teachers_by_subject(staff_client):
    TeacherFactory(username="maths", profile__subject="Mathematics")
    TeacherFactory(username="art", profile__subject="Art")

    response = staff_client.get(TEACHERS, {"teacher_profile__subject": "Art"})

    assert [u.username for u in response.context["cl"].result_list] == ["art"]


def test_approve_emails_the_teacher_login(staff_client):
    pending = TeacherFactory(is_active=False, email="pending@example.com")
    active = TeacherFactory()

    staff_client.post(TEACHERS, {"action": "approve", "_selected_action": [pending.pk, active.pk]})

    pending.refresh_from_db()
    assert pending.is_active
    assert [m.to for m in mail.outbox] == [["pending@example.com"]]
    assert "http://testserver/teachers/login/" in mail.outbox[0].body
