"""Middleware of the core."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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
