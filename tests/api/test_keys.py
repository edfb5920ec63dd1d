"""API keys: made by the jobcentre's admin, hashed, shown once, scoped, expiring, revocable,
per jobcentre, rate limited."""

import re

import pytest
from django.test import override_settings
from django_tenants.utils import schema_context

from api.models import ApiKey
from api.services import api_key_revoke
from audit.models import AuditEvent
from tests.api.conftest import ALL_SCOPES, ApiClient, key_for

pytestmark = pytest.mark.django_db


def test_the_admin_creates_a_key_that_is_shown_once_and_stored_only_as_a_digest(login, tenant_a):
    client = login(tenant_a, "admin")
    response = client.post(
        "/api/integrationer/noegle/",
        {
            "name": "KMD Momentum",
            "purpose": "Synkronisering af forløb",
            "scopes": ["read:candidates", "write:attendance"],
            "expires_on": "2027-06-30",
        },
    )
    assert response.status_code == 200
    shown = re.search(r"vck_[0-9a-f]{8}_[A-Za-z0-9_-]+", response.content.decode()).group(0)
    with schema_context("alpha"):
        key = ApiKey.objects.get(name="KMD Momentum")
        assert key.scopes == ["read:candidates", "write:attendance"]
        assert shown.split("_", 2)[2] not in key.digest
        assert len(key.digest) == 64
        assert not key.user.is_active and not key.user.has_usable_password()
        assert AuditEvent.objects.filter(action="api_key.create", object_id=str(key.pk)).exists()
    # The page never shows it again.
    again = client.get("/api/integrationer/").content.decode()
    assert shown not in again
    assert f"vck_{key.prefix}_" in again
    # And it opens the API.
    assert ApiClient("alpha", shown).get("/api/v1/candidates").status_code == 200


def test_only_the_admin_reaches_the_integration_page(login, tenant_a, tenant_b):
    assert login(tenant_a, "admin").get("/api/integrationer/").status_code == 200
    assert login(tenant_a, "jobcenterchef").get("/api/integrationer/").status_code == 403
    outsider = login(tenant_b, "admin")
    # An admin of beta at alpha's host is not signed in there.
    outsider.defaults["HTTP_HOST"] = "alpha.test.localhost"
    assert outsider.get("/api/integrationer/").status_code == 302


def test_a_bad_key_form_is_refused_in_danish_and_stores_nothing(login, tenant_a):
    client = login(tenant_a, "admin")
    response = client.post(
        "/api/integrationer/noegle/",
        {"name": "X", "purpose": "Y", "scopes": ["read:cpr"], "expires_on": "2030-01-01"},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "CPR-numre kan kun læses sammen med kandidaterne" in text
    with schema_context("alpha"):
        assert not ApiKey.objects.exists()


def test_without_a_key_or_with_a_wrong_one_the_answer_is_401_problem(tenant_a):  # noqa: ARG001
    for key in (None, "vck_00000000_nope", "nonsense"):
        response = ApiClient("alpha", key).get("/api/v1/companies")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == 401 and "API-nøgle" in body["detail"]


def test_a_key_of_one_jobcentre_is_refused_at_another(tenant_a, tenant_b):  # noqa: ARG001
    _key, full = key_for("beta", ALL_SCOPES)
    assert ApiClient("beta", full).get("/api/v1/companies").status_code == 200
    assert ApiClient("alpha", full).get("/api/v1/companies").status_code == 401


def test_a_revoked_or_expired_key_opens_nothing(tenant_a):  # noqa: ARG001
    key, full = key_for("alpha", ["read:centres"])
    assert ApiClient("alpha", full).get("/api/v1/companies").status_code == 200
    with schema_context("alpha"):
        api_key_revoke(key=key, acting_user=None)
    assert ApiClient("alpha", full).get("/api/v1/companies").status_code == 401
    expired, full = key_for("alpha", ["read:centres"], name="Gammel")
    with schema_context("alpha"):
        ApiKey.objects.filter(pk=expired.pk).update(expires_at="2020-01-01T00:00:00Z")
    assert ApiClient("alpha", full).get("/api/v1/companies").status_code == 401


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("/api/v1/companies", "read:centres"),
        ("/api/v1/centres", "read:centres"),
        ("/api/v1/contracts", "read:centres"),
        ("/api/v1/places", "read:centres"),
        ("/api/v1/candidates", "read:candidates"),
        ("/api/v1/referrals", "read:candidates"),
        ("/api/v1/courses", "read:candidates"),
        ("/api/v1/attendance", "read:candidates"),
        ("/api/v1/mentor-hours", "read:billing"),
        ("/api/v1/statements", "read:billing"),
        ("/api/v1/kpi?period_from=2025-01-01&period_to=2025-12-31", "read:kpi"),
    ],
)
def test_each_resource_needs_its_scope(api_as, path, scope):
    others = [s for s in ALL_SCOPES if s not in (scope, "read:cpr")]
    denied = api_as("alpha", others).get(path)
    assert denied.status_code == 403
    assert scope in denied.json()["detail"]
    allowed = api_as("alpha", [scope], name="Med rettighed").get(path)
    assert allowed.status_code in (200, 404)  # the KPI period may not be computed: 404


@override_settings(API_RATE_LIMIT_PER_MINUTE=3)
def test_a_key_is_rate_limited_per_minute_with_retry_after(api_as):
    client = api_as("alpha", ["read:centres"])
    other = api_as("alpha", ["read:centres"], name="Anden nøgle")
    statuses = [client.get("/api/v1/centres").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    limited = client.get("/api/v1/centres")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "forespørgsler" in limited.json()["detail"]
    # Another key has its own window.
    assert other.get("/api/v1/centres").status_code == 200
