"""Who may configure the jobcentre's single sign-on: its admin."""

from accounts.roles import ROLE_ADMIN, has_any_role


def can_configure(user) -> bool:
    return has_any_role(user, (ROLE_ADMIN,))
