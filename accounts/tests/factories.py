"""Factories for users of every role; each role's user comes with its profile."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from students.models import Student, StudentProfile
from teachers.models import Teacher, TeacherProfile


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or "factory-password-123")
        if create:
            user.save(update_fields=["password"])


class AdminFactory(UserFactory):
    role = Role.ADMIN
    username = factory.Sequence(lambda n: f"admin{n}")


class StudentProfileFactory(DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = None
    grade = factory.Faker("random_int", min=1, max=12)


class TeacherProfileFactory(DjangoModelFactory):
    class Meta:
        model = TeacherProfile

    user = None
    subject = factory.Iterator(["Mathematics", "English", "History", "Biology", "Art"])


class StudentFactory(UserFactory):
    class Meta:
        model = Student
        skip_postgeneration_save = True

    role = Role.STUDENT
    username = factory.Sequence(lambda n: f"student{n}")
    profile = factory.RelatedFactory(StudentProfileFactory, factory_related_name="user")


class TeacherFactory(UserFactory):
    class Meta:
        model = Teacher
        skip_postgeneration_save = True

    role = Role.TEACHER
    username = factory.Sequence(lambda n: f"teacher{n}")
    profile = factory.RelatedFactory(TeacherProfileFactory, factory_related_name="user")
