from functools import cached_property

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.admin import HistoryMixin
from audit.services import audit_bulk

from . import bulk, roles, services
from .admin_import import ImportView
from .forms import AdminPasswordChangeForm, RegistrationForm
from .models import User

admin.site.site_header = _("School administration")
admin.site.site_title = _("School admin")
admin.site.index_title = _("Accounts and roles")

# Whether the account's owner must replace a password that someone else set, next to it.
ACCOUNT = (None, {"fields": ("username", "password", "must_change_password", "role")})
PERSONAL = (_("Personal info"), {"fields": ("first_name", "last_name", "email")})
DATES = (_("Important dates"), {"fields": ("last_login", "date_joined")})


@admin.register(User)
class UserAdmin(HistoryMixin, DjangoUserAdmin):
    """Every account, whatever its role; new accounts made here are staff-side admins."""

    list_display = ("username", "email", "first_name", "last_name", "role", "is_staff", "is_active")
    list_filter = (
        "role",
        "is_staff",
        "is_superuser",
        "is_active",
        "must_change_password",
        "date_joined",
    )
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)
    # The role is fixed at creation: changing it would strand or mismatch the profile.
    readonly_fields = ("role", "last_login", "date_joined")
    fieldsets = (ACCOUNT, *DjangoUserAdmin.fieldsets[1:])
    show_full_result_count = False
    # Staff who set a password choose whether its owner must change it (on by default);
    # the account's address is told of the new password.
    change_password_form = AdminPasswordChangeForm
    change_user_password_template = "admin/accounts/user/change_password.html"


class ProfileInline(admin.StackedInline):
    """The profile on a role user's change page: exactly one, never deleted on its own."""

    can_delete = False
    min_num = 1
    max_num = 1


class RoleUserAdmin(UserAdmin):
    """The accounts of one role (the admin's model is the role's proxy), with its profile.

    Built for schools of 100,000 accounts a role: one query per page for the rows and their
    profiles (`list_select_related`), no full count, and bulk actions instead of deletion.
    The add form is the role's registration form (`RegistrationForm.for_staff`: with "must
    change at next login", on by default): it makes the user and, in `save_m2m()`, the
    profile. A subclass declares the profile's columns, filters and inline.
    """

    actions = ("activate", "approve", "deactivate", "export_csv", "send_password_reset")
    fieldsets = (
        ACCOUNT,
        PERSONAL,
        (_("Status"), {"fields": ("is_active",)}),
        DATES,
    )

    # The changelist with an "Import CSV" button (templates/admin/accounts/).
    change_list_template = "admin/accounts/role_change_list.html"

    @cached_property
    def config(self) -> roles.RoleAppConfig:
        return self.model._meta.app_config

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        view = self.admin_site.admin_view(ImportView(self))
        return [path("import/", view, name=name), *super().get_urls()]

    def has_import_permission(self, request) -> bool:
        # An import may create and update accounts (the mode is chosen after the upload).
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra = {"has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    @cached_property
    def add_form(self) -> type[RegistrationForm]:
        return RegistrationForm.for_staff(self.config.role)

    @cached_property
    def add_fieldsets(self) -> tuple:
        fields = [*self.add_form.field_names(), "must_change_password"]
        return ((None, {"classes": ("wide",), "fields": fields}),)

    def get_inlines(self, request, obj):
        return super().get_inlines(request, obj) if obj else []  # the add form has the profile

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting an account loses its history; deactivate it instead. Superusers can
        # still delete one account from its change page.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Activate the selected accounts"), permissions=["change"])
    def activate(self, request, queryset):
        count = services.users_set_active(queryset, active=True)
        audit_bulk(model=self.model, operation="activate", counts={"activated": count})
        message = ngettext("Activated %d account.", "Activated %d accounts.", count)
        self.message_user(request, message % count)

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = services.users_set_active(queryset, active=False)
        audit_bulk(model=self.model, operation="deactivate", counts={"deactivated": count})
        message = ngettext("Deactivated %d account.", "Deactivated %d accounts.", count)
        self.message_user(request, message % count)

    @admin.action(
        description=_("Approve the selected registrations (activate and email them)"),
        permissions=["change"],
    )
    def approve(self, request, queryset):
        approved, mailing = services.users_approve(
            queryset, login_url=request.build_absolute_uri(self.config.login_url)
        )
        audit_bulk(model=self.model, operation="approve", counts={"approved": approved})
        if not approved:
            message = _("None of the selected accounts was awaiting approval.")
            self.message_user(request, message, messages.WARNING)
            return
        message = ngettext("Approved %d account.", "Approved %d accounts.", approved) % approved
        self.message_user(request, f"{message} {mailing_message(mailing)}", messages.SUCCESS)

    @admin.action(
        description=_("Export the selected accounts as CSV (import format)"),
        permissions=["view"],
    )
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{self.config.proxy._meta.model_name}s-{timezone.now():%Y%m%d-%H%M}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        bulk.users_export(role=self.config.role, file=response, queryset=queryset)
        return response

    @admin.action(description=_("Send password reset emails"), permissions=["change"])
    def send_password_reset(self, request, queryset):
        mailing = services.password_reset_send(queryset, request=request)
        audit_bulk(
            model=self.model,
            operation="password reset emails",
            counts={
                "queued": mailing.queued,
                "no address": mailing.no_address,
                "inactive": mailing.inactive,
            },
        )
        level = messages.SUCCESS if mailing.queued else messages.WARNING
        self.message_user(request, mailing_message(mailing), level)


def mailing_message(mailing: services.Mailing) -> str:
    """Say how many emails were queued, and how many accounts were skipped and why."""
    queued = mailing.queued
    parts = [
        ngettext(
            "Queued %d email; it is sent in the background.",
            "Queued %d emails; they are sent in the background.",
            queued,
        )
        % queued
    ]
    if mailing.skipped:
        reasons = []
        if mailing.no_address:
            reasons.append(_("%d without an email address") % mailing.no_address)
        if mailing.inactive:
            reasons.append(_("%d inactive") % mailing.inactive)
        skipped = ngettext(
            "Skipped %(count)d account: %(reasons)s.",
            "Skipped %(count)d accounts: %(reasons)s.",
            mailing.skipped,
        )
        parts.append(skipped % {"count": mailing.skipped, "reasons": ", ".join(reasons)})
    return " ".join(parts)
