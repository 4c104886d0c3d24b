import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.tests.factories import AdminFactory
from classrooms.models import Classroom
from classrooms.tests.factories import ClassroomFactory, EnrollmentFactory
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    """Two teachers with a class each; a student in the first class, another in none."""
    mine, theirs = ClassroomFactory(), ClassroomFactory()
    enrolled = EnrollmentFactory(classroom=mine).student
    return mine, theirs, enrolled


def test_taught_by_is_the_teachers_own_classes(school):
    mine, theirs, enrolled = school

    assert list(Classroom.objects.taught_by(mine.teacher)) == [mine]
    assert list(Classroom.objects.taught_by(theirs.teacher)) == [theirs]
    assert not Classroom.objects.taught_by(enrolled).exists()


def test_attended_by_is_the_students_classes(school):
    mine, theirs, enrolled = school
    EnrollmentFactory(classroom=theirs)  # someone else's enrollment changes nothing

    assert list(Classroom.objects.attended_by(enrolled)) == [mine]
    assert not Classroom.objects.attended_by(StudentFactory()).exists()
    assert not Classroom.objects.attended_by(mine.teacher).exists()


def test_visible_to_is_taught_or_attended(school):
    mine, _theirs, enrolled = school

    assert list(Classroom.objects.visible_to(mine.teacher)) == [mine]
    assert list(Classroom.objects.visible_to(enrolled)) == [mine]
    assert not Classroom.objects.visible_to(StudentFactory()).exists()
    assert not Classroom.objects.visible_to(TeacherFactory()).exists()


def test_staff_see_no_class_through_the_scoped_reads(school):
    staff = AdminFactory(is_staff=True, is_superuser=True)

    assert not Classroom.objects.visible_to(staff).exists()


@pytest.mark.parametrize("read", ["taught_by", "attended_by", "visible_to"])
def test_anonymous_visitors_see_nothing(school, django_assert_num_queries, read):
    with django_assert_num_queries(0):
        assert list(getattr(Classroom.objects, read)(AnonymousUser())) == []


def test_a_student_in_two_classes_sees_each_once():
    student = StudentFactory()
    first, second = EnrollmentFactory(student=student), EnrollmentFactory(student=student)

    visible = list(Classroom.objects.visible_to(student))

    assert sorted(c.pk for c in visible) == sorted([first.classroom_id, second.classroom_id])


def test_active_and_archived_split_the_classes():
    active, archived = ClassroomFactory(), ClassroomFactory(is_archived=True)

    assert list(Classroom.objects.active()) == [active]
    assert list(Classroom.objects.archived()) == [archived]


def test_with_student_count_counts_each_class_in_one_query(django_assert_num_queries):
    ClassroomFactory(name="Empty")
    full = ClassroomFactory(name="Full")
    EnrollmentFactory.create_batch(3, classroom=full)

    with django_assert_num_queries(1):
        counts = {c.name: c.student_count for c in Classroom.objects.with_student_count()}

    assert counts == {"Empty": 0, "Full": 3}


def test_with_student_count_composes_with_the_scoped_reads():
    classroom = ClassroomFactory()
    EnrollmentFactory.create_batch(2, classroom=classroom)

    (taught,) = Classroom.objects.taught_by(classroom.teacher).active().with_student_count()

    assert taught.student_count == 2


def test_with_student_count_keeps_the_order_by_name():
    teacher = TeacherFactory()
    for name in ["beta", "Alpha", "gamma"]:
        EnrollmentFactory(classroom=ClassroomFactory(teacher=teacher, name=name))

    classes = Classroom.objects.taught_by(teacher).with_student_count()

    assert classes.ordered
    assert [(c.name, c.student_count) for c in classes] == [("Alpha", 1), ("beta", 1), ("gamma", 1)]
