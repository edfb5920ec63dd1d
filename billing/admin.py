from django.contrib import admin

from .models import BillingRun, Statement, StatementLine


class StatementLineInline(admin.TabularInline):
    model = StatementLine
    extra = 0
    can_delete = False
    fields = [
        "position",
        "rule",
        "description",
        "period_start",
        "period_end",
        "quantity",
        "rate",
        "amount",
    ]
    readonly_fields = fields


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """Read-only: statements change only through the billing services."""

    list_display = ["month", "centre", "contract", "kind", "status", "total"]
    list_filter = ["status", "kind", "month"]
    search_fields = ["centre__name", "centre__company__name", "centre__company__cvr"]
    list_select_related = ["centre", "contract__centre"]
    inlines = [StatementLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BillingRun)
class BillingRunAdmin(admin.ModelAdmin):
    list_display = ["month", "state", "requested_by", "created_at", "finished_at"]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
