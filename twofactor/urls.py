"""Two-factor setup and removal, and the second step of a login, under /accounts/2fa/."""

from django.urls import path

from . import views

app_name = "twofactor"
urlpatterns = [
    path("", views.SetupView.as_view(), name="setup"),
    path("disable/", views.DisableView.as_view(), name="disable"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
]
