from accounts.urls import role_urlpatterns
from teachers.apps import TeachersConfig

from .apps import StudentsConfig

app_name = "students"
urlpatterns = role_urlpatterns(StudentsConfig.role, directory_role=TeachersConfig.role)
