"""The sessions page, /accounts/sessions/."""

from django.urls import path

from . import views

app_name = "usersessions"
urlpatterns = [
    path("", views.SessionListView.as_view(), name="list"),
]
