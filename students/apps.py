from django.utils.translation import gettext_lazy as _

from accounts.apps import RoleAppConfig


class StudentsConfig(RoleAppConfig):
    name = "students"
    role = "student"
    proxy_model = "Student"
    profile_model = "StudentProfile"
    profile_fields = ("grade",)
    summary = _("Find your teachers and what they teach.")
