from django.urls import path

from accounts import views
from students.apps import StudentsConfig

from .apps import TeachersConfig

app_name = "teachers"  # the app's label: the core finds the role's pages by it
role = TeachersConfig.role
urlpatterns = [
    path("register/", views.RegisterView.as_view(role=role), name="register"),
    path("login/", views.LoginView.as_view(role=role), name="login"),
    path(
        "home/",
        views.HomeView.as_view(
            role=role, directory_role=StudentsConfig.role, template_name="teachers/home.html"
        ),
        name="home",
    ),
]
