from http import HTTPStatus

import pytest

from accounts.models import Role, User
from accounts.tests.factories import AdminFactory, StudentFactory, TeacherFactory
from students.models import Student, StudentProfile
from teachers.models import Teacher

pytestmark = pytest.mark.django_db

STUDENTS = "/admin/students/student/"
TEACHERS = "/admin/teachers/teacher/"
USERS = "/admin/accounts/user/"


class TestChangelists:
    def test_each_changelist_holds_only_its_role(self, staff_client, staff):
        students = StudentFactory.create_batch(2)
        teachers = TeacherFactory.create_batch(2)

        listed_students = staff_client.get(STUDENTS).context["cl"].result_list
        listed_teachers = staff_client.get(TEACHERS).context["cl"].result_list
        listed_users = staff_client.get(USERS).context["cl"].result_list

        assert set(listed_students) == set(students)
        assert set(listed_teachers) == set(teachers)
        assert set(listed_users) == {*students, *teachers, staff}

    def test_role_columns(self, staff_client):
        StudentFactory(profile__grade=11)
        TeacherFactory(profile__subject="Geography")
        assert (
            b'<td class="field-student_profile__grade">11</td>'
            in staff_client.get(STUDENTS).content
        )
        assert b"Geography" in staff_client.get(TEACHERS).content

    def test_profile_columns_are_headed_by_their_field_and_sort(self, staff_client):
        StudentFactory(username="older", profile__grade=10)
        StudentFactory(username="younger", profile__grade=2)
        response = staff_client.get(STUDENTS, {"o": "5"})  # the fifth column: grade
        assert b'<a href="?o=-5">Grade</a>' in response.content
        assert [s.username for s in response.context["cl"].result_list] == ["younger", "older"]

    def test_site_is_branded(self, staff_client):
        assert b"School administration" in staff_client.get("/admin/").content

    def test_search(self, staff_client):
        match = StudentFactory(last_name="Quixote")
        StudentFactory(last_name="Panza")
        result = staff_client.get(STUDENTS, {"q": "quixote"}).context["cl"].result_list
        assert list(result) == [match]

    def test_grade_filter(self, staff_client):
        match = StudentFactory(profile__grade=3)
        StudentFactory(profile__grade=4)
        result = staff_client.get(STUDENTS, {"student_profile__grade": 3}).context["cl"].result_list
        assert list(result) == [match]

    @pytest.mark.parametrize("size", [2, 40])
    def test_query_count_does_not_grow(self, staff_client, django_assert_max_num_queries, size):
        StudentFactory.create_batch(size)
        with django_assert_max_num_queries(8):
            response = staff_client.get(STUDENTS)
        assert len(response.context["cl"].result_list) == size

    @pytest.mark.parametrize("fixture", ["student_client", "teacher_client"])
    def test_students_and_teachers_are_kept_out(self, request, fixture):
        response = request.getfixturevalue(fixture).get(STUDENTS)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith("/admin/login/")


class TestAddForms:
    def test_add_student_creates_the_role_and_profile(self, staff_client):
        response = staff_client.post(
            f"{STUDENTS}add/",
            {
                "username": "added",
                "email": "added@example.com",
                "first_name": "Ad",
                "last_name": "Ded",
                "grade": "8",
                "password1": "an-admin-set-passphrase",
                "password2": "an-admin-set-passphrase",
            },
        )
        assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
        student = Student.objects.get(username="added")
        assert StudentProfile.objects.get(user=student).grade == 8
        assert student.check_password("an-admin-set-passphrase")

    def test_add_teacher_requires_a_subject(self, staff_client):
        response = staff_client.post(
            f"{TEACHERS}add/",
            {
                "username": "t",
                "email": "t@example.com",
                "password1": "an-admin-set-passphrase",
                "password2": "an-admin-set-passphrase",
            },
        )
        assert response.status_code == HTTPStatus.OK
        assert "subject" in response.context["adminform"].form.errors
        assert not Teacher.objects.exists()

    def test_add_form_refuses_a_username_taken_in_another_case(self, staff_client):
        TeacherFactory(username="Taken")
        response = staff_client.post(
            f"{STUDENTS}add/",
            {
                "username": "taken",
                "email": "x@example.com",
                "grade": "1",
                "password1": "an-admin-set-passphrase",
                "password2": "an-admin-set-passphrase",
            },
        )
        assert "username" in response.context["adminform"].form.errors
        assert User.objects.count() == 2  # the teacher and the staff user


class TestChangeForms:
    def test_change_page_shows_the_profile_inline_and_a_readonly_role(self, staff_client):
        student = StudentFactory(profile__grade=5)
        response = staff_client.get(f"{STUDENTS}{student.pk}/change/")
        assert response.status_code == HTTPStatus.OK
        assert b'name="student_profile-0-grade"' in response.content
        assert b'name="role"' not in response.content

    def test_editing_the_profile(self, staff_client):
        student = StudentFactory(profile__grade=5)
        response = staff_client.post(
            f"{STUDENTS}{student.pk}/change/",
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
                "role": "teacher",
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        student.refresh_from_db()
        assert student.student_profile.grade == 6
        assert student.role == Role.STUDENT  # the role cannot be changed

    def test_all_users_admin_shows_the_role(self, staff_client):
        StudentFactory(username="stu")
        AdminFactory()
        content = staff_client.get(USERS).content.decode()
        assert '<td class="field-role">Student</td>' in content
