"""The live API fuzzed against its own OpenAPI document (schemathesis), with every scope.

A live server (tests/conftest.py `tenant_server`) serves the test database; a committed
world in alpha and beta (removed afterwards). Schemathesis generates cases from the
document served at /api/v1/openapi.json - valid ones and, for the inputs, invalid ones -
sent with alpha's keys (below). Every answer must be
no server error and conform to the document (status code, content type, headers, body),
and none may show beta's rows to alpha's keys. The counts are printed (`-s`) and asserted.

Each case goes with the all-scopes key and one single-scope key in turn (so every scope
meets every operation), every third also with beta's key, which alpha must refuse.
API_FUZZ_EXAMPLES sets the examples per operation and mode (default 15: 420 cases, about
900 requests, two to three minutes on a busy 2-core machine).
"""

import http.client
import json
import os
from datetime import timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.rules import SCOPES
from tests.api.conftest import key_for, world_rows
from tests.conftest import TENANTS

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Words only beta's rows hold: an alpha key's answer must never contain one.
BETA_MARKERS = ("Beta ApS", "Beta Centret", "Beta Kandidat")


def _commit_world():
    from audit.models import AuditEvent
    from billing.models import InvoiceSettings
    from billing.services import billing_month_build
    from mentors.models import Attendance
    from mentors.services import attendance_record

    today = timezone.localdate()
    worlds = {}
    for schema, label in (("alpha", "Alfa"), ("beta", "Beta")):
        with schema_context(schema):
            started = timezone.now()
            rows = world_rows(schema, label=label, today=today)
            billing_month_build(month=(today.replace(day=1) - timedelta(days=1)).replace(day=1))
            InvoiceSettings.objects.create(buyer_gln="5798000000018")
            attendance_record(
                course=rows["course"],
                date=today - timedelta(days=1),
                status="present",
                hours=Decimal("7.5"),
                acting_user=None,
            )
            rows["started"] = started
            rows["keys"] = {
                scope: key_for(
                    schema,
                    [scope] + (["read:candidates"] if scope == "read:cpr" else []),
                    name=f"Fuzz {scope}",
                )
                for scope in SCOPES
            }
            rows["keys"]["all"] = key_for(schema, list(SCOPES), name="Fuzz alle")
            worlds[schema] = rows
    assert AuditEvent and Attendance  # imported for the clean-up below
    return worlds


def _remove_world(worlds):
    from api.models import ApiKey
    from billing.models import InvoiceSettings, Statement
    from candidates.models import Candidate, Referral
    from tests.e2e.conftest import audit_events_delete

    for schema, rows in worlds.items():
        with schema_context(schema):
            audit_events_delete(at__gte=rows["started"])
            Statement.objects.filter(contract=rows["contract"]).delete()
            InvoiceSettings.objects.all().delete()
            users = [key.user for key, _full in rows["keys"].values()]
            ApiKey.objects.filter(pk__in=[key.pk for key, _full in rows["keys"].values()]).delete()
            for user in users:
                user.delete()
            rows["course"].delete()
            # Whom the fuzzed POST /referrals registered and referred (write:referrals).
            Referral.objects.filter(created_at__gte=rows["started"]).delete()
            Candidate.objects.filter(created_at__gte=rows["started"]).delete()
            rows["candidate"].delete()
            rows["contract"].delete()
            rows["centre"].delete()
            rows["company"].delete()


@pytest.fixture(scope="module")
def live_world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    with django_db_blocker.unblock():
        worlds = _commit_world()
    try:
        yield worlds
    finally:
        with django_db_blocker.unblock():
            _remove_world(worlds)


def _document(port: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "GET", "/api/v1/openapi.json", headers={"Host": f"{TENANTS['alpha']['domain']}:{port}"}
        )
        response = conn.getresponse()
        assert response.status == 200
        return json.loads(response.read())
    finally:
        conn.close()


def test_the_live_api_conforms_to_its_document_for_every_scope_and_tenant(
    live_world, tenant_server
):
    port = int(tenant_server("alpha").rsplit(":", 1)[1])
    schema = schemathesis.openapi.from_dict(_document(port))
    base_url = f"http://127.0.0.1:{port}"
    host = f"{TENANTS['alpha']['domain']}:{port}"
    alpha_keys = {name: full for name, (_key, full) in live_world["alpha"]["keys"].items()}
    scope_keys = [full for name, full in alpha_keys.items() if name != "all"]
    _beta_key, beta_full = live_world["beta"]["keys"]["all"]
    counts = {"cases": 0, "requests": 0, "statuses": {}}

    def send(case, key):
        response = case.call(
            base_url=base_url, headers={"Host": host, "Authorization": f"Bearer {key}"}
        )
        counts["requests"] += 1
        counts["statuses"][response.status_code] = (
            counts["statuses"].get(response.status_code, 0) + 1
        )
        return response

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 14
    with override_settings(API_RATE_LIMIT_PER_MINUTE=100_000):
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @given(case=operation.as_strategy(generation_mode=mode))
                @settings(
                    max_examples=EXAMPLES,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    suppress_health_check=list(HealthCheck),
                )
                def fuzz(case):
                    counts["cases"] += 1
                    # The all-scopes key, and one single-scope key in turn: every scope
                    # meets every operation over the run.
                    turn = scope_keys[counts["cases"] % len(scope_keys)]
                    for key in (alpha_keys["all"], turn):
                        response = send(case, key)
                        case.validate_response(response, checks=CHECKS)
                        text = response.text
                        assert not any(marker in text for marker in BETA_MARKERS), text[:300]
                    if counts["cases"] % 3 == 0:
                        # Beta's key at alpha's host: refused, whatever the case.
                        refused = send(case, beta_full)
                        assert refused.status_code in (401, 404, 405), refused.status_code
                        case.validate_response(refused, checks=CHECKS)

                fuzz()
    print(
        f"\nschemathesis: {counts['cases']} generated cases, {counts['requests']} requests, "
        f"statuses {dict(sorted(counts['statuses'].items()))}"
    )
    assert counts["statuses"].get(500, 0) == 0
    assert counts["cases"] >= len(operations) * 2
    assert counts["statuses"].get(200, 0) > 0
