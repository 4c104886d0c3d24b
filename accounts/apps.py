from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"


class RoleAppConfig(AppConfig):
    """The config of an app that adds a role; it registers the role with the core when ready.

    List such an app in INSTALLED_APPS by its config's dotted path ("students.apps.StudentsConfig").
    """

    default = False  # not a config of the accounts app itself

    role: str
    proxy_model: str
    profile_model: str
    # The profile fields a user of the role fills in, in form and CSV order.
    profile_fields: tuple[str, ...]
    # One line for the landing page: what users of this role find on the site.
    summary: str = ""
    # The setting that holds who may sign up as this role (see roles.SignupPolicy).
    signup_setting: str | None = None

    def ready(self) -> None:
        from . import roles
        from .models import Role

        roles.register(
            roles.RoleConfig(
                role=Role(self.role),
                proxy=self.get_model(self.proxy_model),
                profile_model=self.get_model(self.profile_model),
                profile_fields=self.profile_fields,
                namespace=self.label,
                summary=self.summary,
                signup_setting=self.signup_setting,
            )
        )
