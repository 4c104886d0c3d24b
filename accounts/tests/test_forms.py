import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from accounts.forms import LoginForm, RegistrationForm
from accounts.models import User
from accounts.tests.factories import other_role, user_factory, user_of

pytestmark = pytest.mark.django_db

VALID = {
    "username": "newkid",
    "email": "newkid@example.com",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}


def registration_form(config: roles.RoleAppConfig, data: dict | None = None) -> RegistrationForm:
    return RegistrationForm.for_role(config.role)(data)


class TestRegistrationForm:
    def test_form_has_the_contract_fields(self, role_config):
        assert list(registration_form(role_config).fields) == [
            "username",
            "first_name",
            "last_name",
            "email",
            *role_config.profile_fields,
            "password1",
            "password2",
        ]

    def test_form_asks_for_no_other_roles_profile_fields(self, role_config):
        fields = set(registration_form(role_config).fields)
        for config in roles.registered():
            assert not (set(config.profile_fields) - set(role_config.profile_fields)) & fields

    @pytest.mark.parametrize("missing", ["username", "password1", "password2"])
    def test_required_fields(self, role_config, role_profile_data, missing):
        data = {**VALID, **role_profile_data}
        del data[missing]
        assert missing in registration_form(role_config, data).errors

    @pytest.mark.parametrize("email", [None, "", "   "])
    def test_email_is_required_where_the_role_says(self, role_config, role_profile_data, email):
        data = {**VALID, **role_profile_data, "email": email}
        if email is None:
            del data["email"]
        form = registration_form(role_config, data)

        assert form.fields["email"].required == role_config.email_required
        if role_config.email_required:
            assert form.errors["email"] == ["This field is required."]
        else:
            assert form.is_valid(), form.errors
            assert form.save().email == ""

    def test_accounts_without_email_do_not_collide(self, role_config, role_profile_data):
        """Many accounts may have no address; uniqueness is for the addresses that exist.

        (A role that needs an address makes none without one.)"""
        for name in ("first", "second"):
            form = registration_form(
                role_config, {**VALID, **role_profile_data, "username": name, "email": ""}
            )
            assert form.is_valid() != role_config.email_required, form.errors
            if form.is_valid():
                form.save()
        made = 0 if role_config.email_required else 2
        assert role_config.proxy.objects.filter(email="").count() == made

    def test_optional_email_says_what_it_is_for(self, role_config):
        help_text = str(registration_form(role_config).fields["email"].help_text)
        assert ("reset a forgotten password" in help_text) != role_config.email_required

    def test_username_taken_in_another_case_by_another_role(self, role_config, role_profile_data):
        user_of(other_role(role_config), username="NewKid")
        form = registration_form(role_config, {**VALID, **role_profile_data})
        assert form.errors["username"] == ["A user with that username already exists."]

    def test_email_taken_in_another_case_by_another_role(self, role_config, role_profile_data):
        user_of(other_role(role_config), email="NEWKID@example.com")
        form = registration_form(role_config, {**VALID, **role_profile_data})
        assert form.errors["email"] == ["A user with that email address already exists."]
        assert "__all__" not in form.errors

    def test_email_taken_in_another_case_by_the_same_role(self, role_config, role_profile_data):
        user_factory(role_config)(email="NEWKID@example.com")
        form = registration_form(role_config, {**VALID, **role_profile_data})
        assert form.errors["email"] == ["A user with that email address already exists."]

    def test_weak_password_is_refused(self, role_config, role_profile_data):
        data = {**VALID, "password1": "12345678", "password2": "12345678", **role_profile_data}
        assert "password2" in registration_form(role_config, data).errors

    def test_save_creates_user_and_profile(self, role_config, role_profile_data):
        form = registration_form(role_config, {**VALID, **role_profile_data})
        assert form.is_valid(), form.errors
        user = form.save()
        assert user.role == role_config.role
        profile = User.objects.get(pk=user.pk).profile
        assert type(profile) is role_config.profile_model
        assert {name: getattr(profile, name) for name in role_profile_data} == role_profile_data

    def test_posted_role_and_privileges_are_ignored(self, role_config, role_profile_data):
        for index, (posted_role, _label) in enumerate(roles.choices()):
            if posted_role == role_config.role:
                continue
            data = {
                **VALID,
                **role_profile_data,
                "username": f"newkid{index}",
                "email": f"newkid{index}@example.com",
                "role": posted_role,
                "is_staff": "on",
                "is_superuser": "on",
            }
            form = registration_form(role_config, data)
            assert form.is_valid(), form.errors
            user = User.objects.get(pk=form.save().pk)
            assert user.role == role_config.role
            assert not user.is_staff and not user.is_superuser


class TestRegistrationQueries:
    """Registration checks each of username and email once, and writes with INSERTs only."""

    @staticmethod
    def where(sql: str) -> str:
        return sql.partition(" WHERE ")[2]

    @pytest.mark.parametrize("commit", [True, False], ids=["form-save", "admin-save-m2m"])
    def test_one_uniqueness_query_per_field_and_the_profile_by_one_insert(
        self, role_config, role_profile_data, commit
    ):
        form = registration_form(role_config, {**VALID, **role_profile_data})
        with CaptureQueriesContext(connection) as captured:
            assert form.is_valid(), form.errors
            if commit:
                user = form.save()
            else:  # as the admin's add view does
                user = form.save(commit=False)
                user.save()
                form.save_m2m()
        queries = [query["sql"] for query in captured.captured_queries]

        users = f'"{User._meta.db_table}"'
        profiles = f'"{role_config.profile_model._meta.db_table}"'
        selects = [sql for sql in queries if sql.startswith("SELECT")]
        assert len([sql for sql in selects if f'{users}."username"' in self.where(sql)]) == 1
        assert len([sql for sql in selects if f'{users}."email"' in self.where(sql)]) == 1
        assert len([sql for sql in queries if sql.startswith(f"INSERT INTO {users}")]) == 1
        assert len([sql for sql in queries if sql.startswith(f"INSERT INTO {profiles}")]) == 1
        assert not [sql for sql in queries if sql.startswith("UPDATE")]

        profile = getattr(User.objects.get(pk=user.pk), role_config.profile_accessor)
        assert {name: getattr(profile, name) for name in role_profile_data} == role_profile_data


class TestLoginForm:
    def test_right_role_logs_in(self, rf, role_config, role_user, password):
        form = LoginForm(
            rf.post("/"),
            {"username": role_user.username, "password": password},
            role=role_config.role,
        )
        assert form.is_valid()
        assert form.get_user() == role_user

    def test_wrong_role_is_refused_with_a_pointer(self, rf, role_config, password):
        # A user of another role, and the login page meant for them (admins: the main one).
        role = other_role(role_config)
        other = user_of(role, password=password)
        right_login = "/accounts/login/" if role == roles.ADMIN else roles.get(role).login_url
        form = LoginForm(
            rf.post("/"), {"username": other.username, "password": password}, role=role_config.role
        )
        assert not form.is_valid()
        error = form.non_field_errors()[0]
        assert f"{role_config.role_name} login" in error
        assert f'href="{right_login}"' in error

    def test_without_role_every_role_logs_in(self, rf, role_user, password):
        form = LoginForm(rf.post("/"), {"username": role_user.username, "password": password})
        assert form.is_valid()
        assert form.get_user() == role_user
