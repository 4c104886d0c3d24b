from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from . import roles, views


def role_urlpatterns(
    role: str, *, home_view: type[views.HomeView] = views.HomeView
) -> list[URLPattern]:
    """Return a role app's pages: register, login, and its home (`home_view`).

    The role app includes them under its own label as namespace (`app_name`), where the
    core finds them, and keeps its home's template as `<label>/home.html`.
    """
    return [
        path("register/", views.RegisterView.as_view(role=role), name="register"),
        path("login/", views.LoginView.as_view(role=role), name="login"),
        path("home/", home_view.as_view(role=role), name="home"),
    ]


def directory_urlpatterns() -> list[URLPattern]:
    """Return the directory of every role, `<label>/` named by the label (`directory:<label>`)."""
    return [
        path(f"{config.label}/", views.DirectoryView.as_view(role=config.role), name=config.label)
        for config in roles.registered()
    ]


# Django's own URL names (login, password_reset, …), so its views and emails find them.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "register/pending/",
        views.RegistrationPendingView.as_view(),
        name="registration_pending",
    ),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # My account: the user's own details, address and data.
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("email/", views.EmailChangeView.as_view(), name="email_change"),
    path("email/confirm/<str:token>/", views.EmailConfirmView.as_view(), name="email_confirm"),
    path("data/", views.DataExportView.as_view(), name="data_export"),
]
