"""The audit trail in the admin: every entry, read-only, and each account's and class's
history (the change page's "History" button)."""

from __future__ import annotations

from urllib.parse import urlencode

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.admin_readonly import ReadOnlyAdminMixin
from accounts.pagination import LookaheadPaginator

from .context import OPERATOR_PREFIX
from .registry import history

if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)  # auditlog's own: editable search over every field


class HistoryMixin:
    """The change page's "History" opens the audit entries of the object (read-only)."""

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        query = {ObjectFilter.parameter_name: f"{obj._meta.label_lower}:{obj.pk}"}
        return HttpResponseRedirect(
            f"{reverse('admin:auditlog_logentry_changelist')}?{urlencode(query)}"
        )


class ObjectFilter(admin.SimpleListFilter):
    """The history of one object (`?object=accounts.user:42`), as HistoryMixin links to it."""

    title = _("object")
    parameter_name = "object"

    def lookups(self, request, model_admin):
        # Reached from a change page's History button: the sidebar names the object, and
        # offers only to leave it.
        if not self.value():
            return []
        label, _sep, pk = self.value().partition(":")
        try:
            self.object = apps.get_model(label)._default_manager.get(pk=pk)
        except (LookupError, ValueError, ObjectDoesNotExist):
            self.object = None
            return [(self.value(), _("(deleted)"))]
        return [(self.value(), f"{capfirst(self.object._meta.verbose_name)}: {self.object}")]

    def queryset(self, request, queryset):
        # Applied only with a value: without one, lookups() is empty and the filter unused.
        if self.object is None:
            return queryset.none()
        return queryset.filter(history(self.object))


class ModelFilter(admin.SimpleListFilter):
    """The audited models only (a role's accounts are the user model's entries)."""

    title = _("model")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        models = {model._meta.concrete_model for model in auditlog.get_models()}
        content_types = ContentType.objects.get_for_models(*models)
        return sorted(
            (
                (str(ct.pk), capfirst(model._meta.verbose_name))
                for model, ct in content_types.items()
            ),
            key=lambda choice: choice[1],
        )

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        known = {value for value, _label in self.lookup_choices}
        return (
            queryset.filter(content_type_id=self.value())
            if self.value() in known
            else queryset.none()
        )


class ActorFilter(admin.SimpleListFilter):
    """Who made the change: staff, a role's user, an operator's command, or nobody logged in."""

    title = _("actor")
    parameter_name = "actor_kind"

    def lookups(self, request, model_admin):
        return [
            ("staff", _("Staff")),
            *((config.role, roles.label(config.role)) for config in roles.registered()),
            ("operator", _("Operator (manage.py)")),
            ("none", _("No one logged in")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case None:
                return queryset
            case "staff":
                return queryset.filter(actor__is_staff=True)
            case "operator":
                return queryset.filter(actor=None, actor_email__startswith=OPERATOR_PREFIX)
            case "none":
                return queryset.filter(actor=None).exclude(actor_email__startswith=OPERATOR_PREFIX)
            case role:
                return queryset.filter(actor__role=role, actor__is_staff=False)


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every entry of the audit trail: read-only, at the scale of years of a whole school."""

    list_display = ("timestamp", "who", "object_repr", "event", "what", "action", "content_type")
    list_filter = (ObjectFilter, ActorFilter, ModelFilter, "action", "timestamp")
    search_fields = ("object_repr", "actor__username", "actor_email")
    list_select_related = ("actor", "content_type")
    show_full_result_count = False
    fields = (
        "timestamp",
        "who",
        "action",
        "event",
        "content_type",
        "object_pk",
        "object_repr",
        "what",
        "additional_data",
        "remote_addr",
    )
    readonly_fields = fields

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # Counting 100,000s of entries costs more than showing a page of them.
        paginator = LookaheadPaginator(queryset, per_page, orphans, allow_empty_first_page)
        paginator.expect_page(request.GET.get(PAGE_VAR, 1))
        return paginator

    @admin.display(description=_("actor"), ordering="actor__username")
    def who(self, entry: LogEntry) -> str:
        if entry.actor is not None:
            return entry.actor.get_username()
        return (entry.actor_email or "").removeprefix(OPERATOR_PREFIX) or "-"

    @admin.display(description=_("event"))
    def event(self, entry: LogEntry) -> str:
        return (entry.additional_data or {}).get("event", "")

    @admin.display(description=_("changes"))
    def what(self, entry: LogEntry) -> str:
        counts = (entry.additional_data or {}).get("counts")
        if counts:
            return ", ".join(f"{name}: {count}" for name, count in counts.items())
        # No many-to-many field is registered: every change is [old, new].
        changes = ((field, old, new) for field, (old, new) in entry.changes_dict.items())
        return format_html_join("", "<div>{}: {} → {}</div>", changes) or "-"
