from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachersConfig(AppConfig):
    name = "teachers"

    def ready(self) -> None:
        from accounts import roles
        from accounts.models import Role

        from .models import Teacher, TeacherProfile

        roles.register(
            roles.RoleConfig(
                role=Role.TEACHER,
                proxy=Teacher,
                profile_model=TeacherProfile,
                profile_fields=("subject",),
                namespace="teachers",
                summary=_("Browse and search every student in the school."),
            )
        )
