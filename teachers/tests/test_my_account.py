"""My account for teachers: they keep their own subject up to date."""

import pytest

from .factories import TeacherFactory

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def test_a_teacher_changes_their_subject(client):
    teacher = TeacherFactory(profile__subject="Physics")
    client.force_login(teacher)

    client.post(PROFILE, {"first_name": "Marie", "last_name": "Curie", "subject": "Chemistry"})

    teacher.refresh_from_db()
    assert teacher.get_full_name() == "Marie Curie"
    assert teacher.teacher_profile.subject == "Chemistry"
    assert b"Chemistry" in client.get("/teachers/home/").content


def test_the_subject_is_required(client):
    teacher = TeacherFactory(profile__subject="Physics")
    client.force_login(teacher)

    response = client.post(PROFILE, {"first_name": "M", "last_name": "C", "subject": "  "})

    assert response.context["form"].errors["subject"]
    teacher.teacher_profile.refresh_from_db()
    assert teacher.teacher_profile.subject == "Physics"
