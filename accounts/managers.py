"""Managers: Django's user builder, plus role managers that narrow and create one role."""

from __future__ import annotations

from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.db.models.lookups import Exact

from .roles import ADMIN


class UserQuerySet(models.QuerySet):
    def search(
        self, term: str, fields: tuple[str, ...] = ("username", "first_name", "last_name", "email")
    ) -> UserQuerySet:
        """Match every word of `term` against one of `fields` (by default: names and email)."""
        query = models.Q()
        for word in term.split():
            any_field = models.Q()
            for field in fields:
                any_field |= models.Q(**{f"{field}__icontains": word})
            query &= any_field
        return self.filter(query)

    def by_name(self) -> UserQuerySet:
        return self.order_by("last_name", "first_name", "username")


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    def get_by_natural_key(self, username: str):
        """Find the user whatever the case of `username`: usernames are unique regardless of it."""
        # Lower() matches the expression of the unique index, so the lookup uses it.
        return self.get(Exact(Lower(self.model.USERNAME_FIELD), username.lower()))

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class RoleManager(UserManager):
    """The manager of a role's proxy: it holds only that role's users and creates them."""

    @property
    def role(self) -> str:
        # The proxy lives in its role app, whose config declares the role.
        return self.model._meta.app_config.role

    def get_queryset(self) -> UserQuerySet:
        return super().get_queryset().filter(role=self.role)

    def _create_user_object(self, username, email, password, **extra_fields):
        role = extra_fields.setdefault("role", self.role)
        if role != self.role:
            raise ValueError(
                f"{self.model.__name__}.objects creates {self.role} users, not {role}."
            )
        return super()._create_user_object(username, email, password, **extra_fields)
