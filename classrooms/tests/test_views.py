import logging
import re
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import registration_data
from classrooms import services
from classrooms.forms import MAX_LINES, MAX_NEW_STUDENTS
from classrooms.models import STUDENT, Classroom, Enrollment
from students.models import Student, StudentProfile
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

from .factories import ClassroomFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def url(name: str, classroom: Classroom, **kwargs) -> str:
    return reverse(f"classrooms:{name}", kwargs={"pk": classroom.pk, **kwargs})


@pytest.fixture
def classroom(teacher):
    return ClassroomFactory(teacher=teacher, name="Algebra 7B", subject="Mathematics")


@pytest.fixture
def enrolled(classroom):
    return EnrollmentFactory(classroom=classroom).student


def enroll_many(classroom: Classroom, count: int) -> None:
    """Put `count` new students in `classroom`, in a few queries rather than thousands."""
    start = Student.objects.count()
    students = Student.objects.bulk_create(
        Student(
            role=STUDENT,
            username=f"bulk{start + n}",
            first_name=f"First{n}",
            last_name=f"Last{n:04d}",
            email=f"bulk{start + n}@example.com",
        )
        for n in range(count)
    )
    StudentProfile.objects.bulk_create(StudentProfile(user=s, grade=7) for s in students)
    Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=s) for s in students)


def object_urls(classroom: Classroom, student) -> dict[str, str]:
    return {
        "detail": url("detail", classroom),
        "edit": url("edit", classroom),
        "code": url("code", classroom),
        "students_add": url("students_add", classroom),
        "student_remove": url("student_remove", classroom, student_id=student.pk),
        "students_new": url("students_new", classroom),
        "student_password": url("student_password", classroom, student_id=student.pk),
    }


class TestNewClass:
    def test_creates_the_class_and_lands_on_its_page(self, teacher_client, teacher):
        response = teacher_client.post(
            reverse("classrooms:new"), {"name": " Biology 9 ", "subject": "Biology"}
        )

        classroom = Classroom.objects.get()
        assert (classroom.name, classroom.subject, classroom.teacher) == (
            "Biology 9",
            "Biology",
            teacher,
        )
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == url("detail", classroom)
        page = teacher_client.get(response.url)
        assert classroom.join_code_display in page.text

    def test_name_is_required(self, teacher_client):
        response = teacher_client.post(reverse("classrooms:new"), {"name": "", "subject": "Art"})
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["name"]
        assert not Classroom.objects.exists()

    def test_students_cannot_open_it(self, student_client):
        response = student_client.post(reverse("classrooms:new"), {"name": "Mine"})
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not Classroom.objects.exists()


