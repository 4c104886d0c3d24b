from django.utils.functional import SimpleLazyObject

from . import roles


def navigation(request) -> dict:
    """Give templates the current user's home and the roles one can sign up as."""
    return {
        "home_url": SimpleLazyObject(lambda: roles.home_url(request.user) or ""),
        "signup_roles": roles.registered,
    }
