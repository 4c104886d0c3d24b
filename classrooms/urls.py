from django.http import Http404
from django.urls import path

from . import views

app_name = "classrooms"


def _join_link_placeholder(request, code):
    # Placeholder so that the class page can reverse its join link on this branch: the
    # join pages (classrooms:join, classrooms:join_link) come from their own branch, whose
    # route replaces this one.
    raise Http404


urlpatterns = [
    path("new/", views.ClassroomCreateView.as_view(), name="new"),
    path("<int:pk>/", views.ClassroomDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ClassroomUpdateView.as_view(), name="edit"),
    path("<int:pk>/code/", views.JoinCodeResetView.as_view(), name="code"),
    path("<int:pk>/students/add/", views.StudentsAddView.as_view(), name="students_add"),
    path(
        "<int:pk>/students/<int:student_id>/remove/",
        views.StudentRemoveView.as_view(),
        name="student_remove",
    ),
    path("join/<str:code>/", _join_link_placeholder, name="join_link"),
]
