from http import HTTPStatus

import pytest
from django.urls import reverse

from classrooms import services
from classrooms.forms import MAX_LINES
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
