from django.contrib import admin
from django.urls import include, path

from accounts.urls import directory_urlpatterns
from accounts.views import LandingView

from . import views

urlpatterns = [
    path("", LandingView.as_view(), name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/2fa/", include("twofactor.urls")),
    path("accounts/sessions/", include("usersessions.urls")),
    path("accounts/", include("accounts.urls")),
    path("students/", include("students.urls")),
    path("teachers/", include("teachers.urls")),
    path("classes/", include("classrooms.urls")),
    path("directory/", include((directory_urlpatterns(), "directory"))),
    path("admin/", admin.site.urls),
]
