"""Users of every role per jobcentre, and a record of how many combinations were checked."""

import json
import os
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD

# `make fuzz` runs its tests in FUZZ_SHARDS processes at once (one per core, each with its own
# test database); FUZZ_SHARD="i/n" keeps every n-th test from the i-th, so each test runs in
# exactly one process and the shards' numbers are kept apart.
FUZZ_SHARD = os.environ.get("FUZZ_SHARD", "")
COUNTS_FILE = (
    Path(__file__).resolve().parent.parent.parent
    / ".data"
    / f"security-counts{'-' + FUZZ_SHARD.replace('/', '-of-') if FUZZ_SHARD else ''}.json"
)


def pytest_collection_modifyitems(config, items):
    """Keep this shard's share of the collected tests (FUZZ_SHARD="i/n", i from 0)."""
    if not FUZZ_SHARD:
        return
    index, total = (int(part) for part in FUZZ_SHARD.split("/"))
    if not 0 <= index < total:
        raise pytest.UsageError(f"FUZZ_SHARD={FUZZ_SHARD}: i must be 0..n-1")
    kept = [item for position, item in enumerate(items) if position % total == index]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


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
