"""Who may do what with afregning (issue 8).

jobkonsulent: read statements, rebuild a month, export.
jobcenterchef: read statements, approve them, export.
Every other role (sagsbehandler, mentor, admin) gets 403; the services check again.
"""

from accounts.roles import ROLE_JOBCENTERCHEF, ROLE_JOBKONSULENT, has_any_role

READ_ROLES = (ROLE_JOBKONSULENT, ROLE_JOBCENTERCHEF)
REBUILD_ROLES = (ROLE_JOBKONSULENT,)
APPROVE_ROLES = (ROLE_JOBCENTERCHEF,)


def can_read(user) -> bool:
    return has_any_role(user, READ_ROLES)


def can_rebuild(user) -> bool:
    return has_any_role(user, REBUILD_ROLES)


def can_approve(user) -> bool:
    return has_any_role(user, APPROVE_ROLES)
