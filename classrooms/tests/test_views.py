from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import registration_data
from classrooms import services
from classrooms.models import Enrollment
from students.models import Student
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

from .factories import ClassroomFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

JOIN = "/classes/join/"
STUDENT_HOME = "/students/home/"
STUDENT_LOGIN = "/students/login/"
STUDENT_REGISTER = "/students/register/"
WRONG_CODE = "ZZZZ2222"


def join_link(code: str) -> str:
    return f"/classes/join/{code}/"


def class_page(classroom) -> str:
    return f"/classes/{classroom.pk}/"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def typed_sloppily(code: str) -> str:
    """`code` as a child might type it: small letters, a space and a dash."""
    return f" {code[:4].lower()} - {code[4:]} "


@pytest.fixture
def join_rate(settings):
    """Set JOIN_ATTEMPT_RATE (the test settings switch it off), with empty counters."""

    def set_rate(value: str = "10/h") -> None:
        settings.JOIN_ATTEMPT_RATE = value
        cache.clear()

    set_rate()
    yield set_rate
    cache.clear()


@pytest.fixture
def classroom(db):
    return ClassroomFactory(name="Algebra 7B", subject="Mathematics")


class TestJoin:
    def test_visitor_is_sent_to_the_student_login(self, client):
        response = client.get(JOIN)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"{STUDENT_LOGIN}?next={quote(JOIN)}"

    @pytest.mark.parametrize("who", ["teacher_client", "staff_client"])
    def test_other_roles_are_refused(self, request, who, classroom):
        browser = request.getfixturevalue(who)
        assert browser.get(JOIN).status_code == HTTPStatus.FORBIDDEN
        response = browser.post(JOIN, {"code": classroom.join_code})
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not Enrollment.objects.exists()

    def test_form_has_the_code_field(self, student_client):
        response = student_client.get(JOIN)
        assert response.status_code == HTTPStatus.OK
        assert 'name="code"' in response.content.decode()

    def test_right_code_joins_and_goes_to_the_class_page(self, student_client, student, classroom):
        response = student_client.post(JOIN, {"code": classroom.join_code})

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == class_page(classroom)
        assert list(classroom.students.all()) == [student]
        assert messages_of(response) == ["You joined Algebra 7B."]

    def test_code_is_typed_in_any_case_with_spaces_and_dashes(
        self, student_client, student, classroom
    ):
        response = student_client.post(JOIN, {"code": typed_sloppily(classroom.join_code)})
        assert response.url == class_page(classroom)
        assert classroom.students.filter(pk=student.pk).exists()

    def test_joining_twice_is_a_friendly_no_op(self, student_client, student, classroom):
        student_client.post(JOIN, {"code": classroom.join_code})
        response = student_client.post(JOIN, {"code": classroom.join_code})

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == class_page(classroom)
        # The first join's message is still waiting: the class page was never shown.
        assert messages_of(response)[-1] == "You are already in Algebra 7B."
        assert Enrollment.objects.filter(student=student).count() == 1

    def test_wrong_code_is_a_form_error(self, student_client, classroom):
        response = student_client.post(JOIN, {"code": WRONG_CODE})

        assert response.status_code == HTTPStatus.OK
        assert "No class has this code" in response.context["form"].errors["code"][0]
        assert "No class has this code" in response.content.decode()
        assert not Enrollment.objects.exists()

    def test_archived_class_looks_like_a_wrong_code(self, student_client):
        archived = ClassroomFactory(is_archived=True)
        response = student_client.post(JOIN, {"code": archived.join_code})
        assert response.status_code == HTTPStatus.OK
        assert "No class has this code" in response.context["form"].errors["code"][0]
        assert not Enrollment.objects.exists()

    def test_a_replaced_code_stops_working(self, student_client, classroom):
        old = classroom.join_code
        services.join_code_reset(classroom=classroom)

        response = student_client.post(JOIN, {"code": old})
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["code"]
        assert not Enrollment.objects.exists()

    @pytest.mark.parametrize("typed", ["", "   ", " - -- "])
    def test_an_empty_code_is_required(self, student_client, typed):
        response = student_client.post(JOIN, {"code": typed})
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["code"] == ["This field is required."]


