"""Admin pages that staff may read but nobody edits there: records kept by the system."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """No add, change or delete in the admin; the view permission still decides who reads."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
