from django.urls import reverse
from django.utils.translation import gettext as _

from contracts.permissions import can_read as can_read_contracts

from .roles import (
    ROLE_ADMIN,
    ROLE_JOBCENTERCHEF,
    ROLE_JOBKONSULENT,
    ROLE_MENTOR,
    ROLE_SAGSBEHANDLER,
    ROLES,
    primary_role,
)


def navigation(request):
    """The navigation of the base layout, by the user's roles."""
    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    if user is None or not user.is_authenticated or tenant is None:
        return {"nav_items": [], "current_tenant": tenant}
    if tenant.schema_name == "public":
        return {"nav_items": [], "current_tenant": tenant}
    items = [(_("Start"), reverse("home"))]
    if user.has_role(ROLE_ADMIN) and user.is_staff:
        items.append((_("Administration"), reverse("admin:index")))
    if user.has_role(ROLE_JOBKONSULENT):
        items += [
            (_("Opfølgning"), reverse("candidates:due")),
            (_("Venteliste"), reverse("candidates:waiting_list")),
            (_("Kandidater"), reverse("candidates:list")),
            (_("Forløb"), reverse("candidates:courses")),
            (_("Centre"), reverse("centers:list")),
        ]
    elif user.has_role(ROLE_SAGSBEHANDLER):
        items += [
            (_("Henvis kandidat"), reverse("candidates:register")),
            (_("Venteliste"), reverse("candidates:waiting_list")),
            (_("Kandidater"), reverse("candidates:list")),
        ]
    if user.has_role(ROLE_MENTOR):
        items += [
            (_("Ugeoversigt"), reverse("mentors:week")),
            (_("Mentortimer"), reverse("mentors:hours")),
        ]
    if user.has_role(ROLE_JOBKONSULENT):
        items.append((_("Fremmøde"), reverse("mentors:consultant_overview")))
        items.append((_("Mine tal"), reverse("reports:caseload")))
    if user.has_role(ROLE_JOBCENTERCHEF) or user.has_role(ROLE_JOBKONSULENT):
        items.append((_("Nøgletal"), reverse("reports:dashboard")))
    if user.has_role(ROLE_JOBCENTERCHEF) or user.has_role(ROLE_ADMIN):
        items.append((_("Indstillinger"), reverse("reports:settings")))
    if can_read_contracts(user):
        items.append((_("Kontrakter"), reverse("contracts:list")))
    if user.has_role(ROLE_JOBKONSULENT) or user.has_role(ROLE_JOBCENTERCHEF):
        items.append((_("Afregning"), reverse("billing:index")))
    from audit.permissions import can_read_audit

    if can_read_audit(user):
        items.append((_("Revisionsspor"), reverse("audit:list")))
    role = primary_role(user)
    return {
        "nav_items": items,
        "current_tenant": tenant,
        "current_role_label": ROLES[role].label if role else "",
    }
