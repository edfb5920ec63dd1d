"""The audit log and a person's data are the jobcenterchef's to read (data controller's
representative); nobody edits them through the application."""

from django.core.exceptions import PermissionDenied

from accounts.roles import ROLE_JOBCENTERCHEF


def can_read_audit(user) -> bool:
    return bool(user.is_authenticated and user.has_role(ROLE_JOBCENTERCHEF))


def require_audit_reader(user) -> None:
    if not can_read_audit(user):
        raise PermissionDenied("Du har ikke adgang til revisionssporet.")
