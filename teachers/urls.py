from accounts.urls import role_urlpatterns
from students.apps import StudentsConfig

from .apps import TeachersConfig

app_name = "teachers"
urlpatterns = role_urlpatterns(TeachersConfig.role, directory_role=StudentsConfig.role)
