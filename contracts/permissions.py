"""Who may do what with Centerkontrakter (issue 7).

jobkonsulent: read, draft, edit drafts, record approvals, send signing links, amendments.
jobcenterchef: read and sign (after re-entering the password).
Every other role (sagsbehandler, mentor, admin) gets 403. The director of the company
has no account: a one-time signing link is the only way in (see views.director_sign).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.roles import ROLE_JOBCENTERCHEF, ROLE_JOBKONSULENT, has_any_role

READ_ROLES = (ROLE_JOBKONSULENT, ROLE_JOBCENTERCHEF)
MANAGE_ROLES = (ROLE_JOBKONSULENT,)
SIGN_ROLES = (ROLE_JOBCENTERCHEF,)


def can_read(user) -> bool:
    return has_any_role(user, READ_ROLES)


def can_manage(user) -> bool:
    return has_any_role(user, MANAGE_ROLES)


def can_sign(user) -> bool:
    return has_any_role(user, SIGN_ROLES)


def contract_roles_required(*roles):
    """Log in first; then 403 unless the user has one of `roles`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_any_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