class TestClassPageForItsTeacher:
    def test_shows_the_class_code_link_and_actions(self, teacher_client, classroom):
        response = teacher_client.get(url("detail", classroom))

        assert response.status_code == HTTPStatus.OK
        content = response.text
        code = classroom.join_code
        assert "Algebra 7B" in content and "Mathematics" in content
        assert f'value="{code[:4]}-{code[4:]}"' in content
        join_link = f"http://testserver/classes/join/{code}/"
        assert f'value="{join_link}"' in content
        assert 'readonly value="' in content
        assert f'action="{url("code", classroom)}"' in content
        assert f'href="{url("edit", classroom)}"' in content
        assert f'action="{url("students_add", classroom)}"' in content
        assert 'name="students"' in content

    def test_the_copy_buttons_come_from_a_static_script(self, teacher_client, classroom):
        content = teacher_client.get(url("detail", classroom)).text
        assert 'data-copy="join-link" hidden' in content  # shown by the script only
        assert '/static/js/copy.js" defer></script>' in content
        assert "<script>" not in content and "onclick" not in content

    def test_roster_lists_name_username_grade_email_and_remove(self, teacher_client, classroom):
        student = StudentFactory(
            first_name="Ada", last_name="Lovelace", email="ada@example.com", profile__grade=8
        )
        services.enrollment_add(classroom=classroom, student=student)

        response = teacher_client.get(url("detail", classroom))

        assert list(response.context["object_list"]) == [student]
        content = response.text
        for text in ("Ada Lovelace", student.username, "<td>8</td>", "ada@example.com"):
            assert text in content
        assert url("student_remove", classroom, student_id=student.pk) in content

    def test_roster_holds_only_this_classes_students(self, teacher_client, classroom, enrolled):
        other = EnrollmentFactory(classroom=ClassroomFactory(teacher=classroom.teacher)).student
        StudentFactory()
        roster = list(teacher_client.get(url("detail", classroom)).context["object_list"])
        assert roster == [enrolled]
        assert other not in roster

    def test_roster_is_by_name_25_a_page(self, teacher_client, classroom):
        enroll_many(classroom, 30)

        first = teacher_client.get(url("detail", classroom))
        second = teacher_client.get(url("detail", classroom), {"page": 2})

        def names(response):
            return [
                (s.last_name, s.first_name, s.username) for s in response.context["object_list"]
            ]

        assert len(names(first)) == 25 and len(names(second)) == 5
        assert names(first) + names(second) == sorted(
            (s.last_name, s.first_name, s.username) for s in classroom.students.all()
        )

    @pytest.mark.parametrize(
        "query", ["lovelace", "ADA", "ada_l", "countess@example", "Ada Lovelace"]
    )
    def test_roster_search_by_names_username_or_email(self, teacher_client, classroom, query):
        ada = StudentFactory(
            first_name="Ada", last_name="Lovelace", username="ada_l", email="countess@example.com"
        )
        alan = StudentFactory(first_name="Alan", last_name="Turing", email="alan@example.com")
        for student in (ada, alan):
            services.enrollment_add(classroom=classroom, student=student)

        response = teacher_client.get(url("detail", classroom), {"q": query})

        assert list(response.context["object_list"]) == [ada]
        assert f'value="{query}"' in response.text

    def test_search_with_no_match_says_so(self, teacher_client, classroom, enrolled):
        response = teacher_client.get(url("detail", classroom), {"q": "nobody-like-this"})
        assert "No student matches your search." in response.text

    @pytest.mark.parametrize("size", [5, 500])
    def test_query_count_does_not_grow_with_the_class(
        self, teacher_client, classroom, django_assert_num_queries, size
    ):
        enroll_many(classroom, size)
        # Session, user, the class, the roster's count (a few pages ahead), the roster page.
        with django_assert_num_queries(5):
            response = teacher_client.get(url("detail", classroom))
        assert len(response.context["object_list"]) == min(size, 25)

    def test_archived_class_says_so_and_its_code_is_inactive(self, teacher_client, classroom):
        classroom.is_archived = True
        classroom.save()

        content = teacher_client.get(url("detail", classroom)).text

        assert "This class is archived" in content
        assert "Inactive" in content
        assert classroom.join_code_display in content
        assert 'id="join-link"' not in content  # no link to share: it would not work
        assert 'name="students"' not in content


