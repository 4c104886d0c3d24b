from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .agents import user_agent_describe


class UserSessionQuerySet(models.QuerySet):
    def of(self, user) -> "UserSessionQuerySet":
        """Only `user`'s sessions: every read for a user goes through here."""
        return self.filter(user=user)


class UserSession(models.Model):
    """One signed-in session of a user, as the sessions page lists it.

    Django's session table knows no user (its data is opaque), so each login records its
    session here. The session itself stays in the session engine: a row whose session has
    ended or expired is no longer active.
    """

    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="user_sessions"
    )
    user_agent = models.CharField(_("user agent"), max_length=512, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_active = models.DateTimeField(_("last active"), default=timezone.now)

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["user", "-last_active"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def device(self) -> str:
        """The browser and system, e.g. "Firefox 120 on Windows 10"."""
        return user_agent_describe(self.user_agent)