class TestJoinRateLimit:
    def wrong_codes(self, browser, times: int) -> None:
        for _ in range(times):
            response = browser.post(JOIN, {"code": WRONG_CODE})
            assert response.status_code == HTTPStatus.OK

    def test_default_is_ten_wrong_codes_an_hour(self):
        # The test settings switch it off; the base settings' default is what production gets.
        from school.settings import base

        assert base.JOIN_ATTEMPT_RATE == "10/h"

    def test_after_ten_wrong_codes_even_the_right_one_gets_429(
        self, join_rate, student_client, classroom
    ):
        self.wrong_codes(student_client, 10)

        response = student_client.post(JOIN, {"code": classroom.join_code})
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert "Too many wrong class codes" in response.content.decode()
        assert not Enrollment.objects.exists()
        # The join link checks a code too.
        response = student_client.get(join_link(classroom.join_code))
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert student_client.post(join_link(classroom.join_code)).status_code == (
            HTTPStatus.TOO_MANY_REQUESTS
        )
        assert not Enrollment.objects.exists()

    def test_right_codes_do_not_count(self, join_rate, student_client, student, classroom):
        others = ClassroomFactory.create_batch(3)
        self.wrong_codes(student_client, 9)
        for _ in range(4):  # joining, then joining again, are both right codes
            for each in [classroom, *others]:
                response = student_client.post(JOIN, {"code": each.join_code})
                assert response.status_code == HTTPStatus.FOUND
        self.wrong_codes(student_client, 1)  # the tenth wrong code: still a form error

        response = student_client.post(JOIN, {"code": classroom.join_code})
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS

    def test_another_student_is_unaffected(self, join_rate, student_client, classroom):
        self.wrong_codes(student_client, 10)
        other = StudentFactory()
        browser = Client()
        browser.force_login(other)

        response = browser.post(JOIN, {"code": classroom.join_code})
        assert response.url == class_page(classroom)
        assert list(classroom.students.all()) == [other]

    def test_wrong_join_links_count_too(self, join_rate, student_client, classroom):
        for _ in range(10):
            assert student_client.get(join_link(WRONG_CODE)).status_code == HTTPStatus.NOT_FOUND

        response = student_client.post(JOIN, {"code": classroom.join_code})
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS

    def test_the_rate_comes_from_the_setting(self, join_rate, student_client, classroom):
        join_rate("2/h")
        self.wrong_codes(student_client, 2)
        response = student_client.post(JOIN, {"code": classroom.join_code})
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS

    def test_off_disables_the_limit(self, join_rate, student_client, student, classroom):
        join_rate("off")
        self.wrong_codes(student_client, 15)

        response = student_client.post(JOIN, {"code": classroom.join_code})
        assert response.url == class_page(classroom)
        assert classroom.students.filter(pk=student.pk).exists()


class TestJoinLink:
    def test_visitor_is_sent_to_the_student_login_with_next(self, client, classroom):
        link = join_link(classroom.join_code)
        response = client.get(link)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"{STUDENT_LOGIN}?next={quote(link)}"

    def test_visitor_logs_in_and_comes_back_to_the_link(self, client, student, password, classroom):
        link = join_link(classroom.join_code)
        login_page = client.get(client.get(link).url)
        assert f'name="next" value="{link}"' in login_page.content.decode()

        response = client.post(
            f"{STUDENT_LOGIN}?next={quote(link)}",
            {"username": student.username, "password": password, "next": link},
        )
        assert response.url == link
        client.post(link)
        assert list(classroom.students.all()) == [student]

    def test_visitor_registers_and_comes_back_to_the_link(self, client, classroom):
        link = join_link(classroom.join_code)
        login_page = client.get(client.get(link).url).content.decode()
        register_url = f"{STUDENT_REGISTER}?next={quote(link)}"
        assert f'href="{register_url}"' in login_page

        register_page = client.get(register_url).content.decode()
        assert f'name="next" value="{link}"' in register_page
        assert f'href="{STUDENT_LOGIN}?next={quote(link)}"' in register_page
        # The form posts to the page's own address, and with the hidden field too.
        response = client.post(register_url, registration_data({"grade": "6"}, next=link))
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == link

        assert client.post(link).url == class_page(classroom)
        assert list(classroom.students.all()) == [Student.objects.get(username="newkid")]

    @pytest.mark.parametrize("who", ["teacher_client", "staff_client"])
    def test_other_roles_are_refused(self, request, who, classroom):
        browser = request.getfixturevalue(who)
        link = join_link(classroom.join_code)
        assert browser.get(link).status_code == HTTPStatus.FORBIDDEN
        assert browser.post(link).status_code == HTTPStatus.FORBIDDEN
        assert not Enrollment.objects.exists()

    def test_get_names_the_class_and_teacher_and_asks_to_confirm(self, student_client):
        teacher = TeacherFactory(first_name="Marie", last_name="Curie")
        classroom = ClassroomFactory(name="Chemistry 9", subject="Chemistry", teacher=teacher)

        response = student_client.get(join_link(classroom.join_code))

        assert response.status_code == HTTPStatus.OK
        content = response.content.decode()
        assert "Chemistry 9" in content and "Marie Curie" in content
        assert '<form method="post">' in content and "Join this class" in content
        assert not Enrollment.objects.exists()  # a GET joins nothing

    def test_post_joins_and_goes_to_the_class_page(self, student_client, student, classroom):
        response = student_client.post(join_link(classroom.join_code))

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == class_page(classroom)
        assert list(classroom.students.all()) == [student]
        assert messages_of(response) == ["You joined Algebra 7B."]

    def test_a_link_in_any_case_with_a_dash_works(self, student_client, student, classroom):
        code = classroom.join_code
        link = join_link(f"{code[:4].lower()}-{code[4:].lower()}")
        assert student_client.get(link).status_code == HTTPStatus.OK
        assert student_client.post(link).url == class_page(classroom)

    def test_already_enrolled_is_told_so_and_not_enrolled_twice(self, student_client, student):
        enrollment = EnrollmentFactory(student=student)
        link = join_link(enrollment.classroom.join_code)

        content = student_client.get(link).content.decode()
        assert "You are already in this class." in content
        assert f'href="{class_page(enrollment.classroom)}"' in content

        response = student_client.post(link)
        assert response.url == class_page(enrollment.classroom)
        assert messages_of(response) == [f"You are already in {enrollment.classroom.name}."]
        assert Enrollment.objects.filter(student=student).count() == 1

    @pytest.mark.parametrize("case", ["wrong", "archived", "replaced", "malformed"])
    def test_a_link_that_opens_no_class_says_it_no_longer_works(
        self, student_client, classroom, case
    ):
        code = {"wrong": WRONG_CODE, "malformed": "not-a-code"}.get(case, classroom.join_code)
        if case == "archived":
            classroom.is_archived = True
            classroom.save()
        elif case == "replaced":
            services.join_code_reset(classroom=classroom)

        for response in (student_client.get(join_link(code)), student_client.post(join_link(code))):
            assert response.status_code == HTTPStatus.NOT_FOUND
            assert "This join link no longer works" in response.content.decode()
        assert not Enrollment.objects.exists()


