"""Writes on users of the current jobcentre."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import User
from .roles import ROLES


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
    unknown = [role for role in roles if role not in ROLES]
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
