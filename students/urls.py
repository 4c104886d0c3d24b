from accounts.urls import role_urlpatterns
from classrooms.views import StudentHomeView

from .apps import StudentsConfig

app_name = "students"
urlpatterns = role_urlpatterns(StudentsConfig.role, home_view=StudentHomeView)