class TestClassPageForOthers:
    def test_enrolled_student_sees_name_subject_and_teacher_only(self, client, classroom):
        classroom.teacher.first_name, classroom.teacher.last_name = "Grace", "Hopper"
        classroom.teacher.save()
        enrolled, classmate = (
            EnrollmentFactory(classroom=classroom, student__email=f"{n}@example.com").student
            for n in ("me", "classmate")
        )
        client.force_login(enrolled)

        response = client.get(url("detail", classroom))

        assert response.status_code == HTTPStatus.OK
        assert response.templates[0].name == "classrooms/classroom_member.html"
        content = response.text
        assert "Algebra 7B" in content and "Mathematics" in content and "Grace Hopper" in content
        assert "object_list" not in response.context
        assert classmate.username not in content and "classmate@example.com" not in content
        assert classroom.join_code not in content
        assert classroom.join_code_display not in content
        assert 'name="students"' not in content

    def test_student_not_in_the_class_gets_404(self, student_client, classroom):
        assert student_client.get(url("detail", classroom)).status_code == HTTPStatus.NOT_FOUND

    def test_former_student_gets_404(self, client, classroom, enrolled):
        services.enrollment_remove(classroom=classroom, student=enrolled)
        client.force_login(enrolled)
        assert client.get(url("detail", classroom)).status_code == HTTPStatus.NOT_FOUND

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_another_teacher_gets_404_everywhere(self, client, classroom, enrolled, method):
        client.force_login(TeacherFactory())
        for name, address in object_urls(classroom, enrolled).items():
            response = getattr(client, method)(address)
            assert response.status_code == HTTPStatus.NOT_FOUND, name
        assert Enrollment.objects.filter(classroom=classroom, student=enrolled).exists()
        assert Classroom.objects.get().join_code == classroom.join_code

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_staff_get_404_everywhere(self, staff_client, classroom, enrolled, method):
        for name, address in object_urls(classroom, enrolled).items():
            response = getattr(staff_client, method)(address)
            assert response.status_code == HTTPStatus.NOT_FOUND, name

    def test_enrolled_student_gets_404_on_the_teachers_pages(self, client, classroom, enrolled):
        client.force_login(enrolled)
        urls = object_urls(classroom, enrolled)
        del urls["detail"]
        for name, address in urls.items():
            assert client.get(address).status_code == HTTPStatus.NOT_FOUND, name
            assert client.post(address).status_code == HTTPStatus.NOT_FOUND, name
        assert Enrollment.objects.filter(classroom=classroom, student=enrolled).exists()

    def test_unknown_class_is_404(self, teacher_client):
        response = teacher_client.get(reverse("classrooms:detail", kwargs={"pk": 999_999}))
        assert response.status_code == HTTPStatus.NOT_FOUND


class TestEdit:
    def test_renames_and_archives(self, teacher_client, classroom):
        response = teacher_client.post(
            url("edit", classroom), {"name": "Algebra 8B", "subject": "", "is_archived": "on"}
        )

        assert response.url == url("detail", classroom)
        classroom.refresh_from_db()
        assert (classroom.name, classroom.subject, classroom.is_archived) == (
            "Algebra 8B",
            "",
            True,
        )
        with pytest.raises(services.JoinRefused):
            services.classroom_for_code(classroom.join_code)

    def test_shows_the_current_values(self, teacher_client, classroom):
        form = teacher_client.get(url("edit", classroom)).context["form"]
        assert set(form.fields) == {"name", "subject", "is_archived"}
        assert form.initial["name"] == "Algebra 7B"

    def test_cannot_move_the_class_to_another_teacher(self, teacher_client, classroom):
        other = TeacherFactory()
        teacher_client.post(url("edit", classroom), {"name": "X", "teacher": other.pk})
        assert Classroom.objects.get().teacher == classroom.teacher


class TestJoinCodeReset:
    def test_post_replaces_the_code_and_the_old_one_stops_working(self, teacher_client, classroom):
        old = classroom.join_code

        response = teacher_client.post(url("code", classroom), follow=True)

        classroom.refresh_from_db()
        assert classroom.join_code != old
        assert response.redirect_chain == [(url("detail", classroom), HTTPStatus.FOUND)]
        assert classroom.join_code_display in response.text
        assert "New join code" in response.text
        with pytest.raises(services.JoinRefused):
            services.classroom_for_code(old)
        assert services.classroom_for_code(classroom.join_code) == classroom

    def test_get_is_not_allowed_and_changes_nothing(self, teacher_client, classroom):
        response = teacher_client.get(url("code", classroom))
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert Classroom.objects.get().join_code == classroom.join_code


