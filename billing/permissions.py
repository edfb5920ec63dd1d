"""Who may do what with afregning (issue 8).

jobkonsulent: read statements, rebuild a month, export.
jobcenterchef: read statements, approve them, export.
Every other role (sagsbehandler, mentor, admin) gets 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.roles import ROLE_JOBCENTERCHEF, ROLE_JOBKONSULENT

READ_ROLES = (ROLE_JOBKONSULENT, ROLE_JOBCENTERCHEF)
REBUILD_ROLES = (ROLE_JOBKONSULENT,)
APPROVE_ROLES = (ROLE_JOBCENTERCHEF,)


def _has_any(user, roles) -> bool:
    return bool(user.is_authenticated and any(user.has_role(r) for r in roles))


def can_rebuild(user) -> bool:
    return _has_any(user, REBUILD_ROLES)


def can_approve(user) -> bool:
    return _has_any(user, APPROVE_ROLES)


def billing_roles_required(*roles):
    """Log in first; then 403 unless the user has one of `roles`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not _has_any(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
