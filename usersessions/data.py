"""The user's sessions in their own download (/accounts/data/)."""

from .models import UserSession


def user_sessions(user) -> list[dict]:
    """Return each recorded session of `user`: browser, address and times, never its key."""
    return [
        {
            "device": session.device,
            "user_agent": session.user_agent,
            "ip_address": session.ip_address,
            "signed_in": session.created_at,
            "last_active": session.last_active,
        }
        for session in UserSession.objects.of(user).order_by("-last_active")
    ]
