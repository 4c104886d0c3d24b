from collections.abc import Callable

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied

from . import roles


def role_required(
    role: str, login_url: str | None = None, redirect_field_name: str = REDIRECT_FIELD_NAME
) -> Callable:
    """Admit users of `role`; send visitors to log in (by default on the role's own login
    page); refuse other roles with 403."""

    def check(user) -> bool:
        if user.is_authenticated and not user.has_role(role):
            raise PermissionDenied
        return user.is_authenticated

    # A URL name, resolved per request: reverse() cannot run while URLconfs are loading.
    login_url = login_url or f"{roles.get(role).label}:login"
    return user_passes_test(check, login_url=login_url, redirect_field_name=redirect_field_name)