def home_queries(browser) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(STUDENT_HOME).status_code == HTTPStatus.OK
    return len(queries)


class TestStudentHome:
    def test_lists_your_classes_with_subject_teacher_and_a_link(self, student_client, student):
        teacher = TeacherFactory(first_name="Marie", last_name="Curie")
        mine = ClassroomFactory(name="Chemistry 9", subject="Chemistry", teacher=teacher)
        EnrollmentFactory(classroom=mine, student=student)
        ClassroomFactory(name="Somebody else's class")

        response = student_client.get(STUDENT_HOME)

        content = response.content.decode()
        assert f'href="{class_page(mine)}">Chemistry 9</a>' in content
        assert "Chemistry" in content and "Marie Curie" in content
        assert "Somebody else" not in content
        assert response.context["classes"] == [mine]

    def test_your_teachers_are_those_of_your_classes_each_once(self, student_client, student):
        curie = TeacherFactory(first_name="Marie", last_name="Curie", profile__subject="Chemistry")
        turing = TeacherFactory(first_name="Alan", last_name="Turing", profile__subject="Logic")
        TeacherFactory(first_name="Not", last_name="Mine", profile__subject="Latin")
        for teacher in (curie, curie, turing):
            EnrollmentFactory(classroom=ClassroomFactory(teacher=teacher), student=student)

        response = student_client.get(STUDENT_HOME)

        assert response.context["teachers"] == [curie, turing]
        content = response.content.decode()
        assert "Logic" in content
        assert "Not Mine" not in content and "Latin" not in content

    def test_archived_classes_are_folded_away_and_their_teachers_not_yours(
        self, student_client, student
    ):
        old_teacher = TeacherFactory(first_name="Old", last_name="Teacher")
        archived = ClassroomFactory(name="Last year", teacher=old_teacher, is_archived=True)
        current = ClassroomFactory(name="This year")
        for classroom in (archived, current):
            EnrollmentFactory(classroom=classroom, student=student)

        response = student_client.get(STUDENT_HOME)

        assert response.context["classes"] == [current]
        assert response.context["archived_classes"] == [archived]
        assert response.context["teachers"] == [current.teacher]
        content = response.content.decode()
        folded = content[content.index("<details") : content.index("</details>")]
        assert "Last year" in folded and "Archived" in folded and "This year" not in folded

    def test_without_classes_it_says_how_to_join(self, student_client):
        content = student_client.get(STUDENT_HOME).content.decode()
        assert "You are in no class yet" in content
        assert "No teachers yet" in content
        assert "<details" not in content

    def test_has_the_join_form_and_the_teacher_directory(self, student_client, classroom):
        content = student_client.get(STUDENT_HOME).content.decode()
        assert f'action="{JOIN}"' in content and 'name="code"' in content
        assert 'href="/directory/teachers/"' in content

        # The form on the home joins as the join page does.
        response = student_client.post(JOIN, {"code": classroom.join_code})
        assert response.url == class_page(classroom)

    def test_same_number_of_queries_with_1_and_30_classes(self, student_client, student):
        EnrollmentFactory(student=student)
        with_one = home_queries(student_client)
        # Each class with its own teacher, some archived: nothing is fetched per row.
        for number in range(29):
            EnrollmentFactory(student=student, classroom__is_archived=number % 5 == 0)
        assert home_queries(student_client) == with_one
        assert len(student_client.get(STUDENT_HOME).context["classes"]) == 24
