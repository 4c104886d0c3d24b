"""Audit entries that are not a model's save: events (a login, a password reset, two-factor)
and bulk operations (one entry with counts, not one per row)."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model


def audit_event(
    *, instance: Model, event: str, actor: Model | None = None, changes: dict | None = None, **data
) -> LogEntry:
    """Record `event` (e.g. "login", "login failed", "2fa enabled") on `instance`.

    The actor is `actor`, or else the one of the context (the request's user, set by
    AuditlogMiddleware; the operator of a command).
    """
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=str(instance)[:2000],
        action=LogEntry.Action.UPDATE,
        changes=changes or {},
        actor=actor,
        additional_data={"event": event, **data},
    )


def audit_bulk(
    *,
    model: type[Model],
    operation: str,
    counts: dict[str, int],
    actor: Model | None = None,
    **data,
) -> LogEntry:
    """Record one bulk operation on `model` (an import, a rollover, an admin action) with its
    counts, instead of one entry per row."""
    summary = ", ".join(f"{name} {count}" for name, count in counts.items())
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",
        object_repr=f"{operation}: {summary}"[:2000],
        action=LogEntry.Action.UPDATE,
        changes={},
        actor=actor,
        additional_data={"event": operation, "counts": counts, **data},
    )
