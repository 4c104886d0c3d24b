from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleAppConfig


class StudentsConfig(RoleAppConfig):
    name = "students"
    role = "student"
    role_label = _("Student")
    profile_fields = ("grade",)
    summary = _("Find your teachers and what they teach.")
    demo_count = 20

    def demo_profile(self, rng):
        return {"grade": rng.randint(1, 12)}
