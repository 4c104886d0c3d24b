from django.urls import path

from . import views

app_name = "students"
urlpatterns = [
    path("register/", views.StudentRegisterView.as_view(), name="register"),
    path("login/", views.StudentLoginView.as_view(), name="login"),
    path("home/", views.StudentHomeView.as_view(), name="home"),
]
