import factory
from factory.django import DjangoModelFactory

from classrooms import codes
from classrooms.models import Classroom, Enrollment
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory


class ClassroomFactory(DjangoModelFactory):
    class Meta:
        model = Classroom

    name = factory.Sequence(lambda n: f"Class {n}")
    subject = factory.Iterator(["Mathematics", "English", "History", ""])
    teacher = factory.SubFactory(TeacherFactory)
    join_code = factory.LazyFunction(codes.generate)


class EnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrollment

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory(StudentFactory)
