from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UserSessionsConfig(AppConfig):
    """Each user's active sessions: where they are signed in, and ending the others."""

    name = "usersessions"
    verbose_name = _("Sessions")

    def ready(self) -> None:
        from accounts import data

        from . import checks, receivers  # noqa: F401  (registers the check; connects the receivers)
        from .data import user_sessions

        # Each user's own download (/accounts/data/) lists where they are signed in.
        data.register_section("sessions", user_sessions)
