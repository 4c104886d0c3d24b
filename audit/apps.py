from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail (django-auditlog): who changed which account, profile or class, when."""

    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the event receivers)
        from .registry import register_models

        register_models()
