from accounts import bulk, roles
from accounts.management.base import ImportCommand


class Command(ImportCommand):
    @property
    def help(self) -> str:
        fields = "; ".join(
            f"{', '.join(config.profile_fields)} for a {config.role_name}"
            for config in roles.registered()
        )
        return (
            "Create accounts of one role from a CSV file: all rows or none. The header row "
            "names the columns username,email,first_name,last_name and the role's profile "
            f"fields ({fields}), optionally password_hash (a Django password hash). Accounts "
            "without a hash have no usable password until their owner sets one through "
            "password reset. Every bad line is reported as 'line N: reason' and the command "
            "exits with 1, writing nothing."
        )

    def add_arguments(self, parser):
        self.add_role_argument(parser)
        self.add_file_arguments(parser)

    def handle(self, *, role, file, dry_run, verbosity, **options):
        count = self.import_file(
            file,
            verbosity=verbosity,
            run=lambda handle, progress: bulk.users_import(
                role=role, file=handle, dry_run=dry_run, progress=progress
            ),
        )
        if verbosity > 0:
            if dry_run:
                self.stdout.write(f"{count} {role} rows are valid; nothing written (dry run).")
            else:
                self.stdout.write(self.style.SUCCESS(f"Imported {count} {role} accounts."))
