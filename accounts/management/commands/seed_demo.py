import argparse
import csv
import io
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.text import slugify
from faker import Faker

from accounts import bulk
from accounts.management.base import OperatorCommand
from accounts.models import Role, User

# Published in the README and printed below: which is why production refuses this command.
DEMO_PASSWORD = "demo-password-2024"
SUBJECTS = [
    "Mathematics",
    "English",
    "History",
    "Biology",
    "Chemistry",
    "Physics",
    "Art",
    "Music",
    "Geography",
    "Computer science",
    "French",
    "Spanish",
    "Physical education",
]


def count(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 100_000:
        raise argparse.ArgumentTypeError("must be between 0 and 100000")
    return number


class Command(OperatorCommand):
    help = (
        "Create demo students and teachers with realistic names (Faker), all with the "
        f"password {DEMO_PASSWORD!r}, and print their logins. Refused under production "
        "settings (DEMO_DATA_ALLOWED is off there). Never creates staff or superusers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--students", type=count, default=20, help="How many students (default 20)."
        )
        parser.add_argument(
            "--teachers", type=count, default=5, help="How many teachers (default 5)."
        )
        parser.add_argument("--seed", type=int, help="Seed the random names, for repeatable data.")

    def handle(self, *, students, teachers, seed, verbosity, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Refusing to make demo accounts (public passwords) under these settings."
            )
        fake = Faker()
        rng = random.Random(seed)
        if seed is not None:
            fake.seed_instance(seed)
        password_hash = make_password(DEMO_PASSWORD)  # one hash for every demo account
        made = {}
        with transaction.atomic():
            for role, number, profile in (
                (Role.TEACHER, teachers, lambda: {"subject": rng.choice(SUBJECTS)}),
                (Role.STUDENT, students, lambda: {"grade": rng.randint(1, 12)}),
            ):
                rows = self._rows(fake, role, number, profile)
                if rows:
                    # Through the importer: the same checks and bulk writes as real data.
                    file = io.StringIO()
                    writer = csv.DictWriter(file, [*bulk.columns(role), bulk.PASSWORD_HASH])
                    writer.writeheader()
                    writer.writerows({**row, bulk.PASSWORD_HASH: password_hash} for row in rows)
                    file.seek(0)
                    bulk.users_import(role=role, file=file)
                made[role] = [row["username"] for row in rows]
        if verbosity > 0:
            for role, usernames in made.items():
                for username in usernames:
                    self.stdout.write(f"{role.label.lower():8} {username}")
            self.stdout.write(f"Every demo account's password is {DEMO_PASSWORD!r}.")

    @staticmethod
    def _rows(fake: Faker, role: Role, number: int, profile) -> list[dict]:
        # Numbered after the accounts already there, so running the command twice works.
        start = User.objects.count() + 1
        rows = []
        for n in range(start, start + number):
            first, last = fake.first_name(), fake.last_name()
            username = f"{slugify(first)}.{slugify(last)}{n}"
            rows.append(
                {
                    "username": username,
                    "email": f"{username}@example.com",
                    "first_name": first,
                    "last_name": last,
                    **profile(),
                }
            )
        return rows
