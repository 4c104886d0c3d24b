from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import match_token


class TokenForm(forms.Form):
    """A code from `user`'s authenticator app, or one of their unused recovery codes.

    django-otp checks it against the user's confirmed devices (`match_token`); a recovery
    code is used up by the check. `device` is the one that accepted it.
    """

    otp_token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    error_messages = {"invalid": _("This code is not right, or it has been used already.")}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)

    def check_token(self, token: str):
        return match_token(self.user, token)

    def clean_otp_token(self) -> str:
        # Recovery codes are lower case; people copy them with spaces or in capitals.
        token = "".join(self.cleaned_data["otp_token"].split()).lower()
        self.device = self.check_token(token)
        if self.device is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return token


class DeviceConfirmForm(TokenForm):
    """The first code from a new authenticator (`device`): it proves the app holds the secret."""

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, user=device.user, **kwargs)
        self.fields["otp_token"].help_text = _("The 6-digit code your app shows now.")
        self.pending_device = device

    def check_token(self, token: str):
        return self.pending_device if self.pending_device.verify_token(token) else None


class DisableForm(forms.Form):
    """The user's current password, so that an open session alone cannot remove two-factor."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your password."), code="password_incorrect")
        return password
