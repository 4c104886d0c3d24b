"""One-time passwords: chosen by someone else for a user, who must replace it after logging in.

A child types it from a printed card, so it avoids look-alikes and capitals: 9 characters
from 31 symbols (lower-case letters without i, l, o, and the digits 2 to 9), shown in three
groups of three (`abc-def-ghj`; the dashes are part of it). 31^9 ≈ 2.6e13: about 44.6
bits. Online guessing meets the login lockout long before that matters.
"""

import math
import os
import secrets
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import make_password

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS = 3
GROUP_LENGTH = 3
ENTROPY_BITS = GROUPS * GROUP_LENGTH * math.log2(len(ALPHABET))


def one_time_password() -> str:
    """Return a new random one-time password, like `k7m-p2x-rde`."""
    return "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)
    )


def hash_passwords(passwords: list[str]) -> list[str]:
    """Return the hashes of `passwords`, in order, computed on every core at once.

    One Argon2 hash is most of the cost of an account made for someone else; Argon2 runs in
    C without the GIL, so threads hash a class of 60 in about half the time on two cores.
    """
    workers = min(len(passwords), len(os.sched_getaffinity(0))) or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(make_password, passwords))
