from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UserSessionsConfig(AppConfig):
    """Each user's active sessions: where they are signed in, and ending the others."""

    name = "usersessions"
    verbose_name = _("Sessions")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the login and logout receivers)