class TestStudentsAdd:
    def test_reports_every_line(self, teacher_client, classroom, enrolled):
        new = StudentFactory(username="newbie", email="newbie@example.com")
        by_email = StudentFactory(email="Mailed@Example.com")
        other_teacher = TeacherFactory(username="mrs_x")
        lines = [
            "newbie",
            "",
            f"  {enrolled.username.upper()} ",
            "mailed@example.com",
            "ghost",
            "mrs_x",
            "newbie@example.com",  # the same student as the first line
        ]

        response = teacher_client.post(
            url("students_add", classroom), {"students": "\r\n".join(lines)}
        )

        assert response.status_code == HTTPStatus.OK
        result = response.context["result"]
        assert [(line.text, line.user) for line in result.added] == [
            ("newbie", new),
            ("mailed@example.com", by_email),
            ("newbie@example.com", new),
        ]
        assert [(line.text, line.user) for line in result.already] == [
            (enrolled.username.upper(), enrolled)
        ]
        assert [line.text for line in result.unknown] == ["ghost"]
        assert [line.text for line in result.not_students] == ["mrs_x"]
        assert set(classroom.students.all()) == {enrolled, new, by_email}
        assert other_teacher not in classroom.students.all()
        content = response.text
        for line in ("newbie", "mailed@example.com", "ghost", "mrs_x", "newbie@example.com"):
            assert f'data-line="{line}"' in content
        for heading in ("Added to the class", "Already in the class", "Unknown", "Not students"):
            assert heading in content

    def test_more_lines_than_the_cap_is_a_form_error_and_adds_no_one(
        self, teacher_client, classroom
    ):
        student = StudentFactory()
        lines = [student.username] + [f"someone{n}" for n in range(MAX_LINES)]

        response = teacher_client.post(
            url("students_add", classroom), {"students": "\n".join(lines)}
        )

        assert response.status_code == HTTPStatus.OK
        assert f"at most {MAX_LINES} lines" in response.context["form"].errors["students"][0]
        assert not classroom.students.exists()

    def test_empty_list_is_a_form_error(self, teacher_client, classroom):
        response = teacher_client.post(url("students_add", classroom), {"students": " \n "})
        assert response.context["form"].errors["students"]

    def test_archived_class_takes_no_one(self, teacher_client, classroom):
        classroom.is_archived = True
        classroom.save()
        student = StudentFactory()
        response = teacher_client.post(
            url("students_add", classroom), {"students": student.username}
        )
        assert response.url == url("detail", classroom)
        assert not classroom.students.exists()

    def test_get_is_not_allowed(self, teacher_client, classroom):
        response = teacher_client.get(url("students_add", classroom))
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


class TestStudentRemove:
    def test_get_asks_to_confirm_and_changes_nothing(self, teacher_client, classroom, enrolled):
        response = teacher_client.get(url("student_remove", classroom, student_id=enrolled.pk))

        assert response.status_code == HTTPStatus.OK
        assert enrolled.username in response.text
        assert '<form method="post"' in response.text
        assert classroom.students.filter(pk=enrolled.pk).exists()

    def test_post_removes_the_student_and_returns_to_the_class(
        self, teacher_client, classroom, enrolled
    ):
        response = teacher_client.post(url("student_remove", classroom, student_id=enrolled.pk))

        assert response.url == url("detail", classroom)
        assert not classroom.students.exists()
        assert Student.objects.filter(pk=enrolled.pk).exists()  # the account stays

    def test_student_not_in_the_class_is_404(self, teacher_client, classroom):
        elsewhere = EnrollmentFactory().student
        for method in ("get", "post"):
            response = getattr(teacher_client, method)(
                url("student_remove", classroom, student_id=elsewhere.pk)
            )
            assert response.status_code == HTTPStatus.NOT_FOUND
        assert Enrollment.objects.filter(student=elsewhere).exists()


def cards(response) -> list[tuple[str, str]]:
    """Return (username, password) of each login card on the page."""
    return re.findall(r'data-username="([^"]*)" data-password="([^"]*)"', response.text)


def create_form(client, classroom: Classroom) -> dict:
    """Open the form as a browser does: its hidden fields, to post with the names."""
    response = client.get(url("students_new", classroom))
    return {"batch": response.context["form"].initial["batch"]}


