"""Who may do what with afregning (issue 8).

jobkonsulent: read statements, build (rebuild) a month, export.
jobcenterchef: read statements, build a month (a fresh month was empty with no way for the
chef to start it, issue 23 - building only computes from the data, the check is the
approval), approve statements, export.
Every other role (sagsbehandler, mentor, admin) gets 403; the services check again.
"""

from accounts.roles import ROLE_JOBCENTERCHEF, ROLE_JOBKONSULENT, has_any_role

READ_ROLES = (ROLE_JOBKONSULENT, ROLE_JOBCENTERCHEF)
REBUILD_ROLES = (ROLE_JOBKONSULENT, ROLE_JOBCENTERCHEF)
APPROVE_ROLES = (ROLE_JOBCENTERCHEF,)


def can_read(user) -> bool:
    return has_any_role(user, READ_ROLES)


def can_rebuild(user) -> bool:
    return has_any_role(user, REBUILD_ROLES)


def can_approve(user) -> bool:
    return has_any_role(user, APPROVE_ROLES)
