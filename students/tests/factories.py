import factory
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from students.apps import StudentsConfig
from students.models import Student, StudentProfile


class StudentProfileFactory(DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = None
    grade = factory.Faker("random_int", min=1, max=12)


class StudentFactory(UserFactory):
    class Meta:
        model = Student
        skip_postgeneration_save = True

    role = StudentsConfig.role
    username = factory.Sequence(lambda n: f"student{n}")
    profile = factory.RelatedFactory(StudentProfileFactory, factory_related_name="user")
