from django.utils.functional import SimpleLazyObject

from . import roles


def navigation(request) -> dict:
    """Give templates the current user's home, every role, and those one may sign up as."""
    return {
        "home_url": SimpleLazyObject(lambda: roles.home_url(request.user) or ""),
        "role_configs": roles.registered,
        "signup_roles": lambda: [config for config in roles.registered() if config.signup_open],
    }
