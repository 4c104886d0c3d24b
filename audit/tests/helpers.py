"""What the audit tests read: an object's history, as the admin shows it, and events."""

import getpass
import json

from auditlog.models import LogEntry
from django.db.models import Model

from audit.context import operator_name
from audit.registry import history


def entries(obj: Model) -> list[LogEntry]:
    """Return the history of `obj`, oldest first."""
    return list(LogEntry.objects.filter(history(obj)).order_by("timestamp", "pk"))


def events(obj: Model) -> list[str]:
    return [(entry.additional_data or {}).get("event", "") for entry in entries(obj)]


def operator(command: str) -> str:
    """Return what an operator's entries hold as their actor, for `command`."""
    assert operator_name() == getpass.getuser()
    return f"operator:{getpass.getuser()} (manage.py {command})"


def everything() -> str:
    """Return every entry of the trail as text, to look for what must never be there."""
    return json.dumps(
        list(LogEntry.objects.values("changes", "changes_text", "object_repr", "additional_data")),
        default=str,
    )
