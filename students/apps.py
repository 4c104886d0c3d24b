from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"

    def ready(self) -> None:
        from accounts import roles
        from accounts.models import Role

        from .models import Student, StudentProfile

        roles.register(
            roles.RoleConfig(
                role=Role.STUDENT,
                proxy=Student,
                profile_model=StudentProfile,
                profile_fields=("grade",),
                namespace="students",
                summary=_("Find your teachers and what they teach."),
            )
        )
