"""Role-agnostic views: each role app routes to them with its role (`as_view(role=...)`)."""

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, user_passes_test
from django.contrib.auth.views import RedirectURLMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView, UpdateView

from twofactor.views import SecondStepMixin
from usersessions.services import sessions_end

from . import data, roles, services, tokens
from .decorators import role_required
from .forms import (
    AccountForm,
    EmailChangeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    RegistrationForm,
    SetPasswordForm,
)
from .models import User
from .pagination import LookaheadPaginator
from .roles import SignupPolicy
from .security import email_change_rate, limit_posts


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer a request over its rate limit (RATELIMIT_VIEW) with 429 Too Many Requests."""
    return render(request, "429.html", status=HTTPStatus.TOO_MANY_REQUESTS)


def locked_out(request: HttpRequest, original_response, credentials) -> HttpResponse:
    """Answer a login refused by django-axes (AXES_LOCKOUT_CALLABLE) with 429.

    Either this username from this address, or the whole address (LoginFailureHandler).
    """
    whole_network = getattr(request, "login_ip_locked_out", False)
    wait = settings.LOGIN_IP_FAILURE_WINDOW if whole_network else settings.AXES_COOLOFF_TIME
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": int(wait.total_seconds() // 60), "whole_network": whole_network},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )


@method_decorator(login_not_required, name="dispatch")
class LandingView(TemplateView):
    template_name = "landing.html"

    def get(self, request, *args, **kwargs):
        if home := roles.home_url(request.user):
            return redirect(home)
        return super().get(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
@limit_posts("registration")
class RegisterView(RedirectURLMixin, FormView):
    """Sign up as `role`, then log in and go to `next` (if safe) or the role's home.

    The role's sign-up policy may close the page, or make accounts that wait for staff
    approval (inactive, not logged in).
    """

    role: str | None = None
    template_name = "accounts/register.html"
    closed_template_name = "accounts/register_closed.html"

    def dispatch(self, request, *args, **kwargs):
        if home := roles.home_url(request.user):
            messages.info(request, _("You are already logged in."))
            return redirect(home)
        if self.signup_policy == SignupPolicy.CLOSED:
            return TemplateResponse(
                request,
                self.closed_template_name,
                {"role_config": roles.get(self.role)},
                # Reading that registration is closed is fine; trying to register is not.
                status=HTTPStatus.OK if request.method in ("GET", "HEAD") else HTTPStatus.FORBIDDEN,
            )
        return super().dispatch(request, *args, **kwargs)

    @property
    def signup_policy(self) -> SignupPolicy:
        return roles.get(self.role).signup_policy

    def get_form_class(self) -> type[RegistrationForm]:
        return RegistrationForm.for_role(self.role)

    def get_context_data(self, **kwargs):
        # As LoginView does: the page carries a safe `next` on to the form and the login link.
        return super().get_context_data(
            role_config=roles.get(self.role),
            **{self.redirect_field_name: self.get_redirect_url()},
            **kwargs,
        )

    def form_valid(self, form: RegistrationForm) -> HttpResponseRedirect:
        awaiting_approval = self.signup_policy == SignupPolicy.APPROVAL
        try:
            user = form.save(is_active=not awaiting_approval)
        except ValidationError as error:  # lost a race for the username or email
            form.add_error(None, error)
            return self.form_invalid(form)
        if awaiting_approval:
            return redirect("registration_pending")
        auth_login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _("Welcome, %(name)s! Your account is ready.")
            % {"name": user.get_short_name() or user.get_username()},
        )
        return super().form_valid(form)

    def get_default_redirect_url(self) -> str:
        return roles.get(self.role).url("home")


@method_decorator(login_not_required, name="dispatch")
class RegistrationPendingView(TemplateView):
    """Tell a new user that staff must approve their account before they can log in."""

    template_name = "accounts/registration_pending.html"


class LoginView(SecondStepMixin, auth_views.LoginView):
    """Django's login view; with `role` set, only users of that role may log in here.

    A user with two-factor login gives a code on the same page after the password.
    """

    # None: the login for every role.
    role: str | None = None
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "role": self.role}

    def get_context_data(self, **kwargs):
        role_config = roles.get(self.role) if self.role else None
        return super().get_context_data(role_config=role_config, **kwargs)

    def form_valid(self, form: LoginForm) -> HttpResponseRedirect:
        response = super().form_valid(form)
        if not form.cleaned_data.get("remember_me"):
            self.request.session.set_expiry(0)  # end with the browser session
        return response

    def get_default_redirect_url(self) -> str:
        return roles.home_url(self.request.user) or super().get_default_redirect_url()


class PasswordChangeView(RedirectURLMixin, auth_views.PasswordChangeView):
    """Django's password change; it also ends an obligation to change (`must_change_password`).

    Someone else chose the password of a user who must change it: the page says so, and
    once they have chosen their own they go on to where they were going, `next` if it is
    safe (PasswordChangeRequiredMiddleware sets it) or their home. Django's view keeps the
    current session (`update_session_auth_hash`); the user's other sessions end.
    """

    # Django's form, and the account's address is told of the change.
    form_class = PasswordChangeForm
    forced = False

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            must_change_password=self.request.user.must_change_password, **kwargs
        )

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.request.user.must_change_password:
            # A child reads it off a card: "old" is not how they think of it.
            form.fields["old_password"].label = _("The password you were given")
        return form

    def form_valid(self, form) -> HttpResponseRedirect:
        self.forced = form.user.must_change_password
        form.user.must_change_password = False  # saved with the new password, in one UPDATE
        if self.forced:
            messages.success(self.request, _("Your new password is set. Thank you!"))
        # Django's view cycles this session's key: its row follows on the next request.
        current = self.request.session.session_key
        response = super().form_valid(form)
        sessions_end(user=form.user, keep=current)
        return response

    def get_default_redirect_url(self) -> str:
        if self.forced:
            return roles.home_url(self.request.user) or str(self.success_url)
        return str(self.success_url)


@limit_posts("password_reset")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, rate-limited per IP address like registration."""

    # Also reaches imported accounts, which have no password until they choose one here.
    form_class = PasswordResetForm

    def get_context_data(self, **kwargs):
        # Users without an email address cannot use this page: their role says who can help.
        help_lines = [config.password_reset_help for config in roles.registered()]
        return super().get_context_data(
            password_reset_help=[line for line in help_lines if line], **kwargs
        )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's: a password chosen from the emailed link is the user's own, so they need
    not change it again (`must_change_password`). The account's address is told of it, and
    every session of the account ends."""

    form_class = SetPasswordForm

    def form_valid(self, form) -> HttpResponseRedirect:
        form.user.must_change_password = False  # saved with the new password
        response = super().form_valid(form)
        sessions_end(user=form.user)  # whoever knew the old password is signed out
        return response


class HomeView(TemplateView):
    """The logged-in user's home: their own account, and what the role's template adds.

    Only users of `role` get in (`role_required`): visitors are sent to the role's login
    page, users of another role get 403. A role whose home shows more subclasses it.
    """

    role: str | None = None

    @classmethod
    def as_view(cls, **initkwargs):
        return role_required(initkwargs.get("role", cls.role))(super().as_view(**initkwargs))

    def get_template_names(self) -> list[str]:
        return [self.template_name or f"{roles.get(self.role).label}/home.html"]

    def get_context_data(self, **kwargs):
        config = roles.get(self.role)
        return super().get_context_data(
            profile=getattr(self.request.user, config.profile_accessor, None), **kwargs
        )


class SearchableListMixin:
    """A list of people, 25 a page without counting them all, searchable with `q`."""

    paginate_by = 25
    # No COUNT(*) over the whole list on every page view: it grows with the school.
    paginator_class = LookaheadPaginator

    def search_query(self) -> str:
        # PostgreSQL text cannot hold NUL; a search for it finds nothing anyway.
        return self.request.GET.get("q", "").replace("\x00", "").strip()[:100]

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.search_query(), **kwargs)


class DirectoryView(SearchableListMixin, ListView):
    """Every user of `role`, paginated and searchable, for those the role app lets see it.

    The role app says who may browse it (`directory_viewers`) and what it shows besides the
    name (`directory_fields` and its profile fields); staff always may. Anyone else: 403.
    """

    role: str | None = None

    @classmethod
    def as_view(cls, **initkwargs):
        config = roles.get(initkwargs.get("role", cls.role))
        view = super().as_view(**initkwargs)
        return user_passes_test(config.directory_visible_to)(view)

    @property
    def config(self) -> roles.RoleAppConfig:
        return roles.get(self.role)

    def get_template_names(self) -> list[str]:
        # The role app's table of its users, in the page every directory shares.
        return [f"{self.config.label}/directory.html"]

    def get_queryset(self):
        config = self.config
        # Only the columns the page shows: no password hashes, and less to convert per row.
        queryset = (
            config.proxy.objects.select_related(config.profile_accessor)
            .only(
                "role",
                "first_name",
                "last_name",
                "username",
                *config.directory_fields,
                *(f"{config.profile_accessor}__{field}" for field in config.profile_fields),
            )
            .by_name()
        )
        if query := self.search_query():
            queryset = queryset.search(query, fields=config.directory_search_fields)
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(role_config=self.config, **kwargs)


class ProfileView(SuccessMessageMixin, UpdateView):
    """My account: the user's own names and the profile fields their role lets them edit."""

    template_name = "accounts/profile.html"
    success_url = reverse_lazy("profile")
    success_message = _("Your details were saved.")
    extra_context = {"title": _("My account")}

    def get_object(self, queryset=None) -> User:
        # A copy: an invalid post must not rename request.user for the rest of the page.
        user = self.request.user
        config = roles.find(user.role)
        users = User.objects.select_related(*([config.profile_accessor] if config else []))
        return users.get(pk=user.pk)

    def get_form_class(self) -> type[AccountForm]:
        return AccountForm.for_role(self.object.role)


