from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import ROLE_ADMIN, ROLES, primary_role


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
    role = primary_role(user)
    return {
        "nav_items": items,
        "current_tenant": tenant,
        "current_role_label": ROLES[role].label if role else "",
    }
