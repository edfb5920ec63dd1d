"""Users of every role per jobcentre, and a record of how many combinations were checked."""

import json
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD

COUNTS_FILE = Path(__file__).resolve().parent.parent.parent / ".data" / "security-counts.json"


def users_for(tenant) -> dict:
    """One user per role (None: no role) in `tenant`. The admin is staff, never a superuser,
    as jobcenter_create makes it (issue 17)."""
    from accounts.services import user_create

    users = {}
    with schema_context(tenant.schema_name):
        from accounts.models import User

        for role in ("jobkonsulent", "sagsbehandler", "mentor", "jobcenterchef", "admin", None):
            email = f"sik-{role or 'ingen'}@{tenant.schema_name}.test"
            user = User.objects.filter(email=email).first() or user_create(
                email=email,
                password=PASSWORD,
                roles=[role] if role else [],
                is_staff=role == "admin",
            )
            users[role] = user
    return users


def record(key: str, value: int) -> None:
    """Print and keep the number (for the closing note of issue 10)."""
    print(f"\n{key}: {value}")
    COUNTS_FILE.parent.mkdir(exist_ok=True)
    data = json.loads(COUNTS_FILE.read_text()) if COUNTS_FILE.exists() else {}
    data[key] = value
    COUNTS_FILE.write_text(json.dumps(data, indent=2))


@pytest.fixture
def record_count():
    return lambda value: record("url_role_tenant_combinations", value)
