"""Who must use two-factor: staff for the admin, teachers when TEACHER_2FA is "required"."""

from collections.abc import Callable
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from . import policy


class TwoFactorRequiredMiddleware:
    """Send a user who must have two-factor to set it up, or to enter a code, from any page.

    Staff, for every page of the admin; users whose role requires it (TEACHER_2FA=required),
    for every page but those that let them do it or leave (setup, the second step, logout,
    static files). Without a confirmed device they go to set one up; with one, but a session
    that has not passed the second step, to enter a code. The page they asked for rides
    along as `next`. After OTPMiddleware (`request.user.is_verified()`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified() and self.guarded(user, request.path):
            where = "twofactor:verify" if policy.has_device(user) else "twofactor:setup"
            return redirect_to_login(request.get_full_path(), reverse(where))
        return self.get_response(request)

    def guarded(self, user, path: str) -> bool:
        if self.allowed(path):
            return False
        if user.is_staff and path.startswith(reverse("admin:index")):
            return True
        return policy.required_everywhere(user)

    @staticmethod
    def allowed(path: str) -> bool:
        """Whether `path` is one a user who must pass two-factor may still open."""
        # The password change first, when both are due (PasswordChangeRequiredMiddleware).
        names = (
            "twofactor:setup",
            "twofactor:verify",
            "password_change",
            "password_change_done",
            "logout",
            "admin:logout",
            "healthz",
        )
        if path in {reverse(name) for name in names}:
            return True
        prefixes = {urlparse(url).path for url in (settings.STATIC_URL, settings.MEDIA_URL)}
        return any(path.startswith(prefix) for prefix in prefixes if prefix.strip("/"))
