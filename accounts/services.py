"""Writes on users of the current jobcentre."""

from datetime import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from . import rules
from .models import LoginLock, User
from .roles import PLATFORM_ROLES, ROLE_ADMIN, ROLES


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user in the current schema with the given roles.

    Without a password the user gets an unusable one and sets it by the reset link.
    Raises ValidationError (Danish) for an unknown role or an e-mail already in use.
    """
    # the platform (public schema) has its own roles, a jobcentre the five
    schema = connection.schema_name  # type: ignore[attr-defined]
    known = PLATFORM_ROLES if schema == get_public_schema_name() else ROLES
    unknown = [role for role in roles if role not in known]
    if unknown:
        raise ValidationError(f"Ukendt rolle: {', '.join(unknown)}.")
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"Der findes allerede en bruger med e-mailen {email}.")
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    missing = set(roles) - set(user.groups.values_list("name", flat=True))
    if missing:
        # The role groups are made by post_migrate; their absence is a setup error.
        raise ValidationError(f"Rollen findes ikke i dette jobcenter: {', '.join(missing)}.")
    return user


@transaction.atomic
def user_roles_set(*, user: User, roles: list[str]) -> User:
    """Give `user` exactly `roles`; staff status follows the admin role.

    Only the jobcentre's admin opens the Django admin (accounts.roles.can_open_admin), and
    nobody of a jobcentre is a superuser: the admin's rights are its role's permissions.
    Raises ValidationError (Danish) for an unknown role.
    """
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise ValidationError(f"Ukendt rolle: {', '.join(unknown)}.")
    user.groups.set(Group.objects.filter(name__in=roles))
    user.is_staff = ROLE_ADMIN in roles
    user.is_superuser = False
    user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_role_names", None)
    return user


def _login_key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def login_locked_until(*, email: str, now: datetime):
    """When the account of `email` may try again, or None when it is not locked."""
    lock = LoginLock.objects.filter(email=_login_key(email)).first()
    state = _login_state(lock)
    if state is None or not rules.login_locked(state, now=now):
        return None
    return state.locked_until


def login_failure_record(*, email: str, now: datetime) -> bool:
    """Count one failed sign-in of `email`; True when the account is now locked.

    Its own transaction, committed at once: the failed attempt must count even when the
    request is answered with an error.
    """
    key = _login_key(email)
    with transaction.atomic():
        LoginLock.objects.get_or_create(email=key, defaults={"window_start": now})
        lock = LoginLock.objects.select_for_update().get(email=key)
        state = rules.login_failure_next(_login_state(lock) if lock.failures else None, now=now)
        lock.failures = state.failures
        lock.window_start = state.window_start
        lock.locked_until = state.locked_until
        lock.save(update_fields=["failures", "window_start", "locked_until"])
    return rules.login_locked(state, now=now)


def login_failures_clear(*, email: str) -> None:
    """A successful sign-in starts the count again."""
    LoginLock.objects.filter(email=_login_key(email)).delete()


def _login_state(lock: LoginLock | None) -> rules.LoginFailures | None:
    if lock is None:
        return None
    return rules.LoginFailures(
        failures=lock.failures, window_start=lock.window_start, locked_until=lock.locked_until
    )
