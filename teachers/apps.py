from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleAppConfig

# What `manage.py seed_demo` gives its demo teachers to teach.
DEMO_SUBJECTS = (
    "Mathematics",
    "English",
    "History",
    "Biology",
    "Chemistry",
    "Physics",
    "Art",
    "Music",
    "Geography",
    "Computer science",
    "French",
    "Spanish",
    "Physical education",
)


class TeachersConfig(RoleAppConfig):
    name = "teachers"
    role = "teacher"
    role_label = _("Teacher")
    profile_fields = ("subject",)
    # A teacher keeps their own subject up to date (/accounts/profile/).
    self_editable_fields = ("subject",)
    summary = _("Run your classes and see who is in them.")
    signup_setting = "TEACHER_SIGNUP"
    two_factor_setting = "TEACHER_2FA"
    demo_count = 5

    def demo_profile(self, rng):
        return {"subject": rng.choice(DEMO_SUBJECTS)}
