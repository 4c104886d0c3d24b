"""Settings for test_sqlite_concurrency's app processes: the two-instance settings, fast hashing.

Argon2 would spend the test's few seconds hashing; MD5 leaves them to the database writes.
"""

from accounts.tests.instance_settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
