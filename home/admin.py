"""The accessibility statement in the jobcentre's admin: one row, never deleted."""

from django.contrib import admin

from .models import AccessibilityStatement


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "was_url", "updated_at"]

    def has_add_permission(self, request):  # noqa: ARG002 - Django's hook
        return not AccessibilityStatement.objects.exists()

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False
