from django.urls import path

from accounts import views
from teachers.apps import TeachersConfig

from .apps import StudentsConfig

app_name = "students"  # the app's label: the core finds the role's pages by it
role = StudentsConfig.role
urlpatterns = [
    path("register/", views.RegisterView.as_view(role=role), name="register"),
    path("login/", views.LoginView.as_view(role=role), name="login"),
    path(
        "home/",
        views.HomeView.as_view(
            role=role, directory_role=TeachersConfig.role, template_name="students/home.html"
        ),
        name="home",
    ),
]
