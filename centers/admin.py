"""Companies and centres are reference data with no page of their own (they come by the
import): the jobcentre's admin keeps them here. Places belong to a contract's capacity and
change only through the contract's services: not in the admin."""

from django.contrib import admin

from accounts.admin import JobcentreOnlyAdminMixin

from .models import Centre, Company


@admin.register(Company)
class CompanyAdmin(JobcentreOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "cvr", "p_number", "branche", "sector", "city"]
    list_filter = ["branche", "sector"]
    search_fields = ["name", "cvr", "p_number", "city", "contact_name"]

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False


@admin.register(Centre)
class CentreAdmin(JobcentreOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "company", "organisation_model", "consultant"]
    list_filter = ["organisation_model", "company__branche", "consultant"]
    search_fields = ["name", "company__name", "company__cvr"]
    # Plain selects: the autocomplete widget (select2) hides the real select from the
    # keyboard (tabindex -1), shows no focus and leaves its search field unlabelled (the
    # walk, tests/e2e/test_walk.py).
    list_select_related = ["company", "consultant"]

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False
