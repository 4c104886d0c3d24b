import pytest

from accounts.forms import LoginForm, RegistrationForm
from accounts.models import Role, User
from accounts.tests.factories import StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

VALID = {
    "username": "newkid",
    "email": "newkid@example.com",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}


class TestRegistrationForm:
    def test_student_form_has_the_contract_fields(self):
        form = RegistrationForm.for_role(Role.STUDENT)()
        assert list(form.fields) == [
            "username",
            "first_name",
            "last_name",
            "email",
            "grade",
            "password1",
            "password2",
        ]

    def test_teacher_form_asks_for_a_subject(self):
        form = RegistrationForm.for_role(Role.TEACHER)()
        assert "subject" in form.fields and "grade" not in form.fields

    @pytest.mark.parametrize("missing", ["username", "email", "password1", "password2", "grade"])
    def test_required_fields(self, missing):
        data = {**VALID, "grade": "5"}
        del data[missing]
        form = RegistrationForm.for_role(Role.STUDENT)(data)
        assert missing in form.errors

    @pytest.mark.parametrize("grade", ["0", "13", "x"])
    def test_grade_must_be_1_to_12(self, grade):
        form = RegistrationForm.for_role(Role.STUDENT)({**VALID, "grade": grade})
        assert "grade" in form.errors

    def test_username_taken_in_another_case_by_another_role(self):
        TeacherFactory(username="NewKid")
        form = RegistrationForm.for_role(Role.STUDENT)({**VALID, "grade": "5"})
        assert form.errors["username"] == ["A user with that username already exists."]

    def test_email_taken_in_another_case(self):
        StudentFactory(email="NEWKID@example.com")
        form = RegistrationForm.for_role(Role.TEACHER)({**VALID, "subject": "Art"})
        assert form.errors["email"] == ["A user with that email address already exists."]
        assert "__all__" not in form.errors

    def test_weak_password_is_refused(self):
        data = {**VALID, "password1": "12345678", "password2": "12345678", "grade": "5"}
        form = RegistrationForm.for_role(Role.STUDENT)(data)
        assert "password2" in form.errors

    def test_save_creates_user_and_profile(self):
        form = RegistrationForm.for_role(Role.TEACHER)({**VALID, "subject": "Music"})
        assert form.is_valid(), form.errors
        user = form.save()
        assert user.role == Role.TEACHER
        assert User.objects.get(pk=user.pk).teacher_profile.subject == "Music"

    def test_posted_role_and_privileges_are_ignored(self):
        data = {**VALID, "grade": "5", "role": "teacher", "is_staff": "on", "is_superuser": "on"}
        form = RegistrationForm.for_role(Role.STUDENT)(data)
        assert form.is_valid(), form.errors
        user = User.objects.get(pk=form.save().pk)
        assert user.role == Role.STUDENT
        assert not user.is_staff and not user.is_superuser


class TestLoginForm:
    def test_right_role_logs_in(self, rf, password):
        student = StudentFactory(password=password)
        form = LoginForm(
            rf.post("/"), {"username": student.username, "password": password}, role=Role.STUDENT
        )
        assert form.is_valid()
        assert form.get_user() == student

    def test_wrong_role_is_refused_with_a_pointer(self, rf, password):
        teacher = TeacherFactory(password=password)
        form = LoginForm(
            rf.post("/"), {"username": teacher.username, "password": password}, role=Role.STUDENT
        )
        assert not form.is_valid()
        error = form.non_field_errors()[0]
        assert "student login" in error
        assert 'href="/teachers/login/"' in error

    def test_without_role_every_role_logs_in(self, rf, password):
        teacher = TeacherFactory(password=password)
        form = LoginForm(rf.post("/"), {"username": teacher.username, "password": password})
        assert form.is_valid()
