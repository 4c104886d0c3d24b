import factory
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from teachers.apps import TeachersConfig
from teachers.models import Teacher, TeacherProfile


class TeacherProfileFactory(DjangoModelFactory):
    class Meta:
        model = TeacherProfile

    user = None
    subject = factory.Iterator(["Mathematics", "English", "History", "Biology", "Art"])


class TeacherFactory(UserFactory):
    class Meta:
        model = Teacher
        skip_postgeneration_save = True

    role = TeachersConfig.role
    username = factory.Sequence(lambda n: f"teacher{n}")
    profile = factory.RelatedFactory(TeacherProfileFactory, factory_related_name="user")
