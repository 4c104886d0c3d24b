"""Who the actor is when no one is logged in: the operator of a manage.py command."""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Iterator

from auditlog.context import set_extra_data

# An operator's entries have no actor (no account) and this in actor_email.
OPERATOR_PREFIX = "operator:"


def operator_name() -> str:
    """Return the OS user running this process (its uid when it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user with no passwd entry
        return str(os.getuid())


@contextlib.contextmanager
def operator(command: str) -> Iterator[None]:
    """Record the entries written inside as made by the operator running `command`."""
    label = f"{OPERATOR_PREFIX}{operator_name()} (manage.py {command})"
    with set_extra_data({"actor": None, "actor_email": label[:254]}):
        yield
