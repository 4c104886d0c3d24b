"""Staff read the trail in the admin: everything, filtered, and one account's or class's history."""

from http import HTTPStatus

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.context import operator as operator_context
from audit.services import audit_bulk
from classrooms.models import Classroom
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

ENTRIES = reverse("admin:auditlog_logentry_changelist")


def shown(response) -> list[LogEntry]:
    assert response.status_code == HTTPStatus.OK
    return list(response.context["cl"].result_list)


def shown_filter(client, parameter: str) -> list[tuple[str, str]]:
    """Return the choices of the changelist's filter on `parameter`."""
    (spec,) = [
        spec
        for spec in client.get(ENTRIES).context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == parameter
    ]
    return spec.lookup_choices


def history(client, admin_name: str, obj) -> list[LogEntry]:
    """Follow the History button of `obj`'s change page."""
    response = client.get(reverse(f"admin:{admin_name}_history", args=[obj.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(ENTRIES)
    return shown(client.get(response.url))


class TestHistory:
    def test_an_account_history_has_its_changes_profile_and_classes(self, staff_client):
        student, other = StudentFactory(first_name="Ada"), StudentFactory()
        student.first_name = "Grace"
        student.save()
        EnrollmentFactory(student=student)
        other.first_name = "Alan"
        other.save()

        entries = history(staff_client, "students_student", student)

        assert entries and all(entry.object_repr != str(other) for entry in entries)
        models = {entry.content_type.model for entry in entries}
        assert models == {"user", "studentprofile", "enrollment"}
        page = staff_client.get(
            reverse("admin:students_student_history", args=[student.pk]), follow=True
        ).text
        assert "first_name: Ada → Grace" in page

    def test_a_class_history_has_its_enrollments(self, staff_client):
        classroom = ClassroomFactory(name="Algebra")
        EnrollmentFactory(classroom=classroom)
        EnrollmentFactory()  # another class's

        entries = history(staff_client, "classrooms_classroom", classroom)

        assert [entry.content_type.model for entry in entries] == ["enrollment", "classroom"]

    def test_an_unknown_object_has_no_history(self, staff_client):
        response = staff_client.get(ENTRIES, {"object": "accounts.user:999999"})
        assert shown(response) == []
        assert shown(staff_client.get(ENTRIES, {"object": "no.such:1"})) == []
        missing = reverse("admin:students_student_history", args=[999999])
        assert staff_client.get(missing).status_code == HTTPStatus.FORBIDDEN


class TestChangelist:
    def test_filters_by_kind_of_actor(self, staff_client, staff):
        with operator_context("import_users"):
            by_operator = audit_bulk(model=Classroom, operation="import", counts={"rows": 1})
        by_staff = audit_bulk(
            model=Classroom, operation="archive", counts={"archived": 2}, actor=staff
        )

        assert shown(staff_client.get(ENTRIES, {"actor_kind": "operator"})) == [by_operator]
        by_staffs = shown(staff_client.get(ENTRIES, {"actor_kind": "staff"}))
        assert by_staff in by_staffs and by_operator not in by_staffs
        assert {entry.actor for entry in by_staffs} == {staff}  # this and logging in
        page = staff_client.get(ENTRIES).text
        assert "archived: 2" in page and "(manage.py import_users)" in page

    def test_filters_by_role_and_by_no_one_logged_in(self, staff_client, student, teacher):
        by_student = audit_bulk(model=Classroom, operation="a", counts={}, actor=student)
        by_teacher = audit_bulk(model=Classroom, operation="b", counts={}, actor=teacher)
        by_no_one = audit_bulk(model=Classroom, operation="c", counts={})

        assert shown(staff_client.get(ENTRIES, {"actor_kind": "student"})) == [by_student]
        assert shown(staff_client.get(ENTRIES, {"actor_kind": "teacher"})) == [by_teacher]
        assert by_no_one in shown(staff_client.get(ENTRIES, {"actor_kind": "none"}))

    def test_filters_by_audited_model(self, staff_client, student):
        classroom = ClassroomFactory()
        labels = [str(label) for _value, label in shown_filter(staff_client, "model")]
        # A role's accounts are users' entries: no "Student" or "Teacher" choice.
        assert labels == ["Class", "Enrollment", "Student profile", "Teacher profile", "User"]
        class_type = ContentType.objects.get_for_model(Classroom)

        entries = shown(staff_client.get(ENTRIES, {"model": class_type.pk}))

        assert entries and {entry.object_repr for entry in entries} == {str(classroom)}
        assert shown(staff_client.get(ENTRIES, {"model": "nonsense"})) == []

    def test_is_read_only(self, staff_client, staff):
        entry = audit_bulk(model=Classroom, operation="archive", counts={"archived": 1})
        change = reverse("admin:auditlog_logentry_change", args=[entry.pk])

        assert staff_client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
        assert staff_client.post(change, {"object_repr": "forged"}).status_code == 403
        delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
        assert staff_client.post(delete, {"post": "yes"}).status_code == 403
        assert LogEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr
        assert 'name="_save"' not in staff_client.get(change).text

    def test_is_staff_only(self, student_client, teacher_client):
        for client in (student_client, teacher_client):
            response = client.get(ENTRIES)
            assert response.status_code == HTTPStatus.FOUND
            assert response.url.startswith(reverse("admin:login"))

    def test_a_page_costs_the_same_whatever_the_size(
        self, staff_client, django_assert_max_num_queries
    ):
        students = StudentFactory.create_batch(30)
        for student in students:
            student.first_name = "Changed"
            student.save()

        with django_assert_max_num_queries(12):
            response = staff_client.get(ENTRIES)
        assert len(shown(response)) == 100
        assert response.context["cl"].paginator.count <= 100 * 11  # never a full count
