from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    """Two-factor login (TOTP and recovery codes, with django-otp) and who must use it."""

    name = "twofactor"
    verbose_name = _("Two-factor login")
