"""Everything the site holds about one user, for them to download (/accounts/data/).

The core gives the account and the profile. What other apps hold about a user they add as
sections of their own: an app calls `register_section(name, collect)` from its
`AppConfig.ready()`, where `collect(user)` returns what can be written as JSON (dates
included). The core names none of them, as it names no role.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .models import User

# The account's own fields: never the password hash.
ACCOUNT_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "date_joined",
    "last_login",
    "is_active",
    "is_staff",
    "must_change_password",
)

Section = Callable[[User], Any]
_sections: dict[str, Section] = {}


def register_section(name: str, collect: Section) -> None:
    """Add `name` to every user's data, as `collect(user)` returns it."""
    if name in ("account", "profile") or _sections.get(name, collect) is not collect:
        raise ImproperlyConfigured(f"The data section {name!r} is already taken.")
    _sections[name] = collect


def user_data(user: User) -> dict[str, Any]:
    """Return what the site holds about `user`: account, profile, then each app's section."""
    return {
        "account": {name: getattr(user, name) for name in ACCOUNT_FIELDS},
        "profile": profile_data(user),
        **{name: collect(user) for name, collect in _sections.items()},
    }


def profile_data(user: User) -> dict[str, Any] | None:
    """Return the fields of `user`'s profile (None for admins, who have none)."""
    profile = user.profile
    if profile is None:
        return None
    return {
        field.name: field.value_from_object(profile)
        for field in profile._meta.concrete_fields
        if not field.is_relation
    }
