from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_label", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_label", "object_id"]
    date_hierarchy = "at"

    # Append-only: nobody edits or deletes the log through the application.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
