import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from classrooms import codes
from classrooms.models import Classroom, Enrollment
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

CLASSES = "admin:classrooms_classroom_changelist"
ENROLLMENTS = "admin:classrooms_enrollment_changelist"
ROSTER, TO_ENROLL = "enrollments", "enrollments-2"  # the two inlines' formset prefixes


def change_url(classroom: Classroom) -> str:
    return reverse("admin:classrooms_classroom_change", args=[classroom.pk])


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """Return an inline formset as the class's page posts it."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


def class_form(classroom: Classroom | None = None, *, roster=(), to_enroll=(), **fields) -> dict:
    """Return what the add or change page posts: the class, its roster and new students."""
    data = {"name": "Maths 7A", "subject": "Maths", "is_archived": ""}
    if classroom is not None:
        data |= {"name": classroom.name, "subject": classroom.subject}
        data["teacher"] = str(classroom.teacher_id)
    data |= fields
    data |= formset(ROSTER, list(roster), initial=len(roster))
    data |= formset(TO_ENROLL, [{"student": str(s.pk)} for s in to_enroll])
    return data


def roster_rows(classroom: Classroom, delete=()) -> list[dict]:
    return [
        {
            "id": str(e.pk),
            "classroom": str(classroom.pk),
            **({"DELETE": "on"} if e in delete else {}),
        }
        for e in classroom.enrollments.order_by("pk")
    ]


def autocomplete(client, model: str, field: str, term: str = "") -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "classrooms", "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == HTTPStatus.OK
    return [result["text"] for result in response.json()["results"]]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == HTTPStatus.OK
    return len(queries)


class TestChangelists:
    @pytest.mark.parametrize("url_name", [CLASSES, ENROLLMENTS])
    def test_query_count_does_not_grow_from_1_to_50_classes(self, admin_client, url_name):
        url = reverse(url_name)
        EnrollmentFactory(classroom=ClassroomFactory())
        admin_client.get(url)  # warm the session and content type caches
        one = queries_for(admin_client, url)

        for classroom in ClassroomFactory.create_batch(49):
            EnrollmentFactory.create_batch(2, classroom=classroom)
        fifty = queries_for(admin_client, url)

        assert fifty == one

    def test_columns_show_teacher_student_count_and_code(self, admin_client):
        classroom = ClassroomFactory(name="Maths 7A", join_code="ABCD2345")
        EnrollmentFactory.create_batch(3, classroom=classroom)

        response = admin_client.get(reverse(CLASSES))

        (listed,) = response.context["cl"].result_list
        assert listed.student_count == 3
        content = response.content.decode()
        assert '<td class="field-student_count">3</td>' in content
        assert "ABCD-2345" in content
        assert classroom.teacher.username in content

    @pytest.mark.parametrize(
        ("term", "found"),
        [
            ("maths", ["Maths 7A"]),
            ("abcd2345", ["Maths 7A"]),
            ("abcd-2345", ["Maths 7A"]),
            ("mrs-k", ["Art"]),
            ("year 7 art", ["Year 7 Art"]),  # looks like a code once normalized: still a name
        ],
    )
    def test_search_by_name_code_and_teacher(self, admin_client, term, found):
        ClassroomFactory(name="Maths 7A", join_code="ABCD2345")
        ClassroomFactory(name="Art", teacher=TeacherFactory(username="Mrs-K"))
        ClassroomFactory(name="Year 7 Art")

        response = admin_client.get(reverse(CLASSES), {"q": term})

        assert [c.name for c in response.context["cl"].result_list] == found

    def test_filter_archived(self, admin_client):
        ClassroomFactory(name="Old", is_archived=True)
        ClassroomFactory(name="New")

        response = admin_client.get(reverse(CLASSES), {"is_archived__exact": "1"})

        assert [c.name for c in response.context["cl"].result_list] == ["Old"]

    @pytest.mark.parametrize(("term", "found"), [("algebra", "ada"), ("bob", "bob")])
    def test_enrollments_search_by_class_and_student(self, admin_client, term, found):
        EnrollmentFactory(classroom__name="Algebra", student=StudentFactory(username="ada"))
        EnrollmentFactory(classroom__name="Art", student=StudentFactory(username="bob"))

        response = admin_client.get(reverse(ENROLLMENTS), {"q": term})

        assert [e.student.username for e in response.context["cl"].result_list] == [found]


class TestChangePage:
    def test_a_big_class_renders_no_select_of_the_school(self, admin_client):
        classroom = ClassroomFactory()
        for student in StudentFactory.create_batch(100):
            EnrollmentFactory(classroom=classroom, student=student)
        outsiders = StudentFactory.create_batch(100)

        response = admin_client.get(change_url(classroom))

        content = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert not any(f">{s.username}<" in content for s in outsiders)
        # Every select on the page searches the server; none holds the students.
        selects = re.findall(r"<select[^>]*>", content)
        assert selects and all('class="admin-autocomplete"' in s for s in selects)
        assert len(re.findall(r"<option", content)) < 10
        # The roster shows every enrolled student.
        assert all(s.username in content for s in classroom.students.all())

    def test_the_roster_costs_the_same_queries_for_5_and_100_students(self, admin_client):
        classroom = ClassroomFactory()
        EnrollmentFactory.create_batch(5, classroom=classroom)
        admin_client.get(change_url(classroom))
        five = queries_for(admin_client, change_url(classroom))

        EnrollmentFactory.create_batch(95, classroom=classroom)

        assert queries_for(admin_client, change_url(classroom)) == five

    def test_the_join_code_is_shown_not_typed(self, admin_client):
        classroom = ClassroomFactory(join_code="ABCD2345")

        response = admin_client.get(change_url(classroom))

        assert "join_code" not in response.context["adminform"].form.fields
        assert "ABCD-2345" in response.content.decode()


class TestAutocomplete:
    def test_the_teacher_field_offers_only_teachers(self, admin_client):
        TeacherFactory(username="sam-teacher")
        StudentFactory(username="sam-student")
        AdminFactory(username="sam-admin")

        assert autocomplete(admin_client, "classroom", "teacher", "sam") == ["sam-teacher"]

    def test_the_student_field_offers_only_students(self, admin_client):
        TeacherFactory(username="sam-teacher")
        StudentFactory(username="sam-student")

        assert autocomplete(admin_client, "enrollment", "student", "sam") == ["sam-student"]

    def test_the_class_field_searches_classes(self, admin_client):
        ClassroomFactory(name="Maths 7A")
        ClassroomFactory(name="Art")

        assert autocomplete(admin_client, "enrollment", "classroom", "math") == ["Maths 7A"]

    def test_answers_a_page_of_a_big_school(self, admin_client):
        StudentFactory.create_batch(30)

        assert len(autocomplete(admin_client, "enrollment", "student")) == 20

    @pytest.mark.parametrize("visitor", ["client", "student_client", "teacher_client"])
    def test_only_staff_may_search_users(self, request, visitor):
        StudentFactory(username="secret-student")
        browser = request.getfixturevalue(visitor)

        response = browser.get(
            reverse("admin:autocomplete"),
            {"app_label": "classrooms", "model_name": "enrollment", "field_name": "student"},
        )

        assert response.status_code == HTTPStatus.FOUND
        assert "login/?next=" in response.url


class TestSaving:
    def test_adds_a_class_with_a_join_code_and_students(self, admin_client, teacher):
        students = StudentFactory.create_batch(2)

        response = admin_client.post(
            reverse("admin:classrooms_classroom_add"),
            class_form(teacher=str(teacher.pk), to_enroll=students),
        )

        assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
        classroom = Classroom.objects.get()
        assert (classroom.name, classroom.teacher) == ("Maths 7A", teacher)
        assert codes.is_well_formed(classroom.join_code)
        assert set(classroom.students.all()) == set(students)

    def test_a_student_as_teacher_is_refused_with_a_message(self, admin_client, student):
        response = admin_client.post(
            reverse("admin:classrooms_classroom_add"), class_form(teacher=str(student.pk))
        )

        assert response.status_code == HTTPStatus.OK
        assert response.context["adminform"].form.errors["teacher"]
        assert "Please correct the error below." in response.content.decode()
        assert not Classroom.objects.exists()

    def test_a_teacher_as_student_is_refused(self, admin_client):
        classroom = ClassroomFactory()

        response = admin_client.post(
            change_url(classroom), class_form(classroom, to_enroll=[TeacherFactory()])
        )

        assert response.status_code == HTTPStatus.OK
        assert not Enrollment.objects.exists()

    def test_an_enrolled_student_is_refused_again_with_a_message(self, admin_client):
        enrollment = EnrollmentFactory()
        classroom = enrollment.classroom

        response = admin_client.post(
            change_url(classroom),
            class_form(classroom, roster=roster_rows(classroom), to_enroll=[enrollment.student]),
        )

        assert response.status_code == HTTPStatus.OK
        assert "This student is already in this class." in response.content.decode()
        assert Enrollment.objects.count() == 1

    def test_removes_a_student_from_the_roster(self, admin_client):
        classroom = ClassroomFactory()
        leaving, staying = EnrollmentFactory.create_batch(2, classroom=classroom)

        response = admin_client.post(
            change_url(classroom),
            class_form(classroom, roster=roster_rows(classroom, delete=[leaving])),
        )

        assert response.status_code == HTTPStatus.FOUND
        assert list(classroom.students.all()) == [staying.student]

    def test_enrollment_admin_refuses_a_teacher_as_student(self, admin_client, teacher):
        response = admin_client.post(
            reverse("admin:classrooms_enrollment_add"),
            {"classroom": str(ClassroomFactory().pk), "student": str(teacher.pk)},
        )

        assert response.status_code == HTTPStatus.OK
        assert response.context["adminform"].form.errors["student"]
        assert not Enrollment.objects.exists()


class TestActions:
    def test_new_join_codes_replace_the_old(self, admin_client):
        classes = ClassroomFactory.create_batch(2)
        old = {c.pk: c.join_code for c in classes}

        response = admin_client.post(
            reverse(CLASSES),
            {"action": "join_codes_reset", "_selected_action": [c.pk for c in classes]},
            follow=True,
        )

        new = dict(Classroom.objects.values_list("pk", "join_code"))
        assert all(new[pk] != code and codes.is_well_formed(new[pk]) for pk, code in old.items())
        assert "Gave 2 classes new join codes." in response.content.decode()

    def test_archive(self, admin_client):
        chosen, other = ClassroomFactory(), ClassroomFactory()

        admin_client.post(reverse(CLASSES), {"action": "archive", "_selected_action": [chosen.pk]})

        assert list(Classroom.objects.archived()) == [chosen]
        other.refresh_from_db()
        assert not other.is_archived


@pytest.mark.parametrize("url_name", [CLASSES, ENROLLMENTS, "admin:classrooms_classroom_add"])
@pytest.mark.parametrize("visitor", ["client", "student_client", "teacher_client"])
def test_only_staff_reach_the_class_admin(request, url_name, visitor):
    response = request.getfixturevalue(visitor).get(reverse(url_name))

    assert response.status_code == HTTPStatus.FOUND
    assert "login/?next=" in response.url