class TestStudentsCreate:
    def test_the_form_has_names_and_grade(self, teacher_client, classroom):
        response = teacher_client.get(url("students_new", classroom))

        assert response.status_code == HTTPStatus.OK
        assert set(response.context["form"].fields) == {"names", "grade", "batch"}
        assert 'name="names"' in response.text
        assert 'name="grade"' in response.text
        assert "no-store" in response["Cache-Control"]

    def test_creates_enrolled_students_without_email_and_answers_with_cards(
        self, teacher_client, classroom
    ):
        StudentFactory(username="Zoe.Muller")
        names = "Zoë Müller\r\n\r\n  Ada   Lovelace \r\nZoë Müller\r\n"

        response = teacher_client.post(
            url("students_new", classroom),
            {"names": names, "grade": "3", **create_form(teacher_client, classroom)},
        )

        assert response.status_code == HTTPStatus.OK  # the cards themselves, not a redirect
        assert "no-store" in response["Cache-Control"]
        shown = cards(response)
        assert [username for username, _password in shown] == [
            "zoe.muller2",
            "ada.lovelace",
            "zoe.muller3",
        ]
        for username, password in shown:
            student = Student.objects.get(username=username)
            assert student.email == ""
            assert student.student_profile.grade == 3
            assert student.must_change_password
            assert classroom.students.filter(pk=student.pk).exists()
            # Stored only as a hash; the card has the password itself.
            assert password not in student.password
            assert student.check_password(password)
            assert re.fullmatch(r"[a-z2-9]{3}-[a-z2-9]{3}-[a-z2-9]{3}", password)
        ada = Student.objects.get(username="ada.lovelace")
        assert (ada.first_name, ada.last_name) == ("Ada", "Lovelace")
        login_url = "http://testserver" + reverse("students:login")
        assert response.text.count(login_url) == 3
        assert "Ada Lovelace" in response.text

    def test_a_reload_shows_the_empty_form_and_no_password(self, teacher_client, classroom):
        response = teacher_client.post(
            url("students_new", classroom),
            {"names": "Ada Lovelace", "grade": "3", **create_form(teacher_client, classroom)},
        )
        ((_username, password),) = cards(response)

        again = teacher_client.get(url("students_new", classroom))

        assert password not in again.text
        assert cards(again) == []
        assert not again.context["form"].is_bound
        detail = teacher_client.get(url("detail", classroom))
        assert password not in detail.text

    def test_sending_the_same_form_again_creates_nothing_more(self, teacher_client, classroom):
        data = {"names": "Ada Lovelace", "grade": "3", **create_form(teacher_client, classroom)}
        first = teacher_client.post(url("students_new", classroom), data)
        ((_username, password),) = cards(first)

        again = teacher_client.post(url("students_new", classroom), data)

        assert again.status_code == HTTPStatus.FOUND
        assert again.url == url("detail", classroom)
        assert Student.objects.filter(first_name="Ada").count() == 1
        page = teacher_client.get(again.url)
        assert password not in page.text
        assert "already created" in page.text

    def test_without_the_hidden_field_the_form_still_works(self, teacher_client, classroom):
        # Outside tests drive the contract's fields, names and grade, and no others.
        response = teacher_client.post(
            url("students_new", classroom), {"names": "Ada Lovelace", "grade": "3"}
        )
        assert [username for username, _ in cards(response)] == ["ada.lovelace"]

    def test_a_bad_line_names_its_number_and_nothing_is_created(self, teacher_client, classroom):
        names = "Zoë Müller\n\nMadonna\nAda " + "L" * 151

        response = teacher_client.post(
            url("students_new", classroom), {"names": names, "grade": "3"}
        )

        assert response.status_code == HTTPStatus.OK
        errors = response.context["form"].errors["names"]
        assert errors[0].startswith("Line 3:")
        assert errors[1].startswith("Line 4:")
        assert "Line 3:" in response.text
        assert not Student.objects.exists()
        assert cards(response) == []

    def test_more_names_than_the_cap_is_a_form_error(self, teacher_client, classroom):
        names = "\n".join(f"Child Number{n}" for n in range(MAX_NEW_STUDENTS + 1))

        response = teacher_client.post(
            url("students_new", classroom), {"names": names, "grade": "3"}
        )

        assert f"at most {MAX_NEW_STUDENTS} names" in response.context["form"].errors["names"][0]
        assert not Student.objects.exists()

    def test_the_grade_is_required(self, teacher_client, classroom):
        response = teacher_client.post(url("students_new", classroom), {"names": "Ada Lovelace"})
        assert response.context["form"].errors["grade"]
        assert not Student.objects.exists()

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_archived_class_takes_no_one(self, teacher_client, classroom, method):
        classroom.is_archived = True
        classroom.save()

        response = getattr(teacher_client, method)(
            url("students_new", classroom), {"names": "Ada Lovelace", "grade": "3"}
        )

        assert response.url == url("detail", classroom)
        assert not Student.objects.exists()

    def test_a_teacher_of_another_class_gets_404_and_creates_nothing(self, client, classroom):
        mine = ClassroomFactory()
        client.force_login(mine.teacher)

        for method in ("get", "post"):
            response = getattr(client, method)(
                url("students_new", classroom), {"names": "Ada Lovelace", "grade": "3"}
            )
            assert response.status_code == HTTPStatus.NOT_FOUND
        assert not Student.objects.exists()

    def test_the_class_page_links_to_it(self, teacher_client, classroom):
        response = teacher_client.get(url("detail", classroom))
        assert f'href="{url("students_new", classroom)}"' in response.text
        assert "Create student accounts" in response.text

    def test_the_creation_is_logged(self, teacher_client, teacher, classroom, caplog):
        with caplog.at_level(logging.INFO, logger="classrooms.audit"):
            teacher_client.post(
                url("students_new", classroom), {"names": "Ada Lovelace", "grade": "3"}
            )

        (record,) = caplog.records
        assert teacher.username in record.getMessage()
        assert "ada.lovelace" in record.getMessage()


