from django.contrib import admin

from .models import Amendment, Contract


class AmendmentInline(admin.StackedInline):
    model = Amendment
    extra = 0
    fk_name = "contract"


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["centre", "start", "end", "places", "payment_model", "status"]
    list_filter = ["status", "payment_model", "centre__company__branche", "centre"]
    search_fields = ["centre__name", "centre__company__name", "centre__company__cvr"]
    date_hierarchy = "start"
    autocomplete_fields = ["centre"]
    list_select_related = ["centre"]
    inlines = [AmendmentInline]
