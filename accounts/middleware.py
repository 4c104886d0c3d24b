"""Middleware of the core."""

from collections.abc import Callable
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Keep private pages and pages with a form out of every cache (`Cache-Control: no-store`).

    On a shared classroom computer, a page of children's details must not come back
    from the browser's cache after logout; a page with a form carries this browser's CSRF
    token. Static files never get here (WhiteNoise answers them first), so they keep their
    long cache; public pages without a form stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user and user.is_authenticated) or self.has_form(response):
            add_never_cache_headers(response)  # no-store, and no-cache for older caches
        return response

    @staticmethod
    def has_form(response: HttpResponse) -> bool:
        # Every form that posts carries the CSRF token (a post without it is refused), and a
        # page that renders the token sends the CSRF cookie with it, be it set by
        # CsrfViewMiddleware or by a view's own csrf_protect: so this middleware comes
        # before CsrfViewMiddleware in MIDDLEWARE, to see the response after it.
        return settings.CSRF_COOKIE_NAME in response.cookies


class PasswordChangeRequiredMiddleware:
    """Send a user whose password someone else chose to choose their own, from every page.

    Until they do (`User.must_change_password`), any request but those that let them do it
    or leave (the password change page and its done page, logout, static and media files,
    `/healthz`) is answered with a redirect to the change page, which carries the page they
    asked for as `next`. A POST is redirected too, unprocessed. After AuthenticationMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The user first: NoStoreMiddleware loads them for every response anyway.
        if self.must_change(request.user) and not self.allowed(request.path):
            # Django's helper for "go there, then come back to this page with ?next=".
            return redirect_to_login(request.get_full_path(), reverse("password_change"))
        return self.get_response(request)

    @staticmethod
    def must_change(user) -> bool:
        return user.is_authenticated and user.must_change_password

    @staticmethod
    def allowed(path: str) -> bool:
        """Whether `path` (with the script prefix, as `reverse()` and STATIC_URL have it) is
        one a user who must change their password may still open."""
        names = ("password_change", "password_change_done", "logout", "admin:logout", "healthz")
        if path in {reverse(name) for name in names}:
            return True
        # Without media, Django's MEDIA_URL is the site's root ("/"): that allows nothing.
        prefixes = {urlparse(url).path for url in (settings.STATIC_URL, settings.MEDIA_URL)}
        return any(path.startswith(prefix) for prefix in prefixes if prefix.strip("/"))
