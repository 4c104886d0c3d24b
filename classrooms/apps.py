from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomsConfig(AppConfig):
    name = "classrooms"
    verbose_name = _("Classes")

    def ready(self) -> None:
        from accounts import data

        from .data import user_classes

        # Each user's own download (/accounts/data/) lists their classes.
        data.register_section("classes", user_classes)