class TestStudentPassword:
    def test_gives_a_new_one_time_password_on_one_card(self, teacher_client, classroom, enrolled):
        old_hash = enrolled.password

        response = teacher_client.post(url("student_password", classroom, student_id=enrolled.pk))

        assert response.status_code == HTTPStatus.OK
        assert "no-store" in response["Cache-Control"]
        ((username, password),) = cards(response)
        assert username == enrolled.username
        enrolled.refresh_from_db()
        assert enrolled.password != old_hash
        assert password not in enrolled.password
        assert enrolled.check_password(password)
        assert enrolled.must_change_password
        assert "http://testserver" + reverse("students:login") in response.text

    def test_the_students_other_sessions_end(self, teacher_client, classroom, enrolled):
        student_browser = Client()
        student_browser.force_login(enrolled)
        assert student_browser.get(reverse("students:home")).status_code == HTTPStatus.OK

        teacher_client.post(url("student_password", classroom, student_id=enrolled.pk))

        response = student_browser.get(reverse("students:home"))
        assert response.status_code == HTTPStatus.FOUND
        assert "/login/" in response.url

    def test_the_card_is_not_shown_again(self, teacher_client, classroom, enrolled):
        response = teacher_client.post(url("student_password", classroom, student_id=enrolled.pk))
        ((_username, password),) = cards(response)

        assert password not in teacher_client.get(url("detail", classroom)).text

    def test_get_is_not_allowed_and_changes_nothing(self, teacher_client, classroom, enrolled):
        old_hash = enrolled.password

        response = teacher_client.get(url("student_password", classroom, student_id=enrolled.pk))

        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        enrolled.refresh_from_db()
        assert enrolled.password == old_hash

    def test_a_student_of_another_class_is_404(self, teacher_client, classroom, teacher):
        # Even one in another class of the same teacher: the page is this class's.
        elsewhere = EnrollmentFactory(classroom=ClassroomFactory(teacher=teacher)).student
        stranger = EnrollmentFactory().student
        for student in (elsewhere, stranger):
            old_hash = student.password
            response = teacher_client.post(
                url("student_password", classroom, student_id=student.pk)
            )
            assert response.status_code == HTTPStatus.NOT_FOUND
            student.refresh_from_db()
            assert student.password == old_hash

    def test_a_teacher_of_another_class_cannot_reset_its_students(
        self, client, classroom, enrolled
    ):
        mine = EnrollmentFactory().classroom
        client.force_login(mine.teacher)
        old_hash = enrolled.password

        # Neither through the student's class, nor through the teacher's own.
        for address in (
            url("student_password", classroom, student_id=enrolled.pk),
            url("student_password", mine, student_id=enrolled.pk),
        ):
            assert client.post(address).status_code == HTTPStatus.NOT_FOUND
        enrolled.refresh_from_db()
        assert enrolled.password == old_hash

    @pytest.mark.parametrize("who", ["teacher", "staff"])
    def test_teacher_and_staff_accounts_are_never_found(
        self, request, teacher_client, classroom, who
    ):
        other = TeacherFactory() if who == "teacher" else request.getfixturevalue("staff")
        # Even with a row in the enrollment table (not possible through the site).
        Enrollment.objects.bulk_create([Enrollment(classroom=classroom, student=other)])
        old_hash = other.password

        response = teacher_client.post(url("student_password", classroom, student_id=other.pk))

        assert response.status_code == HTTPStatus.NOT_FOUND
        other.refresh_from_db()
        assert other.password == old_hash
        assert not other.must_change_password

    def test_the_class_teacher_cannot_reset_themselves(self, teacher_client, teacher, classroom):
        response = teacher_client.post(url("student_password", classroom, student_id=teacher.pk))
        assert response.status_code == HTTPStatus.NOT_FOUND

    def test_each_reset_is_logged_with_who_whom_which_class_and_when(
        self, teacher_client, teacher, classroom, enrolled, caplog
    ):
        with caplog.at_level(logging.INFO, logger="classrooms.audit"):
            teacher_client.post(url("student_password", classroom, student_id=enrolled.pk))

        (record,) = caplog.records
        message = record.getMessage()
        assert record.name == "classrooms.audit"
        for part in (teacher.username, f"id {teacher.pk}", enrolled.username, classroom.name):
            assert part in message
        assert re.search(r"at \d{4}-\d\d-\d\dT\d\d:\d\d", message)

    def test_the_roster_has_a_reset_button_per_student(self, teacher_client, classroom, enrolled):
        response = teacher_client.get(url("detail", classroom))
        action = url("student_password", classroom, student_id=enrolled.pk)
        assert f'<form method="post" action="{action}">' in response.text
        assert "Reset password" in response.text


