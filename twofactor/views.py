"""Two-factor setup and removal, and the second step of every login page."""

import time
from datetime import timedelta

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import RedirectURLMixin, redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView
from django_otp import login as otp_login

from accounts import roles

from . import policy, services
from .forms import DeviceConfirmForm, DisableForm, TokenForm

# The second step of a login must follow the password within this time.
STEP_TIME = timedelta(minutes=5)
PENDING_KEY = "twofactor_pending"


def pending_start(request: HttpRequest, *, user, next_url: str) -> None:
    """Remember, in the (still anonymous) session, who passed the password, when, and `next`."""
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": user.backend,
        "at": time.time(),
        "next": next_url,
    }


def pending_user(request: HttpRequest):
    """Return the user whose password was right less than STEP_TIME ago, or None."""
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    if time.time() - pending["at"] > STEP_TIME.total_seconds():
        del request.session[PENDING_KEY]
        return None
    return get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()


class SecondStepMixin:
    """For a LoginView: after a right password, a user with two-factor is not logged in yet.

    The page answers with a form for a code (`otp_token`), posted back to the same URL; the
    pending login waits in the session for STEP_TIME. A wrong code is a failed login for
    django-axes, like a wrong password; a right one logs the user in, verified, and goes on
    to the `next` the password step was given.
    """

    second_step_template_name = "twofactor/verify.html"

    def post(self, request, *args, **kwargs):
        if "otp_token" not in request.POST:
            return super().post(request, *args, **kwargs)
        user = pending_user(request)
        if user is None:
            messages.error(request, _("That took too long. Please log in again."))
            return redirect(request.get_full_path())
        return self.second_step_post(user)

    def form_valid(self, form):
        user = form.get_user()
        if not policy.has_device(user):
            return super().form_valid(form)
        pending_start(self.request, user=user, next_url=self.get_redirect_url())
        return self.second_step_response(TokenForm(user=user))

    def second_step_response(self, form: TokenForm) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.second_step_template_name,
            {
                "form": form,
                "title": _("Two-factor login"),
                self.redirect_field_name: self.request.session[PENDING_KEY]["next"],
            },
        )

    def second_step_post(self, user) -> HttpResponse:
        request = self.request
        credentials = {"username": user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            return get_lockout_response(request, None, credentials)
        form = TokenForm(request.POST, user=user)
        if not form.is_valid():
            # As a wrong password: django-axes counts it towards the same lockout.
            user_login_failed.send(sender=type(self), credentials=credentials, request=request)
            return self.second_step_response(form)
        pending = request.session.pop(PENDING_KEY)
        user.otp_device = form.device  # django-otp's login receiver verifies the session
        auth_login(request, user, backend=pending["backend"])
        return HttpResponseRedirect(pending["next"] or self.get_default_redirect_url())


@method_decorator([sensitive_post_parameters(), never_cache, login_not_required], name="dispatch")
class VerifyView(SecondStepMixin, RedirectURLMixin, View):
    """The second step on its own page: for a pending login, or a logged-in user whose
    session has not passed it (staff on their way to the admin, TEACHER_2FA=required)."""

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return self.logged_in(request, TokenForm(user=request.user))
        user = pending_user(request)
        if user is None:
            return redirect_to_login(request.get_full_path())
        return self.second_step_response(TokenForm(user=user))

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return self.logged_in(request, TokenForm(request.POST, user=request.user))
        user = pending_user(request)
        if user is None:
            messages.error(request, _("That took too long. Please log in again."))
            return redirect("login")
        return self.second_step_post(user)

    def logged_in(self, request, form: TokenForm) -> HttpResponse:
        if request.user.is_verified() or not policy.has_device(request.user):
            return redirect(self.get_success_url())
        if form.is_bound:
            if form.is_valid():
                otp_login(request, form.device)
                return redirect(self.get_success_url())
            credentials = {"username": request.user.get_username()}
            user_login_failed.send(sender=type(self), credentials=credentials, request=request)
        return TemplateResponse(
            request,
            self.second_step_template_name,
            {
                "form": form,
                "title": _("Two-factor login"),
                self.redirect_field_name: self.get_redirect_url(),
            },
        )

    def get_default_redirect_url(self) -> str:
        return roles.home_url(self.request.user) or reverse("landing")


def qr_svg(uri: str) -> str:
    """Return `uri` as a QR code, an inline <svg> element (no script, no style attribute)."""
    return mark_safe(segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000"))


class SetupView(FormView):
    """Set up an authenticator app: a QR code and its otpauth:// URI, then the first code.

    Once confirmed, ten recovery codes are shown, once. A user who has two-factor sees its
    status and the form to remove it; one whose role has it off is told it is not available.
    """

    template_name = "twofactor/setup.html"
    form_class = DeviceConfirmForm
    extra_context = {"title": _("Two-factor login")}

    def dispatch(self, request, *args, **kwargs):
        if policy.has_device(request.user):
            return TemplateResponse(
                request,
                "twofactor/status.html",
                {
                    "title": self.extra_context["title"],
                    "form": DisableForm(user=request.user),
                    "required": policy.required(request.user),
                },
            )
        if not policy.available(request.user):
            return TemplateResponse(
                request, "twofactor/unavailable.html", {"title": self.extra_context["title"]}
            )
        self.device = services.totp_pending(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "device": self.device}

    def get_context_data(self, **kwargs):
        uri = self.device.config_url
        return super().get_context_data(
            uri=uri, qr_code=qr_svg(uri), next=self.next_url(default=""), **kwargs
        )

    def form_valid(self, form: DeviceConfirmForm) -> HttpResponse:
        codes = services.twofactor_enable(request=self.request, device=self.device)
        return TemplateResponse(
            self.request,
            "twofactor/recovery_codes.html",
            {
                "title": _("Your recovery codes"),
                "codes": codes,
                "next": self.next_url(default=reverse("profile")),
            },
        )

    def next_url(self, *, default: str) -> str:
        """Return `next` if it is safe (the middleware sends users here with it), else `default`."""
        redirect_url = RedirectURLMixin()
        redirect_url.request = self.request
        return redirect_url.get_redirect_url() or default


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class DisableView(View):
    """Remove two-factor (POST, with the current password); refused to whom policy requires it."""

    def post(self, request, *args, **kwargs):
        if policy.required(request.user):
            messages.error(request, _("Two-factor login is required for your account."))
            return redirect("twofactor:setup")
        form = DisableForm(request.POST, user=request.user)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "twofactor/status.html",
                {"title": _("Two-factor login"), "form": form, "required": False},
            )
        services.twofactor_disable(user=request.user)
        messages.success(request, _("Two-factor login is off."))
        return redirect("profile")
