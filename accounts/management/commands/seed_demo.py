import argparse
import csv
import io
import random
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.text import slugify
from faker import Faker

from accounts import bulk, roles
from accounts.management.base import OperatorCommand
from accounts.models import User

# Published in the README and printed below: which is why production refuses this command.
DEMO_PASSWORD = "demo-password-2024"


def count(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 100_000:
        raise argparse.ArgumentTypeError("must be between 0 and 100000")
    return number


class Command(OperatorCommand):
    help = (
        "Create demo accounts of every role with realistic names (Faker), all with the "
        f"password {DEMO_PASSWORD!r}, and print their logins. Refused under production "
        "settings (DEMO_DATA_ALLOWED is off there). Never creates staff or superusers."
    )

    def add_arguments(self, parser):
        for config in roles.registered():  # --<role>s: how many of each
            plural = config.proxy._meta.verbose_name_plural
            parser.add_argument(
                f"--{config.proxy._meta.model_name}s",
                dest=config.role,
                type=count,
                default=config.demo_count,
                help=f"How many {plural} (default {config.demo_count}).",
            )
        parser.add_argument("--seed", type=int, help="Seed the random names, for repeatable data.")

    def handle(self, *, seed, verbosity, **options):
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
            for config in roles.registered():
                role = config.role
                rows = self._rows(fake, options[role], partial(config.demo_profile, rng))
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
                    self.stdout.write(f"{roles.get(role).role_name:8} {username}")
            self.stdout.write(f"Every demo account's password is {DEMO_PASSWORD!r}.")

    @staticmethod
    def _rows(fake: Faker, number: int, profile) -> list[dict]:
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
