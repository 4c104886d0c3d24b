"""Hooks for the abuse-protection libraries: django-axes (logins) and django-ratelimit (forms)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest
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


def form_rate(group: str, request: HttpRequest) -> str | None:
    """Return the per-IP rate of sign-up and password-reset posts (None: no limit)."""
    rate = settings.REGISTRATION_RATE
    return None if rate.lower() == "off" else rate


def limit_posts(group: str):
    """Rate-limit a class-based view's POSTs per client IP address (REGISTRATION_RATE)."""
    return method_decorator(
        ratelimit(group=group, key="ip", rate=form_rate, method="POST", block=True),
        name="dispatch",
    )
