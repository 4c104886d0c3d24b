from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleAppConfig

# The module, not the class: an AppConfig class in this module would be a second config.
from teachers import apps as teachers_apps


class StudentsConfig(RoleAppConfig):
    name = "students"
    role = "student"
    role_label = _("Student")
    profile_fields = ("grade",)
    # The grade is the school's: staff, operators and the school-year rollover change it.
    self_editable_fields = ()
    summary = _("Join your classes and see who teaches them.")
    demo_count = 20
    # Teachers (and staff) look students up by name or username, never by email.
    directory_viewers = (teachers_apps.TeachersConfig.role,)
    directory_fields = ("username",)
    # Young children have no email address: their teacher resets their password.
    email_required = False
    password_reset_help = _("No email address? Ask your teacher to reset your password.")

    def demo_profile(self, rng):
        return {"grade": rng.randint(1, 12)}
