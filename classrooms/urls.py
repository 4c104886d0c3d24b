from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "classrooms"
urlpatterns = [
    # PLACEHOLDER (cls-join branch only): the class page is built on another branch; this
    # route exists so that redirect("classrooms:detail") resolves here. Drop it on merge.
    path("<int:pk>/", TemplateView.as_view(template_name="base.html"), name="detail"),
    path("join/", views.JoinView.as_view(), name="join"),
    # <code>, not <str:code>: the same converter, and the access table's SAMPLE_KWARGS finds it.
    path("join/<code>/", views.JoinLinkView.as_view(), name="join_link"),
]
