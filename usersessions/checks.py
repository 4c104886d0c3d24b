"""System checks: the sessions page needs sessions that the server holds."""

from django.conf import settings
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieSessionStore
from django.core.checks import Tags, Warning, register

from .services import session_store


@register(Tags.security)
def check_session_engine(app_configs, **kwargs) -> list[Warning]:
    if issubclass(session_store(), CookieSessionStore):
        return [
            Warning(
                f"SESSION_ENGINE {settings.SESSION_ENGINE!r} keeps sessions in the browser: "
                "the sessions page cannot list or end them, nor can a password change.",
                hint="Use the db or cached_db session engine.",
                id="usersessions.W001",
            )
        ]
    return []
