"""Factories for accounts, and the way to any role app's own factories."""

from functools import cache
from importlib import import_module

import factory
from factory.django import DjangoModelFactory

from accounts import roles
from accounts.models import User


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
    role = roles.ADMIN
    username = factory.Sequence(lambda n: f"admin{n}")


@cache
def _factory(config: roles.RoleAppConfig, model) -> type[DjangoModelFactory]:
    # A role app's tests/factories.py holds a factory for its proxy (the user with a
    # profile) and one for its profile.
    module = import_module(f"{config.name}.tests.factories")
    for value in vars(module).values():
        is_factory = isinstance(value, type) and issubclass(value, DjangoModelFactory)
        if is_factory and value._meta.model is model:
            return value
    raise LookupError(f"{module.__name__} has no factory for {model.__name__}.")


def user_factory(config: roles.RoleAppConfig) -> type[UserFactory]:
    """Return the factory of users of `config`'s role, each with a valid profile."""
    return _factory(config, config.proxy)


def profile_data(config: roles.RoleAppConfig) -> dict:
    """Return valid values for the profile fields of `config`'s role (its factory's)."""
    data = factory.build(dict, FACTORY_CLASS=_factory(config, config.profile_model))
    return {name: data[name] for name in config.profile_fields}
