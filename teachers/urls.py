from accounts.urls import role_urlpatterns
from classrooms.views import TeacherHomeView

from .apps import TeachersConfig

app_name = "teachers"
urlpatterns = role_urlpatterns(TeachersConfig.role, home_view=TeacherHomeView)
