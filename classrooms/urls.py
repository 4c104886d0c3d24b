from django.urls import path

from . import views

app_name = "classrooms"
urlpatterns = [
    path("join/", views.JoinView.as_view(), name="join"),
    # <code>, not <str:code>: the same converter, and the access table's SAMPLE_KWARGS finds it.
    path("join/<code>/", views.JoinLinkView.as_view(), name="join_link"),
]
