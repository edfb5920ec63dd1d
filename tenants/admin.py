from django.contrib import admin
from django_tenants.admin import TenantAdminMixin

from .models import Domain, Jobcenter


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Jobcenter)
class JobcenterAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "municipality_code", "schema_name", "created_at"]
    search_fields = ["name", "municipality_code", "schema_name"]
    inlines = [DomainInline]
