from functools import cached_property
from typing import ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import roles
from .forms import RegistrationForm
from .models import Role, User

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
    """The accounts of one role, with its profile; the add form makes user and profile."""

    role: ClassVar[Role]
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
        return tuple(f"{self.config.profile_accessor}__{name}" for name in self.config.profile_fields)

    def get_list_display(self, request):
        return ("username", "email", "first_name", "last_name", *self._profile_paths(), "is_active")

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
        return [type(f"{self.config.profile_model.__name__}Inline", (ProfileInline,), {"model": self.config.profile_model})]

    # On add, the form's save() runs the account service (user and profile, atomically);
    # there is nothing left for the admin to save.
    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)