class TestTeacherHome:
    HOME = "/teachers/home/"

    def test_lists_active_classes_with_subject_count_code_and_link(
        self, teacher_client, classroom, enrolled
    ):
        EnrollmentFactory(classroom=classroom)
        ClassroomFactory(name="Somebody else's class")

        response = teacher_client.get(self.HOME)

        assert response.context["classes"] == [classroom]
        assert response.context["classes"][0].student_count == 2
        content = response.text
        assert "Somebody else" not in content
        assert f'<a href="{url("detail", classroom)}">Algebra 7B</a>' in content
        assert "Mathematics" in content
        assert classroom.join_code_display in content
        assert f'href="{reverse("classrooms:new")}"' in content
        assert f'href="{reverse("directory:students")}"' in content

    def test_archived_classes_are_folded_away(self, teacher_client, teacher, classroom):
        old = ClassroomFactory(teacher=teacher, name="Last year's class", is_archived=True)

        response = teacher_client.get(self.HOME)

        assert response.context["classes"] == [classroom]
        assert response.context["archived_classes"] == [old]
        content = response.text
        folded = content[content.index("<details") : content.index("</details>")]
        assert "Last year&#x27;s class" in folded
        assert old.join_code_display not in content

    def test_no_class_yet_says_so(self, teacher_client):
        assert "No classes yet" in teacher_client.get(self.HOME).text

    @pytest.mark.parametrize("size", [1, 30])
    def test_query_count_does_not_grow_with_the_classes(
        self, teacher_client, teacher, django_assert_num_queries, size
    ):
        for classroom in ClassroomFactory.create_batch(size, teacher=teacher):
            enroll_many(classroom, 2)
        ClassroomFactory.create_batch(2, teacher=teacher, is_archived=True)
        # Session, user, the teacher's profile, the classes with their counts.
        with django_assert_num_queries(4):
            response = teacher_client.get(self.HOME)
        assert len(response.context["classes"]) == size
        assert {c.student_count for c in response.context["classes"]} == {2}


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
