"""Integration API tests: keys per scope, a client that sends one, a small world of rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from api.rules import SCOPES
from tests.conftest import TENANTS, make_user
from tests.factories import (
    CandidateFactory,
    CentreFactory,
    CompanyFactory,
    ContractFactory,
    CourseFactory,
)

ALL_SCOPES = list(SCOPES)


def key_for(schema: str, scopes, *, name="Fagsystem", admin=None, expires_in_days=30):
    """A new API key of `schema` with `scopes`: (ApiKey, the full key)."""
    from api.services import api_key_create

    with schema_context(schema):
        return api_key_create(
            name=name,
            purpose="Synkronisering med fagsystemet",
            scopes=list(scopes),
            expires_on=timezone.localdate() + timedelta(days=expires_in_days),
            acting_user=admin,
        )


class ApiClient:
    """Django's test client at a jobcentre's host, sending `Authorization: Bearer <key>`."""

    def __init__(self, schema: str, key: str | None):
        self.client = Client(HTTP_HOST=TENANTS[schema]["domain"])
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path, params=None, **headers):
        return self.client.get(path, params or {}, headers={**self.headers, **headers})

    def post(self, path, body, **headers):
        return self.client.post(
            path, body, content_type="application/json", headers={**self.headers, **headers}
        )


@pytest.fixture
def api_as(tenant_a, tenant_b):  # noqa: ARG001 - the tenants must exist
    """`api_as("alpha", ["read:centres"])`: a client with a new key of those scopes."""

    def _api(schema, scopes=ALL_SCOPES, **kwargs):
        _key, full = key_for(schema, scopes, **kwargs)
        return ApiClient(schema, full)

    return _api


def world_rows(schema: str, *, label: str, today: date) -> dict:
    """A company, centre, contract, candidate with a course running today (call inside
    schema_context)."""
    company = CompanyFactory(name=f"{label} ApS")
    centre = CentreFactory(name=f"{label} Centret", company=company)
    contract = ContractFactory(
        centre=centre, start=today - timedelta(days=90), end=today + timedelta(days=300)
    )
    candidate = CandidateFactory(name=f"{label} Kandidat")
    course = CourseFactory(
        contract=contract,
        candidate=candidate,
        start=today - timedelta(days=14),
        hours_per_week=Decimal(20),
    )
    return {
        "schema": schema,
        "company": company,
        "centre": centre,
        "contract": contract,
        "candidate": candidate,
        "course": course,
    }


@pytest.fixture
def world(tenant_a, tenant_b):  # noqa: ARG001 - the tenants must exist
    today = timezone.localdate()
    with schema_context("alpha"):
        alpha = world_rows("alpha", label="Alfa", today=today)
    with schema_context("beta"):
        beta = world_rows("beta", label="Beta", today=today)
    return {"alpha": alpha, "beta": beta, "today": today}


@pytest.fixture
def admin_a(tenant_a):
    return make_user(tenant_a, "admin", email="admin.api@alpha.test")
