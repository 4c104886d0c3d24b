from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    """Two-factor login (TOTP and recovery codes, with django-otp) and who must use it."""

    name = "twofactor"
    verbose_name = _("Two-factor login")


class TwoFactorAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with TwoFactorAdminSite as `admin.site` (in INSTALLED_APPS)."""

    default = False
    default_site = "twofactor.sites.TwoFactorAdminSite"
