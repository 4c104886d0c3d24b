from functools import cached_property
from typing import ClassVar

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import bulk, roles, services
from .forms import RegistrationForm
from .models import Role, User

admin.site.site_header = _("School administration")
admin.site.site_title = _("School admin")
admin.site.index_title = _("Accounts and roles")

PERSONAL = (_("Personal info"), {"fields": ("first_name", "last_name", "email")})
DATES = (_("Important dates"), {"fields": ("last_login", "date_joined")})


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Every account, whatever its role; new accounts made here are staff-side admins."""

    list_display = ("username", "email", "first_name", "last_name", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_superuser", "is_active", "date_joined")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)
    # The role is fixed at creation: changing it would strand or mismatch the profile.
    readonly_fields = ("role", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password", "role")}),
        *DjangoUserAdmin.fieldsets[1:],
    )
    show_full_result_count = False


class ProfileInline(admin.StackedInline):
    can_delete = False
    min_num = 1
    max_num = 1


class RoleUserAdmin(UserAdmin):
    """The accounts of one role, with its profile; the add form makes user and profile.

    Built for schools of 100,000 students: one query per page for the rows and their
    profiles, no full count, and bulk actions instead of deletion.
    """

    role: ClassVar[Role]
    actions = ("activate", "approve", "deactivate", "export_csv", "send_password_reset")
    fieldsets = (
        (None, {"fields": ("username", "password", "role")}),
        PERSONAL,
        (_("Status"), {"fields": ("is_active",)}),
        DATES,
    )

    @cached_property
    def config(self) -> roles.RoleConfig:
        return roles.get(self.role)

    def _profile_paths(self) -> tuple[str, ...]:
        return tuple(
            f"{self.config.profile_accessor}__{name}" for name in self.config.profile_fields
        )

    @cached_property
    def _profile_columns(self) -> tuple:
        """Return a sortable changelist column per profile field, headed by its own name."""
        accessor = self.config.profile_accessor

        def column(name: str, path: str):
            field = self.config.profile_model._meta.get_field(name)

            @admin.display(description=field.verbose_name.capitalize(), ordering=path)
            def value(user):
                return getattr(getattr(user, accessor, None), name, None)

            value.__name__ = path  # keeps the cell's CSS class, field-<path>
            return value

        names = self.config.profile_fields
        return tuple(
            column(name, path) for name, path in zip(names, self._profile_paths(), strict=True)
        )

    def get_list_display(self, request):
        return ("username", "email", "first_name", "last_name", *self._profile_columns, "is_active")

    def get_list_filter(self, request):
        return (*self._profile_paths(), "is_active", "date_joined")

    def get_list_select_related(self, request):
        return (self.config.profile_accessor,)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fields = RegistrationForm.for_role(self.role).field_names()
            return ((None, {"classes": ("wide",), "fields": fields}),)
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = RegistrationForm.for_role(self.role)
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        if obj is None:
            return []  # the add form carries the profile fields itself
        model = self.config.profile_model
        return [type(f"{model.__name__}Inline", (ProfileInline,), {"model": model})]

    # On add, the form's save() runs the account service (user and profile, atomically);
    # there is nothing left for the admin to save.
    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting an account loses its history; deactivate it instead. Superusers can
        # still delete one account from its change page.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Activate the selected accounts"), permissions=["change"])
    def activate(self, request, queryset):
        count = services.users_set_active(queryset, active=True)
        message = ngettext("Activated %d account.", "Activated %d accounts.", count)
        self.message_user(request, message % count)

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = services.users_set_active(queryset, active=False)
        message = ngettext("Deactivated %d account.", "Deactivated %d accounts.", count)
        self.message_user(request, message % count)

    @admin.action(
        description=_("Approve the selected registrations (activate and email them)"),
        permissions=["change"],
    )
    def approve(self, request, queryset):
        count = services.users_approve(
            queryset, login_url=request.build_absolute_uri(self.config.login_url)
        )
        self.message_user(
            request,
            ngettext("Approved %d account.", "Approved %d accounts.", count) % count
            if count
            else _("None of the selected accounts was awaiting approval."),
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(
        description=_("Export the selected accounts as CSV (import format)"),
        permissions=["view"],
    )
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{self.config.proxy._meta.model_name}s-{timezone.now():%Y%m%d-%H%M}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        bulk.users_export(role=self.role, file=response, queryset=queryset)
        return response

    @admin.action(description=_("Send password reset emails"), permissions=["change"])
    def send_password_reset(self, request, queryset):
        count = services.password_reset_send(queryset, request=request)
        message = ngettext("Sent %d password reset email.", "Sent %d password reset emails.", count)
        self.message_user(request, message % count)
