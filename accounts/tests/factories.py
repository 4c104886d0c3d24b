"""Factories for accounts, the way to any role app's own factories, and users of other roles."""

from functools import cache
from importlib import import_module

import factory
from django.contrib.auth.hashers import make_password
from django.urls import reverse
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


def other_roles(config: roles.RoleAppConfig) -> list[roles.RoleAppConfig]:
    """Return the installed role apps besides `config`, in INSTALLED_APPS order."""
    return [other for other in roles.registered() if other is not config]


def other_role(config: roles.RoleAppConfig) -> str:
    """Return a role value other than `config`'s: another installed role's, else admin."""
    return next((other.role for other in other_roles(config)), roles.ADMIN)


def user_of(role: str, **kwargs) -> User:
    """Return a new user of `role`, with a valid profile; for the admin role, an admin who is
    staff and superuser unless `kwargs` say otherwise."""
    if role == roles.ADMIN:
        return AdminFactory(**{"is_staff": True, "is_superuser": True, **kwargs})
    return user_factory(roles.get(role))(**kwargs)


def admin_url(config: roles.RoleAppConfig, view: str = "changelist", *args) -> str:
    """Return the URL of a page of `config`'s role admin (its proxy's changelist, add, change)."""
    opts = config.proxy._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def registration_data(profile: dict, **extra) -> dict:
    """Return what a registration form posts: a valid account, `profile`, then `extra`."""
    return {
        "username": "newkid",
        "email": "newkid@example.com",
        "first_name": "New",
        "last_name": "Kid",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
        **profile,
        **extra,
    }


def directory_url(config: roles.RoleAppConfig) -> str:
    """Return the URL of the directory of `config`'s users."""
    return reverse(f"directory:{config.label}")


def directory_viewer_role(config: roles.RoleAppConfig) -> str:
    """Return a role whose users may browse `config`'s directory without being listed in it:
    one it names as viewers, or (open to every logged-in user) another role."""
    if config.directory_viewers:
        return config.directory_viewers[0]
    return other_role(config)


def directory_refused_roles(config: roles.RoleAppConfig) -> list[str]:
    """Return the installed roles whose users may not browse `config`'s directory (403)."""
    if config.directory_viewers is None:
        return []
    return [c.role for c in roles.registered() if c.role not in config.directory_viewers]


def bulk_users(config: roles.RoleAppConfig, count: int, *, prefix: str = "bulk") -> None:
    """Add `count` users of `config`'s role with profiles, in a few queries: a whole school.

    No factories and no password hashing (an unusable password, as imported accounts have):
    100,000 rows in seconds.
    """
    unusable = make_password(None)
    profile = profile_data(config)
    batch = 5000
    for first in range(0, count, batch):
        numbers = range(first, min(first + batch, count))
        config.proxy.objects.bulk_create(
            config.proxy(
                username=f"{prefix}{n:06d}",
                email=f"{prefix}{n:06d}@example.com",
                password=unusable,
                first_name=f"First{n % 997}",
                last_name=f"Last{n % 1009:04d}",
                role=config.role,
            )
            for n in numbers
        )
        # Not every backend returns the ids of bulk inserts; the usernames of a batch are a range.
        users = config.proxy.objects.filter(
            username__range=(f"{prefix}{numbers[0]:06d}", f"{prefix}{numbers[-1]:06d}")
        ).values_list("pk", flat=True)
        config.profile_model.objects.bulk_create(
            config.profile_model(user_id=pk, **profile) for pk in users
        )
