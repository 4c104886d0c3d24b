from django.urls import path

from . import views

app_name = "classrooms"
urlpatterns = [
    path("new/", views.ClassroomCreateView.as_view(), name="new"),
    path("join/", views.JoinView.as_view(), name="join"),
    # <code>, not <str:code>: the same converter, and the access table's SAMPLE_KWARGS finds it.
    path("join/<code>/", views.JoinLinkView.as_view(), name="join_link"),
    path("<int:pk>/", views.ClassroomDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ClassroomUpdateView.as_view(), name="edit"),
    path("<int:pk>/code/", views.JoinCodeResetView.as_view(), name="code"),
    path("<int:pk>/students/add/", views.StudentsAddView.as_view(), name="students_add"),
    path("<int:pk>/students/new/", views.StudentsCreateView.as_view(), name="students_new"),
    path(
        "<int:pk>/students/<int:student_id>/password/",
        views.StudentPasswordView.as_view(),
        name="student_password",
    ),
    path(
        "<int:pk>/students/<int:student_id>/remove/",
        views.StudentRemoveView.as_view(),
        name="student_remove",
    ),
]
