import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts import roles
from accounts.managers import RoleManager
from accounts.models import User
from accounts.tests.factories import AdminFactory, other_role, user_factory, user_of

pytestmark = pytest.mark.django_db


def other_role_values(config: roles.RoleAppConfig) -> list[str]:
    """Return every value `User.role` may hold besides `config`'s role (admin included)."""
    return [value for value, _label in roles.choices() if value != config.role]


class TestRoleManagers:
    def test_each_proxy_manager_holds_only_its_role(self):
        users = {
            config.role: set(user_factory(config).create_batch(2)) for config in roles.registered()
        }
        admin = AdminFactory()

        assert roles.registered()
        for config in roles.registered():
            assert set(config.proxy.objects.all()) == users[config.role]
        assert set(User.objects.all()) == {admin}.union(*users.values())

    def test_role_manager_holds_only_its_role_and_create_user_sets_it(self, role_config):
        manager = role_config.proxy.objects
        assert isinstance(manager, RoleManager)
        assert manager.role == role_config.role
        for config in roles.registered():
            user_factory(config).create_batch(2)
        AdminFactory()

        created = manager.create_user("amy", "amy@example.com", "pw-123456789")

        assert type(created) is role_config.proxy
        assert User.objects.get(pk=created.pk).role == role_config.role
        assert created.check_password("pw-123456789")
        held = list(manager.all())
        assert created in held and len(held) == 3
        assert {user.role for user in held} == {role_config.role}
        assert set(held) == set(User.objects.filter(role=role_config.role))

    def test_proxy_instances_are_of_the_proxy_class(self, role_user, role_config):
        assert type(role_config.proxy.objects.get()) is role_config.proxy

    def test_create_user_refuses_another_role(self, role_config):
        for value in other_role_values(role_config):
            with pytest.raises(ValueError, match=role_config.role):
                role_config.proxy.objects.create_user("amy", "amy@example.com", role=value)
        assert not User.objects.exists()

    def test_create_superuser_is_an_admin(self):
        user = User.objects.create_superuser("root", "root@example.com", "pw-123456789")
        assert user.role == roles.ADMIN
        assert user.is_staff and user.is_superuser
        for config in roles.registered():
            assert not config.proxy.objects.exists()

    def test_passwords_are_hashed(self, role_config):
        user = user_factory(role_config)(password="s3cret-value!")
        assert "s3cret-value!" not in user.password
        assert user.check_password("s3cret-value!")


class TestRolePredicates:
    def test_a_role_user_has_their_role_only(self, role_user, role_config):
        assert role_user.has_role(role_config.role)
        for value in other_role_values(role_config):
            assert not role_user.has_role(value)

    def test_admin_has_no_role_of_a_role_app(self):
        user = AdminFactory()
        assert user.has_role(roles.ADMIN)
        for config in roles.registered():
            assert not user.has_role(config.role)
        assert user.profile is None

    def test_profile_follows_the_role(self, role_config, role_profile_data):
        user = user_factory(role_config)(
            **{f"profile__{name}": value for name, value in role_profile_data.items()}
        )
        profile = User.objects.get(pk=user.pk).profile
        assert type(profile) is role_config.profile_model
        assert {name: getattr(profile, name) for name in role_profile_data} == role_profile_data


class TestProfileRole:
    def test_a_profile_of_a_user_of_its_role_is_valid(self, role_user):
        role_user.profile.full_clean()

    def test_a_profile_of_a_user_of_another_role_is_refused(self, role_config, role_profile_data):
        other = user_of(other_role(role_config))
        profile = role_config.profile_model(user=other, **role_profile_data)

        with pytest.raises(ValidationError) as excinfo:
            profile.full_clean()

        error = excinfo.value.error_dict["__all__"][0]
        assert error.code == "wrong_role"
        assert f"{other.username} is a {roles.label(other.role).lower()}" in error.messages[0]
        assert f"only a {role_config.role_name} has" in error.messages[0]

    def test_an_admin_cannot_have_a_profile(self, role_config, role_profile_data):
        profile = role_config.profile_model(user=AdminFactory(), **role_profile_data)
        with pytest.raises(ValidationError, match="admin"):
            profile.full_clean()


class TestUniqueness:
    def test_username_is_unique_regardless_of_case_across_roles(self, role_config):
        user_factory(role_config)(username="Alice")
        with pytest.raises(IntegrityError):
            user_of(other_role(role_config), username="alice")

    def test_email_is_unique_regardless_of_case(self, role_config):
        user_factory(role_config)(email="Alice@Example.com")
        with pytest.raises(IntegrityError):
            user_factory(role_config)(email="alice@example.com")

    def test_several_accounts_may_have_no_email(self):
        AdminFactory(email="")
        AdminFactory(email="")
        assert User.objects.filter(email="").count() == 2