@limit_posts("email_change", key="user", rate=email_change_rate)
class EmailChangeView(FormView):
    """Ask for a new address: a link goes to it, and only that link changes the address.

    The answer is the same whether another account uses the address or not.
    """

    form_class = EmailChangeForm
    template_name = "accounts/email_change.html"
    extra_context = {"title": _("Change email address")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: EmailChangeForm) -> HttpResponseRedirect:
        email = form.cleaned_data["email"]
        services.email_change_request(user=self.request.user, email=email, request=self.request)
        messages.success(
            self.request,
            _(
                "We sent a link to %(email)s. Open it within %(days)d days to confirm the "
                "change; until then your account keeps its current address."
            )
            % {"email": email, "days": tokens.MAX_AGE.days},
        )
        return redirect("profile")


class EmailConfirmView(TemplateView):
    """Open the emailed link: GET asks to confirm, only POST changes the address.

    Mail systems open links to scan them, so a GET changes nothing. The link holder logs in
    first (the page requires it, like every page); a link for another account is refused.
    """

    template_name = "accounts/email_confirm.html"
    invalid_template_name = "accounts/email_confirm_invalid.html"
    extra_context = {"title": _("Confirm your new email address")}

    def dispatch(self, request, *args, token: str, **kwargs):
        self.change = tokens.read(token)
        if self.change is None or self.change.user_id != request.user.pk:
            return self.refuse(other_account=self.change is not None)
        if not self.change.is_for(request.user):
            return self.refuse()
        return super().dispatch(request, *args, **kwargs)

    def refuse(self, *, other_account: bool = False) -> HttpResponse:
        # Expired, altered or used: nothing to act on (200, as Django's reset link). A link
        # for another account is refused (403): log out and open it as its owner.
        return TemplateResponse(
            self.request,
            self.invalid_template_name,
            {"title": _("This link does not work"), "other_account": other_account},
            status=HTTPStatus.FORBIDDEN if other_account else HTTPStatus.OK,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(email=self.change.email, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.email_change_confirm(user=request.user, email=self.change.email)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(
            request,
            _("Your email address is now %(email)s.") % {"email": self.change.email},
        )
        return redirect("profile")


class DataExportView(View):
    """Download, as a JSON file, everything the site holds about the logged-in user."""

    def get(self, request, *args, **kwargs) -> JsonResponse:
        response = JsonResponse(
            data.user_data(request.user),
            encoder=DjangoJSONEncoder,
            json_dumps_params={"indent": 2, "ensure_ascii": False},
        )
        filename = f"school-data-{request.user.get_username()}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
