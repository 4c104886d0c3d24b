"""Every login is recorded, on every login page and the admin's; a logout forgets it."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .models import UserSession
from .services import session_record


@receiver(user_logged_in, dispatch_uid="usersessions.login")
def record_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_record(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="usersessions.logout")
def forget_logout(sender, request, user, **kwargs) -> None:
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
