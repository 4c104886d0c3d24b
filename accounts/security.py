"""Hooks for the abuse-protection libraries: django-axes (logins) and django-ratelimit (forms)."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """Return the username django-axes counts failures for (AXES_USERNAME_CALLABLE).

    Logins match usernames regardless of case, so "Alice" and "ALICE" share one counter.
    Cut to what axes can store: Django's login forms don't enforce the username's
    max_length, so a 5,000-character guess reaches axes, and PostgreSQL would refuse it.
    """
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return username.lower()[: AccessAttempt._meta.get_field("username").max_length]


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's IP address (AXES_CLIENT_IP_CALLABLE), as the rate limits see it."""
    return request.META.get(settings.CLIENT_IP_META_KEY)


class LoginFailureHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER), with a ceiling of failures per IP address.

    Axes locks out one username from one address, not a whole address: a class logs in from
    one school address. So one address could try a few passwords on every username in the
    school. Past LOGIN_IP_FAILURE_LIMIT failed logins from one address within
    LOGIN_IP_FAILURE_WINDOW, whatever the usernames, nobody logs in from it either. The
    failures are those of axes' failure log (AXES_ENABLE_ACCESS_FAILURE_LOG): every failed
    login, in the database every instance shares; a successful login is never one, nor does
    it clear them.
    """

    @staticmethod
    def recent_failures() -> QuerySet[AccessFailureLog]:
        """Return the failed logins that count towards a ceiling: those of the window."""
        since = timezone.now() - settings.LOGIN_IP_FAILURE_WINDOW
        return AccessFailureLog.objects.filter(attempt_time__gte=since)

    def is_ip_locked(self, request: HttpRequest) -> bool:
        limit = settings.LOGIN_IP_FAILURE_LIMIT
        failures = self.recent_failures().filter(ip_address=request.axes_ip_address)
        # Counting up to the limit is enough, and stays cheap for a busy address.
        return failures[:limit].count() >= limit

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.is_ip_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None and self.is_ip_locked(request):
            # Refused before any password was checked: not another guess, so it neither
            # counts nor keeps the address locked longer (the username+IP lockout does count
            # its refusals, as axes does).
            self.lock_out_ip(request, credentials)
            return
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and self.is_ip_locked(request):
            self.lock_out_ip(request, credentials)  # this failure reached the ceiling

    @staticmethod
    def lock_out_ip(request: HttpRequest, credentials: dict) -> None:
        # What AxesMiddleware reads to answer with the lockout page (AXES_LOCKOUT_CALLABLE).
        request.axes_locked_out = True
        request.axes_credentials = credentials
        request.login_ip_locked_out = True

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        """Reset as axes does; for a whole address (or everyone), also lift its ceiling.

        `manage.py axes_reset_ip ADDRESS` and `axes_reset` call this: the address's failures
        of the window leave the failure log with its attempts.
        """
        count = super().reset_attempts(
            ip_address=ip_address, username=username, ip_or_username=ip_or_username
        )
        if username is None:
            failures = self.recent_failures()
            if ip_address:
                failures = failures.filter(ip_address=ip_address)
            count += failures.delete()[0]
        return count


def form_rate(group: str, request: HttpRequest) -> str | None:
    """Return the per-IP rate of sign-up and password-reset posts (None: no limit)."""
    rate = settings.REGISTRATION_RATE
    return None if rate.lower() == "off" else rate


def email_change_rate(group: str, request: HttpRequest) -> str | None:
    """Return the per-user rate of email-change posts (None: no limit)."""
    rate = settings.EMAIL_CHANGE_RATE
    return None if rate.lower() == "off" else rate


def limit_posts(group: str, *, key: str = "ip", rate=form_rate):
    """Rate-limit a class-based view's POSTs, by default per client IP address at
    REGISTRATION_RATE; `key` and `rate` as django-ratelimit takes them."""
    return method_decorator(
        ratelimit(group=group, key=key, rate=rate, method="POST", block=True),
        name="dispatch",
    )
