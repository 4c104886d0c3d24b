from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_readonly import ReadOnlyAdminMixin

from .models import UserSession


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Staff see who is signed in where; read-only, and never the session key (a credential)."""

    list_display = ("user", "device", "ip_address", "created_at", "last_active")
    list_select_related = ("user",)
    list_filter = ("last_active",)
    search_fields = ("user__username", "ip_address")
    ordering = ("-last_active",)
    date_hierarchy = "last_active"
    fields = ("user", "device", "user_agent", "ip_address", "created_at", "last_active")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("browser and system"))
    def device(self, obj: UserSession) -> str:
        return obj.device
