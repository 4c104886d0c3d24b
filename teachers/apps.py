from django.utils.translation import gettext_lazy as _

from accounts.apps import RoleAppConfig


class TeachersConfig(RoleAppConfig):
    name = "teachers"
    role = "teacher"
    proxy_model = "Teacher"
    profile_model = "TeacherProfile"
    profile_fields = ("subject",)
    summary = _("Browse and search every student in the school.")
    signup_setting = "TEACHER_SIGNUP"
