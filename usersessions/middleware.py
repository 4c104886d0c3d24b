"""Keeps the sessions page's "last active" current without a write on every request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .services import session_touch


class SessionActivityMiddleware:
    """Updates a session's last_active at most once per SESSION_ACTIVITY_INTERVAL.

    Before the view, so the sessions page already lists the session it is shown in, even one
    signed in before sessions were recorded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A session key first: a visitor without a session cookie costs nothing here.
        if request.session.session_key and request.user.is_authenticated:
            session_touch(request=request)
        return self.get_response(request)
