"""What the audit trail records: the models registered with django-auditlog, and the
entries that make up one object's history."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

from accounts import roles
from accounts.models import User

# Never the password hash (its change is an event of its own, "password changed"); not every
# login's last_login either.
USER_EXCLUDE = ["password", "last_login"]


def register_models() -> None:
    """Register accounts (the user model and every role's proxy: one content type, the
    user's), role profiles, classes and enrollments."""
    for model in [User, *(config.proxy for config in roles.registered())]:
        auditlog.register(model, exclude_fields=[*USER_EXCLUDE, *_reverse_relations(User)])
    for config in roles.registered():
        auditlog.register(config.profile_model)
    # A join code lets anyone into the class: the trail says it changed, not what it is.
    classroom = apps.get_model("classrooms", "Classroom")
    auditlog.register(
        classroom,
        exclude_fields=_reverse_relations(classroom),
        mask_fields=["join_code"],
        mask_callable="audit.registry.hide",
    )
    auditlog.register(apps.get_model("classrooms", "Enrollment"))


def _reverse_relations(model: type[Model]) -> list[str]:
    # Other tables' rows pointing here (sessions, enrollments, classes taught) are not this
    # row's fields: auditlog would log each as "app.Model.None".
    return [
        field.name
        for field in model._meta.get_fields()
        if field.auto_created and not field.concrete
    ]


def hide(value: str) -> str:
    """Mask a secret entirely (auditlog's default keeps half of it)."""
    return "••••" if value and value != "None" else ""


def history(obj: Model) -> Q:
    """Return the entries that make up the history of `obj`: an account (with its profile and
    enrollments) or a class (with its enrollments)."""
    content_types = ContentType.objects.get_for_models(
        User, *(config.profile_model for config in roles.registered())
    )
    enrollment = ContentType.objects.get_for_model(apps.get_model("classrooms", "Enrollment"))
    if isinstance(obj, User):
        mine = Q(content_type__in=content_types.values(), object_pk=str(obj.pk))
        return mine | Q(content_type=enrollment, additional_data__student=obj.pk)
    return Q(content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)) | Q(
        content_type=enrollment, additional_data__classroom=obj.pk
    )
