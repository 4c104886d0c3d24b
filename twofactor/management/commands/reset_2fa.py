from django.contrib.auth import get_user_model

from accounts.management.base import BadInput, OperatorCommand
from twofactor.services import twofactor_reset


class Command(OperatorCommand):
    help = (
        "Remove a user's two-factor login (authenticator and recovery codes), say when they "
        "lost their phone, and end all their sessions. They log in with their password alone "
        "next time; if two-factor is required for them, they set it up again then."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user's login name, in any letter case.")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise BadInput(f"No user is called {username!r}; nothing changed.") from None
        devices, sessions = twofactor_reset(user=user)
        if not devices:
            self.stdout.write(
                f"{user.get_username()} had no two-factor login; ended {sessions} session(s)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed two-factor login of {user.get_username()} ({devices} device(s)) "
                f"and ended {sessions} session(s)."
            )
        )
