"""Two-factor setup and removal, under /accounts/2fa/."""

app_name = "twofactor"
urlpatterns: list = []
