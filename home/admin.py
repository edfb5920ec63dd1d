"""The accessibility statement in the jobcentre's admin: one row, never deleted. The admin
site is shared with the platform (public schema), which has no such table: there the model
is not shown at all."""

from django.contrib import admin

from accounts.admin import JobcentreOnlyAdminMixin

from .models import AccessibilityStatement


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(JobcentreOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "was_url", "updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not AccessibilityStatement.objects.exists()

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False
