"""Who sees the national comparison.

jobcenterchef (in the jobcentre): the consent and the jobcentre beside the distribution.
analytiker (a platform role, public schema): every consenting jobcentre by name.
Others: 403."""

from django.db import connection
from django_tenants.utils import get_public_schema_name

from accounts.roles import ROLE_ANALYST, ROLE_JOBCENTERCHEF, has_any_role


def can_compare(user) -> bool:
    return connection.schema_name != get_public_schema_name() and has_any_role(
        user, (ROLE_JOBCENTERCHEF,)
    )


def can_view_national(user) -> bool:
    return connection.schema_name == get_public_schema_name() and has_any_role(
        user, (ROLE_ANALYST,)
    )
