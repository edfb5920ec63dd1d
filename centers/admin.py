from django.contrib import admin

from .models import Centre, Company, Place


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "cvr", "p_number", "branche", "sector", "city"]
    list_filter = ["branche", "sector"]
    search_fields = ["name", "cvr", "p_number", "city", "contact_name"]


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "organisation_model", "consultant"]
    list_filter = ["organisation_model", "company__branche", "consultant"]
    search_fields = ["name", "company__name", "company__cvr"]
    autocomplete_fields = ["company", "network_companies"]
    list_select_related = ["company", "consultant"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contract"]
    list_filter = ["contract__centre"]
    search_fields = ["contract__centre__name"]
    list_select_related = ["contract__centre"]
