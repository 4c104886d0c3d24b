import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Value

from accounts.models import User
from accounts.services import user_create
from accounts.tests.factories import AdminFactory
from classrooms.models import Classroom
from classrooms.tests.factories import EnrollmentFactory
from students import services
from students.apps import StudentsConfig
from students.models import SchoolYearRollover, Student, StudentProfile
from students.services import AlreadyRolledOver, students_move_up, students_promote
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def test_creates_a_student_with_profile():
    user = user_create(
        role=StudentsConfig.role,
        username="amy",
        email="amy@example.com",
        password="pw-123456789",
        grade=4,
    )
    assert Student.objects.get().pk == user.pk
    assert StudentProfile.objects.get(user=user).grade == 4


@pytest.mark.parametrize("grade", [0, 13])
def test_a_grade_outside_1_to_12_writes_nothing(grade):
    # The service takes values a form has validated; the database still refuses this one.
    with pytest.raises(IntegrityError):
        user_create(role=StudentsConfig.role, username="amy", email="amy@example.com", grade=grade)
    assert not User.objects.exists()


# The school year: students_promote and students_move_up.


def grades_and_activity() -> dict[str, tuple[int, bool]]:
    return {
        username: (grade, active)
        for username, grade, active in Student.objects.values_list(
            "username", "student_profile__grade", "is_active"
        )
    }


@pytest.fixture
def school():
    """Active students in grades 1, 5, 11, 12 and 12; inactive ones in 5 and 12."""
    for username, grade, active in [
        ("first", 1, True),
        ("fifth", 5, True),
        ("eleventh", 11, True),
        ("leaver", 12, True),
        ("leaver2", 12, True),
        ("away", 5, False),
        ("gone", 12, False),
    ]:
        StudentFactory(username=username, profile__grade=grade, is_active=active)


def test_promote_moves_active_students_up_and_deactivates_grade_12(school):
    result = students_promote(school_year="2026-2027", ran_by="ops")

    assert (result.moved_up, result.left_school) == (3, 2)
    assert grades_and_activity() == {
        "first": (2, True),
        "fifth": (6, True),
        "eleventh": (12, True),  # moves into grade 12; leaves next year, not this one
        "leaver": (12, False),
        "leaver2": (12, False),
        "away": (5, False),  # inactive students are untouched
        "gone": (12, False),
    }


def test_promote_records_the_rollover(school):
    result = students_promote(school_year="2026-2027", ran_by="ops")

    rollover = SchoolYearRollover.objects.get()
    assert rollover == result.rollover
    assert (rollover.school_year, rollover.ran_by, rollover.ran_by_user) == (
        "2026-2027",
        "ops",
        None,
    )
    assert (rollover.moved_up, rollover.left_school, rollover.forced) == (3, 2, False)
    assert rollover.ran_at is not None


def test_a_leaver_keeps_their_grade_classes_and_enrollments():
    leaver = StudentFactory(profile__grade=12)
    classmate = StudentFactory(profile__grade=12)
    enrollment = EnrollmentFactory(student=leaver)
    classroom = enrollment.classroom
    EnrollmentFactory(student=classmate, classroom=classroom)

    students_promote(school_year="2026-2027", ran_by="ops")

    leaver.refresh_from_db()
    assert (leaver.is_active, leaver.student_profile.grade) == (False, 12)
    assert list(leaver.enrollments.all()) == [enrollment]
    assert classroom.enrollments.count() == 2
    fresh = Classroom.objects.get()
    assert (fresh.name, fresh.teacher, fresh.is_archived) == (
        classroom.name,
        classroom.teacher,
        False,
    )
    assert fresh.teacher.is_active


def test_promote_leaves_teachers_and_staff_alone(school):
    teacher = TeacherFactory()
    admin = AdminFactory(is_staff=True)

    students_promote(school_year="2026-2027", ran_by="ops")

    assert User.objects.filter(pk__in=[teacher.pk, admin.pk], is_active=True).count() == 2


def test_a_dry_run_counts_and_writes_nothing(school):
    before = grades_and_activity()

    result = students_promote(school_year="2026-2027", ran_by="ops", dry_run=True)

    assert (result.moved_up, result.left_school, result.rollover) == (3, 2, None)
    assert grades_and_activity() == before
    assert not SchoolYearRollover.objects.exists()


