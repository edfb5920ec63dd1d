"""The accessibility statement in the jobcentre's admin: one row, never deleted. The admin
site is shared with the platform (public schema), which has no such table: there the model
is not shown at all."""

from django.contrib import admin
from django.db import connection
from django_tenants.utils import get_public_schema_name

from .models import AccessibilityStatement


def _in_jobcentre() -> bool:
    return connection.schema_name != get_public_schema_name()


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "was_url", "updated_at"]

    def has_module_permission(self, request):
        return _in_jobcentre() and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _in_jobcentre() and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _in_jobcentre() and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return (
            _in_jobcentre()
            and super().has_add_permission(request)
            and not AccessibilityStatement.objects.exists()
        )

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False
