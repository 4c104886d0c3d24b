"""The sessions page, /accounts/sessions/."""

app_name = "usersessions"
urlpatterns: list = []
