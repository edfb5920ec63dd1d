from django.contrib import admin
from django.db import connection
from django_tenants.admin import TenantAdminMixin
from django_tenants.utils import get_public_schema_name

from .models import Domain, Jobcenter


class PlatformOnlyAdminMixin:
    """The jobcentres are the platform's, not a jobcentre's: the admin site is shared by
    both URL confs, and a jobcentre's own administrator (a superuser in its schema) would
    otherwise list and edit every jobcentre and its domains from its own host."""

    @staticmethod
    def _on_platform() -> bool:
        return connection.schema_name == get_public_schema_name()

    def has_module_permission(self, request):
        return self._on_platform() and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._on_platform() and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._on_platform() and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._on_platform() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._on_platform() and super().has_delete_permission(request, obj)


class DomainInline(PlatformOnlyAdminMixin, admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Jobcenter)
class JobcenterAdmin(PlatformOnlyAdminMixin, TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "municipality_code", "schema_name", "created_at"]
    search_fields = ["name", "municipality_code", "schema_name"]
    inlines = [DomainInline]
