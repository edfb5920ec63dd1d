"""The navigation of the base layout (a context processor). Each link is shown when the
app that owns the page says the user may use it: the rules live in each app's
permissions module, not here."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import ROLES, can_open_admin, primary_role
from audit.permissions import can_read_audit
from billing.permissions import can_read as can_read_billing
from candidates.permissions import can_manage as can_manage_candidates
from candidates.permissions import can_refer as can_refer_candidates
from contracts.permissions import can_read as can_read_contracts
from mentors.permissions import can_follow_attendance, can_keep_attendance
from national.permissions import can_compare
from reports.permissions import can_edit_settings, can_view_caseload, can_view_dashboard
from sso.permissions import can_configure as can_configure_sso

# The menu's groups, by task: each link belongs to the first group naming its label. A
# group with one link is shown as that link, so a role with few links gets a flat menu.
GROUPS = [
    (
        gettext_lazy("Kandidater"),
        ["Opfølgning", "Venteliste", "Kandidater", "Forløb", "Henvis kandidat"],
    ),
    (gettext_lazy("Centre og kontrakter"), ["Centre", "Kontrakter", "Fremmøde"]),
    (gettext_lazy("Tal"), ["Mine tal", "Nøgletal", "Landsoversigt"]),
    (
        gettext_lazy("Administration"),
        ["Administration", "Kommunens login", "Indstillinger", "Revisionsspor"],
    ),
]


@dataclass
class NavItem:
    """One entry of the main menu: a link, or a group of links (a dropdown)."""

    label: str
    url: str = ""
    children: list["NavItem"] = field(default_factory=list)
    current: bool = False


def _grouped(items: list[tuple[str, str]], path: str) -> list[NavItem]:
    # The current page is the link whose address is the longest start of the path
    # (/kandidater/venteliste/ is Venteliste, not also Kandidater at /kandidater/).
    matches = [url for _label, url in items if url == path or (url != "/" and path.startswith(url))]
    current_url = max(matches, key=len) if matches else None

    def is_current(url: str) -> bool:
        return url == current_url

    # By the label in the page's language (the items' labels are translated already).
    group_of = {_(label): group for group, labels in GROUPS for label in labels}
    entries: list[NavItem] = []
    groups: dict[str, NavItem] = {}
    for label, url in items:
        group = group_of.get(str(label))
        link = NavItem(label=str(label), url=url, current=is_current(url))
        if group is None:
            entries.append(link)
        elif str(group) in groups:
            groups[str(group)].children.append(link)
        else:
            groups[str(group)] = NavItem(label=str(group), children=[link])
            entries.append(groups[str(group)])
    flat = []
    for entry in entries:
        if len(entry.children) == 1:
            entry = entry.children[0]
        entry.current = entry.current or any(child.current for child in entry.children)
        flat.append(entry)
    return flat


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
    if can_compare(user):
        items.append((_("Landsoversigt"), reverse("national:comparison")))
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
        "nav_menu": _grouped(items, request.path),
        "current_tenant": tenant,
        "current_role_label": ROLES[role].label if role else "",
    }
