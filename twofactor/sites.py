"""The admin site, for staff whose session passed two-factor login (TwoFactorAdminConfig)."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .views import SecondStepMixin


class AdminLoginView(SecondStepMixin, auth_views.LoginView):
    """Django's admin login, with the second step after the password."""


class TwoFactorAdminSite(admin.AdminSite):
    """Django's admin site, open to active staff whose session is verified (django-otp).

    TwoFactorRequiredMiddleware sends staff on their way here to set up two-factor or to
    enter a code first; this is the site's own lock behind it.
    """

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and request.user.is_verified()

    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Django's admin login (AdminSite.login), through AdminLoginView."""
        if request.method == "GET" and self.has_permission(request):
            return super().login(request, extra_context)
        from django.contrib.admin.forms import AdminAuthenticationForm

        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return AdminLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )(request)
