"""The five roles of a jobcentre, as groups with permissions, created in every tenant schema.

Roles (DOMAIN.md): jobkonsulent, sagsbehandler, mentor (an external company employee),
jobcenterchef and admin. The permissions per role name Django model permissions of the
tenant apps; models added by later work list their permissions here, in one place.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext_lazy as _

ROLE_JOBKONSULENT = "jobkonsulent"
ROLE_SAGSBEHANDLER = "sagsbehandler"
ROLE_MENTOR = "mentor"
ROLE_JOBCENTERCHEF = "jobcenterchef"
ROLE_ADMIN = "admin"
# A platform role (public schema, issue 30): a regional or ministry analyst who reads the
# national comparison of the consenting jobcentres, and nothing of any jobcentre itself.
ROLE_ANALYST = "analytiker"
PLATFORM_ROLES = {ROLE_ANALYST: _("Analytiker (region/ministerium)")}


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    # "app_label.codename" permissions; missing ones (models not built yet) are skipped.
    permissions: tuple[str, ...]


ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role(ROLE_JOBKONSULENT, _("Jobkonsulent"), ("reports.view_jobrun",)),
        Role(ROLE_SAGSBEHANDLER, _("Sagsbehandler"), ()),
        Role(ROLE_MENTOR, _("Virksomhedsmentor"), ()),
        Role(ROLE_JOBCENTERCHEF, _("Jobcenterchef"), ("reports.view_jobrun",)),
        Role(
            ROLE_ADMIN,
            _("Administrator"),
            # People (issue 17): users, their roles (shown, defined here), lifting a login
            # lock; the background jobs' state. Never a superuser, never the cases.
            (
                "accounts.add_user",
                "accounts.change_user",
                "accounts.view_user",
                "auth.view_group",
                "accounts.view_loginlock",
                "accounts.delete_loginlock",
                # Reference data with no page of its own (it comes by the import).
                "centers.add_company",
                "centers.change_company",
                "centers.view_company",
                "centers.add_centre",
                "centers.change_centre",
                "centers.view_centre",
                "reports.view_jobrun",
                # The accessibility statement the footer links to (issue 22).
                "home.add_accessibilitystatement",
                "home.change_accessibilitystatement",
                "home.view_accessibilitystatement",
            ),
        ),
    )
}

# Which role's start page a user with several roles sees first.
ROLE_PRECEDENCE = (
    ROLE_JOBCENTERCHEF,
    ROLE_JOBKONSULENT,
    ROLE_SAGSBEHANDLER,
    ROLE_MENTOR,
    ROLE_ADMIN,
)


def roles_ensure() -> None:
    """Create or update the role groups and their permissions in the current schema."""
    from django.contrib.auth.models import Group, Permission

    for role in ROLES.values():
        group, _created = Group.objects.get_or_create(name=role.name)
        wanted = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def platform_roles_ensure() -> None:
    """The platform's role groups (no model permissions: its pages ask for the role)."""
    from django.contrib.auth.models import Group

    for name in PLATFORM_ROLES:
        Group.objects.get_or_create(name=name)


def roles_ensure_after_migrate(sender, **kwargs):
    """post_migrate runs once per schema under django-tenants; roles belong to tenants only."""
    from django_tenants.utils import get_public_schema_name

    if sender.name != "accounts":
        return
    if connection.schema_name == get_public_schema_name():
        platform_roles_ensure()
        return
    # The apps after accounts get their permissions by their own post_migrate, which comes
    # later in a fresh schema: make them all first, or the roles would miss theirs.
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    roles_ensure()


def has_any_role(user, roles) -> bool:
    """True for a logged-in user who holds at least one of `roles`."""
    return bool(user.is_authenticated and any(user.has_role(r) for r in roles))


def can_open_admin(user) -> bool:
    """The Django admin is the jobcentre admin's, and only with staff status (which
    accounts.services.user_roles_set keeps with the role). Never a superuser's: the admin's
    rights in it are the role's permissions above."""
    return bool(has_any_role(user, (ROLE_ADMIN,)) and user.is_staff)


def roles_required(*roles):
    """View decorator: log in first; then 403 unless the user holds one of `roles`."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_any_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def primary_role(user) -> str | None:
    for name in ROLE_PRECEDENCE:
        if user.has_role(name):
            return name
    return None
