import getpass
import os

from django.core.exceptions import ValidationError

from accounts import roles
from accounts.forms import RegistrationForm
from accounts.management.base import BadInput, BadUsage, OperatorCommand

PASSWORD_VARIABLE = "SCHOOL_PASSWORD"


def profile_options() -> dict[str, tuple[str, list[str]]]:
    """Return each profile field of any role: its label and the roles that need it."""
    options: dict[str, tuple[str, list[str]]] = {}
    for config in roles.registered():
        for name in config.profile_fields:
            field = config.profile_model._meta.get_field(name)
            options.setdefault(name, (str(field.verbose_name), []))[1].append(config.role_name)
    return options


class Command(OperatorCommand):
    help = (
        "Create one account of a role together with its profile, checked like the sign-up "
        "form. The password is asked twice at a prompt, or read from the "
        f"{PASSWORD_VARIABLE} environment variable with --no-input; it is never echoed, "
        "printed or logged, and must pass the site's password validators. Its owner must "
        "choose their own password when they first log in, unless --no-must-change. This "
        "command never makes staff or superusers."
    )

    def add_arguments(self, parser):
        self.add_role_argument(parser)
        parser.add_argument(
            "--username", required=True, help="Login name, unique regardless of case."
        )
        email_roles = [config.role_name for config in roles.registered() if config.email_required]
        parser.add_argument(
            "--email",
            default="",
            help="Email address, unique regardless of case; required for a "
            f"{' or '.join(email_roles)}, optional otherwise.",
        )
        parser.add_argument("--first-name", default="", help="Given name (optional).")
        parser.add_argument("--last-name", default="", help="Family name (optional).")
        for name, (label, role_labels) in profile_options().items():
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                dest=name,
                help=f"The {label}; required for a {' or '.join(role_labels)}, refused otherwise.",
            )
        parser.add_argument(
            "--no-must-change",
            action="store_false",
            dest="must_change_password",
            help="Let the owner keep this password: by default they must choose their own "
            "at their first login.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=f"Do not prompt: read the password from the {PASSWORD_VARIABLE} variable.",
        )

    def handle(self, *, role, interactive, must_change_password, verbosity, **options):
        config = roles.get(role)
        if config.email_required and not options["email"]:
            raise BadUsage(f"--email is required for a {config.role_name}.")
        for name in profile_options():
            option = f"--{name.replace('_', '-')}"
            if name in config.profile_fields and options[name] is None:
                raise BadUsage(f"{option} is required for a {config.role_name}.")
            if name not in config.profile_fields and options[name] is not None:
                raise BadUsage(f"{option} does not apply to a {config.role_name}.")
        password = self._password(interactive)
        # Staff's form: someone other than the owner chose this password.
        form = RegistrationForm.for_staff(config.role)(
            data={
                **{
                    name: options[name] for name in ("username", "email", "first_name", "last_name")
                },
                **{name: options[name] for name in config.profile_fields},
                "password1": password,
                "password2": password,
                "must_change_password": must_change_password,
            }
        )
        if not form.is_valid():
            raise BadInput("Nothing created.\n" + _messages(form.errors.as_data()))
        try:
            user = form.save()  # the account service: user and profile, atomically
        except ValidationError as exc:  # a name taken since the form checked it
            raise BadInput("Nothing created.\n" + _messages(exc.error_dict)) from None
        if verbosity > 0:
            then = " They choose their own password at first login." if must_change_password else ""
            self.stdout.write(
                self.style.SUCCESS(f"Created {config.role_name} {user.get_username()}.{then}")
            )

    def _password(self, interactive: bool) -> str:
        if not interactive:
            if not (password := os.environ.get(PASSWORD_VARIABLE, "")):
                raise BadUsage(f"--no-input needs the password in {PASSWORD_VARIABLE}.")
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise BadInput("The two passwords differ. Nothing created.")
        return password


def _messages(errors: dict[str, list[ValidationError]]) -> str:
    # The form names the password fields password1/password2; an operator typed "the password".
    names = {"password1": "password", "password2": "password", "__all__": "error"}
    return "\n".join(
        f"{names.get(field, field)}: {message}"
        for field, field_errors in errors.items()
        for error in field_errors
        for message in error.messages
    )
