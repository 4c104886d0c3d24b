from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from classrooms.tests.factories import EnrollmentFactory
from students.apps import StudentsConfig
from students.models import SchoolYearRollover, Student
from students.services import students_promote
from students.tests.factories import StudentFactory
from teachers.apps import TeachersConfig
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db

STUDENTS = "/admin/students/student/"
ROLLOVERS = "/admin/students/schoolyearrollover/"


def test_grade_column(staff_client):
    StudentFactory(profile__grade=11)

    content = staff_client.get(STUDENTS).content

    assert b'<td class="field-student_profile__grade">11</td>' in content


def test_grade_column_is_headed_grade_and_sorts(staff_client):
    StudentFactory(username="older", profile__grade=10)
    StudentFactory(username="younger", profile__grade=2)

    response = staff_client.get(STUDENTS, {"o": "5"})  # the fifth column: grade

    assert [s.username for s in response.context["cl"].result_list] == ["younger", "older"]
    assert b'<a href="?o=-5">Student profile  grade</a>' in response.content


def test_grade_filter(staff_client):
    match = StudentFactory(profile__grade=3)
    StudentFactory(profile__grade=4)

    result = staff_client.get(STUDENTS, {"student_profile__grade": 3}).context["cl"].result_list

    assert list(result) == [match]


def test_editing_the_grade(staff_client):
    student = StudentFactory(profile__grade=5)

    response = staff_client.post(
        reverse("admin:students_student_change", args=[student.pk]),
        {
            "username": student.username,
            "email": student.email,
            "first_name": student.first_name,
            "last_name": student.last_name,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "student_profile-TOTAL_FORMS": "1",
            "student_profile-INITIAL_FORMS": "1",
            "student_profile-MIN_NUM_FORMS": "1",
            "student_profile-MAX_NUM_FORMS": "1",
            "student_profile-0-user": str(student.pk),
            "student_profile-0-grade": "6",
            "role": TeachersConfig.role,
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    student.refresh_from_db()
    assert student.student_profile.grade == 6
    assert student.has_role(StudentsConfig.role)  # the role cannot be changed


# The school year: the "Move up one grade" action and the list of past rollovers.


def move_up(client, students):
    return client.post(
        STUDENTS,
        {"action": "move_up", "_selected_action": [student.pk for student in students]},
        follow=True,
    )


def test_move_up_the_selection(staff_client, staff):
    chosen = StudentFactory(profile__grade=4)
    leaver = StudentFactory(profile__grade=12)
    enrollment = EnrollmentFactory(student=leaver)
    inactive = StudentFactory(profile__grade=6, is_active=False)
    other = StudentFactory(profile__grade=4)

    response = move_up(staff_client, [chosen, leaver, inactive])

    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Moved up: 1 student; left school (grade 12, deactivated): 1."]
    for student in (chosen, leaver, inactive, other):
        student.refresh_from_db()
    assert (chosen.student_profile.grade, chosen.is_active) == (5, True)
    assert (leaver.student_profile.grade, leaver.is_active) == (12, False)
    assert list(leaver.enrollments.all()) == [enrollment]
    assert (inactive.student_profile.grade, inactive.is_active) == (6, False)
    assert (other.student_profile.grade, other.is_active) == (4, True)
    rollover = SchoolYearRollover.objects.get()
    assert (rollover.school_year, rollover.ran_by_user, rollover.moved_up) == ("", staff, 1)


def test_move_up_needs_the_change_permission(client):
    viewer = AdminFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_student"))
    log_in(client, viewer)
    student = StudentFactory(profile__grade=4)

    choices = client.get(STUDENTS).context["action_form"].fields["action"].choices
    move_up(client, [student])

    assert "move_up" not in {name for name, _label in choices}
    student.refresh_from_db()
    assert student.student_profile.grade == 4


def test_past_rollovers_are_listed_newest_first(staff_client, staff):
    StudentFactory(profile__grade=12)
    students_promote(school_year="2026-2027", ran_by="night-ops")
    students_promote(school_year="2027-2028", ran_by=staff)
    move_up(staff_client, [StudentFactory(profile__grade=1)])

    response = staff_client.get(ROLLOVERS)

    assert response.status_code == HTTPStatus.OK
    rows = response.context["cl"].result_list
    assert [(r.school_year, r.ran_by) for r in rows] == [
        ("", staff.username),
        ("2027-2028", staff.username),
        ("2026-2027", "night-ops"),
    ]
    assert b"(selected students, from the admin)" in response.content
    assert b'<td class="field-left_school">1</td>' in response.content


def test_past_rollovers_are_read_only(staff_client):
    rollover = students_promote(school_year="2026-2027", ran_by="night-ops").rollover
    change = reverse("admin:students_schoolyearrollover_change", args=[rollover.pk])
    delete = reverse("admin:students_schoolyearrollover_delete", args=[rollover.pk])

    changelist = staff_client.get(ROLLOVERS)
    detail = staff_client.get(change)
    posted = staff_client.post(change, {"school_year": "2030-2031", "moved_up": "0"})

    assert changelist.context["has_add_permission"] is False
    assert f"{ROLLOVERS}add/".encode() not in changelist.content
    assert "delete_selected" not in changelist.context["cl"].model_admin.get_actions(
        changelist.wsgi_request
    )
    assert detail.status_code == HTTPStatus.OK and b'name="school_year"' not in detail.content
    assert posted.status_code == HTTPStatus.FORBIDDEN
    assert staff_client.get(reverse("admin:students_schoolyearrollover_add")).status_code == (
        HTTPStatus.FORBIDDEN
    )
    assert staff_client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    rollover.refresh_from_db()
    assert rollover.school_year == "2026-2027"


def test_staff_add_a_student_without_email(staff_client):
    response = staff_client.post(
        reverse("admin:students_student_add"),
        {
            "username": "kid",
            "email": "",
            "grade": "2",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "must_change_password": "on",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    kid = Student.objects.get(username="kid")
    assert kid.email == "" and kid.must_change_password
