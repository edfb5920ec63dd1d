"""The navigation of the base layout (a context processor). Each link is shown when the
app that owns the page says the user may use it: the rules live in each app's
permissions module, not here."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import ROLES, can_open_admin, primary_role
from audit.permissions import can_read_audit
from billing.permissions import can_read as can_read_billing
from candidates.permissions import can_manage as can_manage_candidates
from candidates.permissions import can_refer as can_refer_candidates
from contracts.permissions import can_read as can_read_contracts
from mentors.permissions import can_follow_attendance, can_keep_attendance
from reports.permissions import can_edit_settings, can_view_caseload, can_view_dashboard
from sso.permissions import can_configure as can_configure_sso


def navigation(request):
    """The navigation of the base layout, by the user's roles."""
    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    if user is None or not user.is_authenticated or tenant is None:
        return {"nav_items": [], "current_tenant": tenant}
    if tenant.schema_name == "public":
        return {"nav_items": [], "current_tenant": tenant}
    items = [(_("Start"), reverse("home"))]
    if can_open_admin(user):
        items.append((_("Administration"), reverse("admin:index")))
    if can_configure_sso(user):
        items.append((_("Kommunens login"), reverse("sso:index")))
    # The case worker's work (follow-up, courses, centres) includes the referrer's: a user
    # with both gets the case worker's links once.
    if can_manage_candidates(user):
        items += [
            (_("Opfølgning"), reverse("candidates:due")),
            (_("Venteliste"), reverse("candidates:waiting_list")),
            (_("Kandidater"), reverse("candidates:list")),
            (_("Forløb"), reverse("candidates:courses")),
            (_("Centre"), reverse("centers:list")),
        ]
    elif can_refer_candidates(user):
        items += [
            (_("Henvis kandidat"), reverse("candidates:register")),
            (_("Venteliste"), reverse("candidates:waiting_list")),
            (_("Kandidater"), reverse("candidates:list")),
        ]
    if can_keep_attendance(user):
        items += [
            (_("Ugeoversigt"), reverse("mentors:week")),
            (_("Mentortimer"), reverse("mentors:hours")),
        ]
    if can_follow_attendance(user):
        items.append((_("Fremmøde"), reverse("mentors:consultant_overview")))
    if can_view_caseload(user):
        items.append((_("Mine tal"), reverse("reports:caseload")))
    if can_view_dashboard(user):
        items.append((_("Nøgletal"), reverse("reports:dashboard")))
    if can_edit_settings(user):
        items.append((_("Indstillinger"), reverse("reports:settings")))
    if can_read_contracts(user):
        items.append((_("Kontrakter"), reverse("contracts:list")))
    if can_read_billing(user):
        items.append((_("Afregning"), reverse("billing:index")))
    if can_read_audit(user):
        items.append((_("Revisionsspor"), reverse("audit:list")))
    role = primary_role(user)
    return {
        "nav_items": items,
        "current_tenant": tenant,
        "current_role_label": ROLES[role].label if role else "",
    }
