"""The Django admin's door: a jobcentre's admin opens it by the admin role, not by a flag.

Django's own site admits every active user with `is_staff`. In a jobcentre that flag is
only a copy (accounts.services.user_roles_set keeps it with the admin role); a user who has
it without the role (set by hand, by an old import, by a bug) must not get in, so the site
asks accounts.roles.can_open_admin. The platform (public schema) keeps Django's rule: its
operators are its staff, and a jobcentre's roles do not exist there.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db import connection
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from .roles import can_open_admin


class JobcentreAdminSite(admin.AdminSite):
    # Django's defaults are "Django administration" / "Django site admin" (issue 22).
    site_header = _("Virksomhedscenter – administration")
    site_title = _("Virksomhedscenter – administration")
    index_title = _("Administration")

    def has_permission(self, request):
        if connection.schema_name == get_public_schema_name():
            return super().has_permission(request)
        user = request.user
        return bool(user.is_active and can_open_admin(user))


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with the site above (INSTALLED_APPS names this class)."""

    default_site = "accounts.admin_site.JobcentreAdminSite"
