from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role, User
from accounts.tests.factories import AdminFactory, StudentFactory, TeacherFactory
from students.models import Student
from teachers.models import Teacher

pytestmark = pytest.mark.django_db

STUDENT_HOME = "/students/home/"
TEACHER_HOME = "/teachers/home/"
OFFSITE_NEXTS = [
    "https://evil.example/",
    "//evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    "https:evil.example",
]


def logged_in_user(client):
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


class TestLanding:
    def test_visitor_sees_the_way_in(self, client):
        response = client.get("/")
        assert response.status_code == HTTPStatus.OK
        assert b'href="/students/register/"' in response.content
        assert b'href="/teachers/register/"' in response.content
        assert b'href="/accounts/login/"' in response.content

    @pytest.mark.parametrize(
        ("fixture", "home"),
        [
            ("student_client", STUDENT_HOME),
            ("teacher_client", TEACHER_HOME),
            ("staff_client", "/admin/"),
        ],
    )
    def test_users_are_sent_to_their_home(self, request, fixture, home):
        response = request.getfixturevalue(fixture).get("/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == home

    def test_admin_without_staff_rights_stays_on_the_landing_page(self, client):
        client.force_login(AdminFactory())
        assert client.get("/").status_code == HTTPStatus.OK


class TestRegister:
    def student_data(self, **extra):
        return {
            "username": "newkid",
            "email": "newkid@example.com",
            "first_name": "New",
            "last_name": "Kid",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "grade": "6",
            **extra,
        }

    @pytest.mark.parametrize(
        ("url", "field"), [("/students/register/", "grade"), ("/teachers/register/", "subject")]
    )
    def test_form_has_the_contract_fields(self, client, url, field):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        for name in [
            "username",
            "email",
            "password1",
            "password2",
            "first_name",
            "last_name",
            field,
        ]:
            assert f'name="{name}"'.encode() in response.content
        assert b"csrfmiddlewaretoken" in response.content

    def test_student_registers_and_lands_home_logged_in(self, client):
        response = client.post("/students/register/", self.student_data())

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == STUDENT_HOME
        student = Student.objects.get(username="newkid")
        assert student.student_profile.grade == 6
        assert logged_in_user(client) == student
        assert b"Grade 6" in client.get(STUDENT_HOME).content

    def test_teacher_registers_and_lands_home_logged_in(self, client):
        data = self.student_data(subject="Chemistry")
        del data["grade"]
        response = client.post("/teachers/register/", data)

        assert response.url == TEACHER_HOME
        teacher = Teacher.objects.get(username="newkid")
        assert teacher.teacher_profile.subject == "Chemistry"
        assert logged_in_user(client) == teacher

    def test_invalid_form_is_shown_again_and_nothing_is_written(self, client):
        response = client.post(
            "/students/register/", self.student_data(grade="13", email="not-an-email")
        )
        assert response.status_code == HTTPStatus.OK
        assert set(response.context["form"].errors) == {"grade", "email"}
        assert not User.objects.exists()
        assert logged_in_user(client) is None

    def test_safe_next_is_followed(self, client):
        response = client.post(
            "/students/register/?next=/accounts/password/change/", self.student_data()
        )
        assert response.url == "/accounts/password/change/"

    @pytest.mark.parametrize("next_url", OFFSITE_NEXTS)
    def test_offsite_next_is_ignored(self, client, next_url):
        response = client.post("/students/register/", self.student_data(next=next_url))
        assert response.url == STUDENT_HOME

    def test_lost_race_for_the_username_becomes_a_form_error(self, client):
        taken = ValidationError({"username": "A user with that username already exists."})
        with mock.patch("accounts.forms.services.user_create", side_effect=taken):
            response = client.post("/students/register/", self.student_data())
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["username"] == [
            "A user with that username already exists."
        ]

    def test_logged_in_user_is_sent_home(self, student_client):
        response = student_client.get("/teachers/register/")
        assert response.url == STUDENT_HOME


class TestRoleLogin:
    def test_student_logs_in_on_the_student_page(self, client, student, password):
        response = client.post(
            "/students/login/", {"username": student.username, "password": password}
        )
        assert response.url == STUDENT_HOME
        assert logged_in_user(client) == student

    def test_username_letter_case_does_not_matter(self, client, student, password):
        response = client.post(
            "/students/login/", {"username": student.username.upper(), "password": password}
        )
        assert response.url == STUDENT_HOME
        assert logged_in_user(client) == student

    def test_other_roles_credentials_do_not_log_in_and_point_to_the_right_page(
        self, client, teacher, password
    ):
        response = client.post(
            "/students/login/", {"username": teacher.username, "password": password}
        )
        assert response.status_code == HTTPStatus.OK
        assert logged_in_user(client) is None
        assert b'href="/teachers/login/"' in response.content
        assert b"student login" in response.content

    def test_staff_credentials_point_to_the_main_login(self, client, staff, password):
        response = client.post(
            "/teachers/login/", {"username": staff.username, "password": password}
        )
        assert logged_in_user(client) is None
        assert b'href="/accounts/login/"' in response.content

    def test_wrong_password_gets_djangos_message(self, client, student):
        response = client.post(
            "/students/login/", {"username": student.username, "password": "nope"}
        )
        assert response.status_code == HTTPStatus.OK
        assert b"Please enter a correct username and password" in response.content
        assert logged_in_user(client) is None

    def test_without_remember_me_the_session_ends_with_the_browser(self, client, student, password):
        client.post("/students/login/", {"username": student.username, "password": password})
        assert client.session.get_expire_at_browser_close()

    def test_remember_me_keeps_the_session(self, client, student, password):
        client.post(
            "/students/login/",
            {"username": student.username, "password": password, "remember_me": "on"},
        )
        assert logged_in_user(client) == student
        assert not client.session.get_expire_at_browser_close()

    def test_safe_next_is_followed(self, client, teacher, password):
        response = client.post(
            "/teachers/login/?next=/teachers/home/%3Fq%3Dsmith",
            {"username": teacher.username, "password": password, "next": "/teachers/home/?q=smith"},
        )
        assert response.url == "/teachers/home/?q=smith"

    @pytest.mark.parametrize("login_url", ["/students/login/", "/accounts/login/"])
    @pytest.mark.parametrize("next_url", OFFSITE_NEXTS)
    def test_offsite_next_is_ignored(self, client, student, password, login_url, next_url):
        response = client.post(
            login_url, {"username": student.username, "password": password, "next": next_url}
        )
        assert response.url == STUDENT_HOME

    def test_login_page_shows_the_contract_fields(self, client):
        content = client.get("/teachers/login/").content
        for name in ["username", "password", "remember_me"]:
            assert f'name="{name}"'.encode() in content


class TestCommonLogin:
    @pytest.mark.parametrize(
        ("factory", "home"),
        [(StudentFactory, STUDENT_HOME), (TeacherFactory, TEACHER_HOME)],
    )
    def test_each_role_goes_to_its_home(self, client, password, factory, home):
        user = factory(password=password)
        response = client.post(
            "/accounts/login/", {"username": user.username, "password": password}
        )
        assert response.url == home

    def test_staff_goes_to_the_admin(self, client, staff, password):
        response = client.post(
            "/accounts/login/", {"username": staff.username, "password": password}
        )
        assert response.url == "/admin/"

    def test_inactive_user_cannot_log_in(self, client, password):
        user = StudentFactory(password=password, is_active=False)
        response = client.post(
            "/accounts/login/", {"username": user.username, "password": password}
        )
        assert response.status_code == HTTPStatus.OK
        assert logged_in_user(client) is None


class TestLogout:
    def test_get_is_refused(self, student_client, student):
        response = student_client.get("/accounts/logout/")
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert logged_in_user(student_client) == student

    def test_post_logs_out_and_goes_to_the_landing_page(self, student_client):
        response = student_client.post("/accounts/logout/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == "/"
        assert logged_in_user(student_client) is None


class TestHomeAccess:
    @pytest.mark.parametrize(
        ("url", "login"), [(STUDENT_HOME, "/students/login/"), (TEACHER_HOME, "/teachers/login/")]
    )
    def test_visitor_is_sent_to_the_role_login_with_next(self, client, url, login):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"{login}?next={url}"

    @pytest.mark.parametrize(
        ("fixture", "url", "own_home"),
        [
            ("student_client", TEACHER_HOME, STUDENT_HOME),
            ("teacher_client", STUDENT_HOME, TEACHER_HOME),
            ("staff_client", STUDENT_HOME, "/admin/"),
            ("staff_client", TEACHER_HOME, "/admin/"),
        ],
    )
    def test_other_roles_get_403_with_a_link_home(self, request, fixture, url, own_home):
        response = request.getfixturevalue(fixture).get(url)
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert f'href="{own_home}"'.encode() in response.content
        assert b"This page is not for your account" in response.content

    @pytest.mark.parametrize(
        ("fixture", "url"), [("student_client", STUDENT_HOME), ("teacher_client", TEACHER_HOME)]
    )
    def test_own_home_is_shown(self, request, fixture, url):
        assert request.getfixturevalue(fixture).get(url).status_code == HTTPStatus.OK


class TestStudentHome:
    def test_shows_the_students_own_details(self, client):
        me = StudentFactory(first_name="Ada", last_name="Lovelace", profile__grade=9)
        StudentFactory(first_name="Someone", last_name="Else")
        client.force_login(me)
        content = client.get(STUDENT_HOME).content.decode()
        assert "Hello, Ada Lovelace" in content
        assert "Grade 9" in content
        assert "Someone" not in content

    def test_lists_every_teacher_with_subject(self, student_client):
        TeacherFactory(first_name="Marie", last_name="Curie", profile__subject="Chemistry")
        TeacherFactory(first_name="Alan", last_name="Turing", profile__subject="Computing")
        response = student_client.get(STUDENT_HOME)
        content = response.content.decode()
        assert "Marie Curie" in content and "Chemistry" in content
        assert "Alan Turing" in content and "Computing" in content
        assert [t.last_name for t in response.context["object_list"]] == ["Curie", "Turing"]


class TestTeacherHome:
    def test_shows_the_teachers_own_details(self, client):
        me = TeacherFactory(first_name="Grace", last_name="Hopper", profile__subject="Computing")
        client.force_login(me)
        content = client.get(TEACHER_HOME).content.decode()
        assert "Hello, Grace Hopper" in content and "Computing" in content

    def test_lists_students_by_name_25_a_page(self, teacher_client):
        StudentFactory.create_batch(30)
        first = teacher_client.get(TEACHER_HOME)
        second = teacher_client.get(TEACHER_HOME, {"page": 2})

        def names(response):
            return [
                (s.last_name, s.first_name, s.username) for s in response.context["object_list"]
            ]

        assert len(names(first)) == 25 and len(names(second)) == 5
        assert names(first) + names(second) == sorted(
            (s.last_name, s.first_name, s.username) for s in Student.objects.all()
        )
        assert not set(names(first)) & set(names(second))

    def test_lists_only_students(self, teacher_client, teacher):
        StudentFactory()
        AdminFactory()
        listed = teacher_client.get(TEACHER_HOME).context["object_list"]
        assert [u.role for u in listed] == [Role.STUDENT]

    @pytest.mark.parametrize("term", ["ZELDA", "zhang", "z.unique@school", "zelda zhang"])
    def test_search_by_name_username_or_email(self, teacher_client, term):
        match = StudentFactory(
            first_name="Zelda", last_name="Zhang", username="zz", email="z.unique@school.test"
        )
        StudentFactory.create_batch(3, first_name="Other")
        response = teacher_client.get(TEACHER_HOME, {"q": term})
        assert list(response.context["object_list"]) == [match]

    def test_search_with_no_match_says_so(self, teacher_client):
        StudentFactory()
        response = teacher_client.get(TEACHER_HOME, {"q": "nobody-like-this"})
        assert b"No student matches your search." in response.content

    def test_page_links_keep_the_search(self, teacher_client):
        StudentFactory.create_batch(26, last_name="Smith")
        content = teacher_client.get(TEACHER_HOME, {"q": "smith"}).content.decode()
        assert "?q=smith&amp;page=2" in content

    def test_page_out_of_range_is_404(self, teacher_client):
        assert teacher_client.get(TEACHER_HOME, {"page": 99}).status_code == HTTPStatus.NOT_FOUND


class TestQueryCounts:
    """The number of queries per page must not grow with the number of users."""

    @pytest.mark.parametrize("size", [3, 60])
    def test_teacher_home(self, teacher_client, django_assert_max_num_queries, size):
        StudentFactory.create_batch(size)
        with django_assert_max_num_queries(6):
            response = teacher_client.get(TEACHER_HOME)
        assert len(response.context["object_list"]) == min(size, 25)

    @pytest.mark.parametrize("size", [3, 60])
    def test_student_home(self, student_client, django_assert_max_num_queries, size):
        TeacherFactory.create_batch(size)
        with django_assert_max_num_queries(6):
            student_client.get(STUDENT_HOME)


class TestPasswordFlows:
    def test_change_requires_login(self, client):
        response = client.get("/accounts/password/change/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith("/accounts/login/?next=")

    def test_change_password(self, client, student, password):
        client.force_login(student)
        response = client.post(
            "/accounts/password/change/",
            {
                "old_password": password,
                "new_password1": "brand-new-passphrase",
                "new_password2": "brand-new-passphrase",
            },
        )
        assert response.url == reverse("password_change_done")
        student.refresh_from_db()
        assert student.check_password("brand-new-passphrase")
        assert logged_in_user(client) == student

    def test_reset_sends_a_working_link(self, client, teacher):
        response = client.post("/accounts/password/reset/", {"email": teacher.email})
        assert response.url == reverse("password_reset_done")
        assert len(mail.outbox) == 1
        link = next(
            line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line
        )
        path = link[link.index("/accounts/") :].strip()
        form_url = client.get(path).url  # Django swaps the token for a session marker
        response = client.post(
            form_url,
            {"new_password1": "reset-passphrase-99", "new_password2": "reset-passphrase-99"},
        )
        assert response.url == reverse("password_reset_complete")
        teacher.refresh_from_db()
        assert teacher.check_password("reset-passphrase-99")

    def test_reset_for_unknown_email_looks_the_same(self, client):
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
        assert response.url == reverse("password_reset_done")
        assert mail.outbox == []


class TestNavigation:
    def test_visitors_see_register_and_login_links(self, client):
        content = client.get("/accounts/login/").content.decode()
        assert 'href="/students/register/"' in content and 'href="/teachers/register/"' in content
        assert 'action="/accounts/logout/"' not in content

    def test_users_see_their_home_and_a_logout_button(self, teacher_client):
        content = teacher_client.get("/accounts/password/change/").content.decode()
        assert f'href="{TEACHER_HOME}"' in content
        assert '<form method="post" action="/accounts/logout/"' in content
        assert 'href="/students/register/"' not in content

    def test_messages_are_shown_as_alerts(self, client):
        response = client.post(
            "/teachers/register/",
            {
                "username": "t1",
                "email": "t1@example.com",
                "subject": "Art",
                "password1": "a-long-enough-passphrase",
                "password2": "a-long-enough-passphrase",
            },
            follow=True,
        )
        assert b'class="alert alert-success' in response.content
        assert b"Your account is ready." in response.content


class TestErrorPages:
    def test_500_is_friendly(self, client):
        client.raise_request_exception = False
        with mock.patch("accounts.views.LandingView.get", side_effect=RuntimeError("bug")):
            response = client.get("/")
        assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
        assert b"Something went wrong on our side" in response.content

    def test_404_is_friendly(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert b"We could not find that page" in response.content
