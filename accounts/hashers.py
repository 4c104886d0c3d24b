"""The password hasher: Argon2id with parameters measured for this site."""

from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Argon2id at OWASP's recommended configuration: 19 MiB, 2 passes, 1 lane.

    Django's defaults (100 MiB, 2 passes, 8 lanes) cost 155-355 ms a hash on the 2-core
    machines this site runs on: one form making the accounts of a class of 60 took
    10-15 s (one hash per child). These parameters cost about 31 ms a hash, and are the first
    of OWASP's equivalent Argon2id settings (Password Storage Cheat Sheet). A hash made with
    other parameters still verifies, and is remade with these at its owner's next login
    (`must_update`).
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