def test_a_second_run_for_the_same_school_year_is_refused(school):
    first = students_promote(school_year="2026-2027", ran_by="ops").rollover
    after_first = grades_and_activity()

    for dry_run in (False, True):
        with pytest.raises(AlreadyRolledOver) as excinfo:
            students_promote(school_year="2026-2027", ran_by="ops", dry_run=dry_run)
        assert excinfo.value.rollover == first

    assert grades_and_activity() == after_first
    assert SchoolYearRollover.objects.count() == 1


def test_force_runs_again_and_is_recorded_as_forced(school):
    students_promote(school_year="2026-2027", ran_by="ops")

    result = students_promote(school_year="2026-2027", ran_by="ops", force=True)

    assert (result.moved_up, result.left_school, result.rollover.forced) == (2, 1, True)
    assert grades_and_activity()["first"] == (3, True)
    assert grades_and_activity()["eleventh"] == (12, False)
    assert SchoolYearRollover.objects.filter(school_year="2026-2027").count() == 2


def test_force_without_a_previous_run_is_an_ordinary_run(school):
    result = students_promote(school_year="2026-2027", ran_by="ops", force=True)

    assert result.rollover.forced is False


def test_each_school_year_is_its_own(school):
    students_promote(school_year="2026-2027", ran_by="ops")

    students_promote(school_year="2027-2028", ran_by="ops")

    assert grades_and_activity()["first"] == (3, True)


@pytest.mark.parametrize("year", ["2026", "2026-2028", "2026/2027", "26-27", " 2026-2027", ""])
def test_a_malformed_school_year_is_refused(school, year):
    with pytest.raises(ValidationError):
        students_promote(school_year=year, ran_by="ops")

    assert not SchoolYearRollover.objects.exists()


def test_the_database_allows_one_unforced_record_a_school_year():
    SchoolYearRollover.objects.create(
        school_year="2026-2027", ran_by="a", moved_up=1, left_school=0
    )
    SchoolYearRollover.objects.create(
        school_year="2026-2027", ran_by="a", moved_up=1, left_school=0, forced=True
    )
    for _ in range(2):  # selections from the admin have no school year
        SchoolYearRollover.objects.create(school_year="", ran_by="a", moved_up=1, left_school=0)

    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolYearRollover.objects.create(
            school_year="2026-2027", ran_by="b", moved_up=1, left_school=0
        )


def test_a_database_error_in_the_second_update_writes_nothing(school, monkeypatch):
    before = grades_and_activity()
    # The grade update asks for grade 20: the database's CHECK constraint refuses it, after
    # the first UPDATE has deactivated the leavers.
    monkeypatch.setattr(services, "F", lambda name: Value(19))

    with pytest.raises(IntegrityError):
        students_promote(school_year="2026-2027", ran_by="ops")

    assert grades_and_activity() == before
    assert not SchoolYearRollover.objects.exists()


def test_a_failure_recording_the_rollover_writes_nothing(school, monkeypatch):
    before = grades_and_activity()

    def fail(**fields):
        raise DatabaseError("disk full")

    monkeypatch.setattr(SchoolYearRollover.objects, "create", fail)

    with pytest.raises(DatabaseError):
        students_promote(school_year="2026-2027", ran_by="ops")

    assert grades_and_activity() == before


def test_move_up_a_selection(school, staff):
    selection = Student.objects.filter(username__in=["first", "leaver", "away"])

    result = students_move_up(selection, ran_by=staff)

    assert (result.moved_up, result.left_school) == (1, 1)
    after = grades_and_activity()
    assert (after["first"], after["leaver"], after["away"]) == ((2, True), (12, False), (5, False))
    assert (after["fifth"], after["leaver2"]) == ((5, True), (12, True))  # not selected
    rollover = SchoolYearRollover.objects.get()
    assert (rollover.school_year, rollover.ran_by, rollover.ran_by_user) == (
        "",
        staff.username,
        staff,
    )


def test_moving_up_a_selection_does_not_count_as_the_school_year(school, staff):
    students_move_up(Student.objects.filter(username="first"), ran_by=staff)

    result = students_promote(school_year="2026-2027", ran_by="ops")

    assert result.rollover.forced is False
