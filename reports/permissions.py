"""Who sees which figures.

jobcenterchef: the dashboard, computing periods, exports, settings.
jobkonsulent: the dashboard read-only (stored figures) and their own caseload.
admin: the settings (costs, target group). Others: 403.
"""

from django.core.exceptions import PermissionDenied

from accounts.roles import ROLE_ADMIN, ROLE_JOBCENTERCHEF, ROLE_JOBKONSULENT, has_any_role


def can_view_dashboard(user) -> bool:
    return has_any_role(
        user,
        (
            ROLE_JOBCENTERCHEF,
            ROLE_JOBKONSULENT,
        ),
    )


def can_compute(user) -> bool:
    return has_any_role(user, (ROLE_JOBCENTERCHEF,))


def can_edit_settings(user) -> bool:
    return has_any_role(
        user,
        (
            ROLE_JOBCENTERCHEF,
            ROLE_ADMIN,
        ),
    )


def can_view_caseload(user) -> bool:
    return has_any_role(user, (ROLE_JOBKONSULENT,))


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Du har ikke adgang til denne side.")
