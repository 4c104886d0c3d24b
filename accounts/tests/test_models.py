import pytest
from django.db import IntegrityError

from accounts.models import Role, User
from accounts.tests.factories import AdminFactory, StudentFactory, TeacherFactory
from students.models import Student, StudentProfile
from teachers.models import Teacher

pytestmark = pytest.mark.django_db


class TestRoleManagers:
    def test_each_proxy_manager_holds_only_its_role(self):
        students = StudentFactory.create_batch(3)
        teachers = TeacherFactory.create_batch(2)
        admin = AdminFactory()

        assert set(Student.objects.all()) == set(students)
        assert set(Teacher.objects.all()) == set(teachers)
        assert set(User.objects.all()) == {*students, *teachers, admin}

    def test_proxy_instances_are_of_the_proxy_class(self):
        StudentFactory()
        assert type(Student.objects.get()) is Student

    def test_create_user_sets_the_role(self):
        student = Student.objects.create_user("amy", "amy@example.com", "pw-123456789")
        teacher = Teacher.objects.create_user("bob", "bob@example.com", "pw-123456789")

        assert User.objects.get(pk=student.pk).role == Role.STUDENT
        assert User.objects.get(pk=teacher.pk).role == Role.TEACHER
        assert student.check_password("pw-123456789")

    def test_create_user_refuses_another_role(self):
        with pytest.raises(ValueError, match="student"):
            Student.objects.create_user("amy", "amy@example.com", role=Role.TEACHER)
        assert not User.objects.exists()

    def test_create_superuser_is_an_admin(self):
        user = User.objects.create_superuser("root", "root@example.com", "pw-123456789")
        assert user.role == Role.ADMIN
        assert user.is_staff and user.is_superuser
        assert not Student.objects.exists() and not Teacher.objects.exists()

    def test_passwords_are_hashed(self):
        user = StudentFactory(password="s3cret-value!")
        assert "s3cret-value!" not in user.password
        assert user.check_password("s3cret-value!")


class TestRolePredicates:
    def test_student(self):
        user = StudentFactory()
        assert user.is_student and not user.is_teacher
        assert user.has_role(Role.STUDENT)

    def test_teacher(self):
        user = TeacherFactory()
        assert user.is_teacher and not user.is_student

    def test_admin_is_neither(self):
        user = AdminFactory()
        assert not user.is_student and not user.is_teacher
        assert user.profile is None

    def test_profile_follows_the_role(self):
        student = StudentFactory(profile__grade=7)
        teacher = TeacherFactory(profile__subject="Physics")
        assert User.objects.get(pk=student.pk).profile.grade == 7
        assert User.objects.get(pk=teacher.pk).profile.subject == "Physics"


class TestUniqueness:
    def test_username_is_unique_regardless_of_case(self):
        StudentFactory(username="Alice")
        with pytest.raises(IntegrityError):
            TeacherFactory(username="alice")

    def test_email_is_unique_regardless_of_case(self):
        StudentFactory(email="Alice@Example.com")
        with pytest.raises(IntegrityError):
            StudentFactory(email="alice@example.com")

    def test_several_accounts_may_have_no_email(self):
        AdminFactory(email="")
        AdminFactory(email="")
        assert User.objects.filter(email="").count() == 2


class TestProfileConstraints:
    @pytest.mark.parametrize("grade", [0, 13])
    def test_grade_outside_1_to_12_is_refused_by_the_database(self, grade):
        student = StudentFactory()
        with pytest.raises(IntegrityError):
            StudentProfile.objects.filter(user=student).update(grade=grade)

    def test_subject_cannot_be_empty(self):
        teacher = TeacherFactory()
        with pytest.raises(IntegrityError):
            type(teacher.profile).objects.filter(user=teacher).update(subject="")
