"""Signed links that change an account's email address (/accounts/email/confirm/<token>/).

Nothing is stored: the link carries the account, the new address and a keyed hash of the
address the account had when the change was asked, signed with the SECRET_KEY and a
timestamp. So a link is void once it is MAX_AGE old, once anything in it is altered, and once
the account's address changes, by this link (single use) or otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "accounts.email_change"
MAX_AGE = timedelta(days=3)


@dataclass(frozen=True)
class EmailChange:
    """What a genuine, unexpired link asks: give the account `user_id` the address `email`."""

    user_id: int
    email: str
    address_stamp: str

    def is_for(self, user) -> bool:
        """Whether the link was made for `user`'s account with its address as it is now."""
        return self.user_id == user.pk and constant_time_compare(
            self.address_stamp, address_stamp(user)
        )


def address_stamp(user) -> str:
    """Return a keyed hash of `user`'s current address: the link names it without showing it
    (the link goes to the new address, which may be someone else's by a typing mistake)."""
    value = f"{user.pk}:{user.email}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]


def make(user, email: str) -> str:
    """Return a token asking to change `user`'s address to `email`."""
    payload = {"u": user.pk, "e": email, "a": address_stamp(user)}
    return signing.dumps(payload, salt=SALT, compress=True)


def read(token: str) -> EmailChange | None:
    """Return the change `token` asks for, or None if it is forged, altered or expired."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return None
    return EmailChange(user_id=payload["u"], email=payload["e"], address_stamp=payload["a"])
