from __future__ import annotations

from functools import cache
from typing import ClassVar

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import BLANK_CHOICE_DASH
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from usersessions.services import sessions_end

from . import roles, services
from .models import User

# What each account field holds, for browsers and password managers to fill in (WCAG 1.3.5).
# Django's username and password fields already say so; setdefault keeps theirs.
AUTOCOMPLETE = {
    "username": "username",
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "password1": "new-password",
    "password2": "new-password",
}


class RegistrationForm(UserCreationForm):
    """Sign-up for one role: the account, a password, and the role's profile fields.

    `save()` creates the user and their profile in one transaction (the account service);
    `save(commit=False)`, as the admin calls it, returns the unsaved user and leaves the
    profile to `save_m2m()`, which the admin runs in its own transaction.
    """

    role: ClassVar[str]

    class Meta(UserCreationForm.Meta):
        # The base model, not the role's proxy: uniqueness is checked across every role.
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.role = self.role
        if roles.get(self.role).email_required:
            self.fields["email"].required = True
        else:
            self.fields["email"].help_text = _(
                "Optional. With one, you can reset a forgotten password yourself."
            )
        for name, token in AUTOCOMPLETE.items():
            self.fields[name].widget.attrs.setdefault("autocomplete", token)
        self.order_fields(self.field_names())

    @classmethod
    def field_names(cls) -> list[str]:
        """Return the form's fields in display order: account, profile, password."""
        profile_fields = roles.get(cls.role).profile_fields
        return [
            "username",
            "first_name",
            "last_name",
            "email",
            *profile_fields,
            "password1",
            "password2",
        ]

    @classmethod
    @cache
    def for_role(cls, role: str) -> type[RegistrationForm]:
        """Return the registration form of `role`, with its profile's fields."""
        config = roles.get(role)
        profile_fields = forms.fields_for_model(config.profile_model, fields=config.profile_fields)
        for name, field in profile_fields.items():
            verbose_name = config.profile_model._meta.get_field(name).verbose_name
            _prompt_in_blank_choice(field, format_lazy(_("Select {field}"), field=verbose_name))
        return type(
            f"{config.proxy.__name__}RegistrationForm", (cls,), {"role": role, **profile_fields}
        )

    @classmethod
    @cache
    def for_staff(cls, role: str) -> type[RegistrationForm]:
        """Return the form with which staff or an operator make an account of `role`: the
        registration form, and "must change at next login" for the password they chose."""
        form = cls.for_role(role)
        return type(f"{form.__name__}ForStaff", (MustChangePasswordMixin, form), {})

    # The username and the email are checked here, fully, with one query each for their
    # uniqueness (regardless of case and of the role holding them), and not again by the
    # model's validation; the database's constraints catch a name taken meanwhile.
    def _get_validation_exclusions(self) -> set[str]:
        return {*super()._get_validation_exclusions(), "username", "email"}

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        User._meta.get_field("username").run_validators(username)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(self.instance.unique_error_message(User, ["username"]))
        return username

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        # No address (where the role needs none) is nobody's: nothing to compare.
        if email and User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("A user with that email address already exists."), code="unique_email"
            )
        return email

    @property
    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in roles.get(self.role).profile_fields}

    def save(self, commit: bool = True, *, is_active: bool = True) -> User:
        data = self.cleaned_data
        # Only a form for staff asks (`for_staff`): people who register chose their password.
        must_change_password = data.get("must_change_password", False)
        if not commit:
            user = super().save(commit=False)
            user.must_change_password = must_change_password
            return user
        self.instance = services.user_create(
            role=self.role,
            username=data["username"],
            email=data["email"],
            password=data["password1"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            is_active=is_active,
            must_change_password=must_change_password,
            **self.profile_data,
        )
        return self.instance

    def _save_m2m(self) -> None:
        super()._save_m2m()
        services.profile_create(user=self.instance, **self.profile_data)


class MustChangePasswordMixin(forms.Form):
    """For a password someone else chose: its owner must replace it at their next login."""

    must_change_password = forms.BooleanField(
        label=_("Must change at next login"),
        required=False,
        initial=True,
        help_text=_("Right after logging in, they must choose a password of their own."),
    )


def _prompt_in_blank_choice(field: forms.Field, prompt: str) -> None:
    """Show `prompt` instead of Django's "---------" as a select's blank choice."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == BLANK_CHOICE_DASH[0][1]:
            field.empty_label = prompt
    elif isinstance(field, forms.ChoiceField) and field.choices[:1] == BLANK_CHOICE_DASH:
        field.choices = [("", prompt), *field.choices[1:]]


class LoginForm(AuthenticationForm):
    """Django's login form, with "remember me" and an optional role the user must have."""

    remember_me = forms.BooleanField(label=_("Remember me"), required=False)

    error_messages = {
        **AuthenticationForm.error_messages,
        "wrong_role": _(
            "This is the {page} login, and this account is not a {page} account. "
            'Please use the <a href="{url}">{right} login page</a>.'
        ),
    }

    def __init__(self, request=None, *args, role: str | None = None, **kwargs):
        self.role = role
        super().__init__(request, *args, **kwargs)

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if self.role and not user.has_role(self.role):
            right = roles.find(user.role)
            raise ValidationError(
                format_html(
                    self.error_messages["wrong_role"],
                    page=roles.label(self.role).lower(),
                    url=roles.login_url(user.role),
                    right=right.role_name if right else _("main"),
                ),
                code="wrong_role",
            )


class AccountForm(forms.ModelForm):
    """A user's own details: their names, and the profile fields their role lets them edit.

    `for_role(role)` adds the role's `self_editable_fields`; any other profile field is not
    in the form, so a post that carries it changes nothing. `save()` goes through the
    account service, the user and the profile in one transaction.
    """

    profile_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        model = User
        fields = ("first_name", "last_name")

    def __init__(self, *args, instance: User, **kwargs):
        profile = instance.profile
        initial = {name: getattr(profile, name) for name in self.profile_fields}
        super().__init__(
            *args, instance=instance, initial=initial | kwargs.pop("initial", {}), **kwargs
        )
        for name in self.Meta.fields:
            self.fields[name].widget.attrs.setdefault("autocomplete", AUTOCOMPLETE[name])

    @classmethod
    @cache
    def for_role(cls, role: str) -> type[AccountForm]:
        """Return the form of users of `role` (admins, who have no profile: names only)."""
        config = roles.find(role)
        if config is None or not config.self_editable_fields:
            return cls
        fields = forms.fields_for_model(config.profile_model, fields=config.self_editable_fields)
        return type(
            f"{config.proxy.__name__}AccountForm",
            (cls,),
            {"profile_fields": config.self_editable_fields, **fields},
        )

    def save(self, commit: bool = True) -> User:
        data = self.cleaned_data
        return services.profile_update(
            user=self.instance,
            first_name=data["first_name"],
            last_name=data["last_name"],
            **{name: data[name] for name in self.profile_fields},
        )


class EmailChangeForm(forms.Form):
    """Ask for a new address; the current password proves it is the account's owner asking.

    An address another account uses is not an error here (that would tell anyone whose
    address it is): the service tells that account's owner instead.
    """

    email = forms.EmailField(
        label=_("New email address"),
        max_length=User._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if email.casefold() == self.user.email.casefold():
            raise ValidationError(_("This is already your address."), code="same_email")
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                _("Your password was entered incorrectly. Please enter it again."),
                code="password_incorrect",
            )
        return password


class PasswordNoticeMixin:
    """Save the new password as Django's form does, then email its owner a notice."""

    def save(self, commit: bool = True) -> User:
        user = super().save(commit)
        if commit:
            services.account_change_notify(user=user, change=services.PASSWORD_CHANGED)
        return user


class PasswordChangeForm(PasswordNoticeMixin, auth_forms.PasswordChangeForm):
    """Django's form for a logged-in user changing their own password."""


class SetPasswordForm(PasswordNoticeMixin, auth_forms.SetPasswordForm):
    """Django's form for choosing a password through a reset link."""


class AdminPasswordChangeForm(
    MustChangePasswordMixin, PasswordNoticeMixin, auth_forms.AdminPasswordChangeForm
):
    """Django's admin form for staff setting a user's password, with "must change at next
    login" (on by default); the account's address is told of the new password, and every
    session of the account ends."""

    def save(self, commit: bool = True) -> User:
        # A disabled password is changed by nobody at login: nothing to ask of its owner then.
        self.user.must_change_password = (
            self.cleaned_data["set_usable_password"] and self.cleaned_data["must_change_password"]
        )
        user = super().save(commit)
        if commit:
            sessions_end(user=user)
        return user


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, also for active accounts that never had a password.

    Django skips accounts without a usable password (they might log in elsewhere); here,
    imported accounts have none until they choose one through this very flow.
    """

    def get_users(self, email: str):
        users = User._default_manager.filter(email__iexact=email, is_active=True)
        # As Django does: no match through Unicode case folding tricks.
        return (user for user in users if auth_forms._unicode_ci_compare(email, user.email))
