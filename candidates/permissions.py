"""Who may do what on the candidate pages (issue 5).

sagsbehandler: register candidates, refer them to the venteliste and read everything.
jobkonsulent: all of that, plus visitation, courses, follow-up, extension and udslusning.
Every other role (mentor, jobcenterchef, admin) gets 403: a mentor must never see CPR
numbers or case notes, and the chef reads figures in the reports instead.
"""

from django.core.exceptions import PermissionDenied

from accounts.roles import ROLE_JOBKONSULENT, ROLE_SAGSBEHANDLER, has_any_role

READ_ROLES = (ROLE_JOBKONSULENT, ROLE_SAGSBEHANDLER)
REFER_ROLES = (ROLE_JOBKONSULENT, ROLE_SAGSBEHANDLER)
MANAGE_ROLES = (ROLE_JOBKONSULENT,)
# Roles that see the full CPR number (to check identity when registering and in case work).
FULL_CPR_ROLES = (ROLE_JOBKONSULENT, ROLE_SAGSBEHANDLER)


def can_read(user) -> bool:
    return has_any_role(user, READ_ROLES)


def can_refer(user) -> bool:
    return has_any_role(user, REFER_ROLES)


def can_manage(user) -> bool:
    return has_any_role(user, MANAGE_ROLES)


def can_see_full_cpr(user) -> bool:
    return has_any_role(user, FULL_CPR_ROLES)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Du har ikke adgang til denne side.")
