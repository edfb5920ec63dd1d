"""Each resource of /api/v1/: its rows, only the jobcentre's own, CPR only with read:cpr,
reads of people in the audit log under the key's name, cursor pages, changed-since, ETags."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/companies",
    "/api/v1/centres",
    "/api/v1/contracts",
    "/api/v1/places",
    "/api/v1/candidates",
    "/api/v1/referrals",
    "/api/v1/courses",
    "/api/v1/attendance",
    "/api/v1/mentor-hours",
    "/api/v1/statements",
]


def test_every_list_shows_only_the_jobcentres_own_rows(api_as, world):
    alpha, beta = world["alpha"], world["beta"]
    client = api_as("alpha")
    for path in LISTS:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert "Beta" not in text, path
    companies = client.get("/api/v1/companies").json()["items"]
    assert [c["cvr"] for c in companies] == [alpha["company"].cvr]
    assert companies[0]["workplaces"][0]["p_number"] == alpha["centre"].workplace.p_number
    assert companies[0]["vat_category"] == "O"
    contracts = client.get("/api/v1/contracts").json()["items"]
    assert contracts[0]["payment_model"] == "per_place_month"
    assert contracts[0]["payment_amount"] == "1500.00"
    places = client.get("/api/v1/places").json()["items"]
    assert len(places) == 4
    assert [p["occupied"] for p in places] == [True, False, False, False]
    courses = client.get("/api/v1/courses").json()["items"]
    assert courses[0]["candidate_id"] == alpha["candidate"].pk
    assert courses[0]["centre_id"] == alpha["centre"].pk
    # Beta's key sees beta's.
    beta_companies = api_as("beta").get("/api/v1/companies").json()["items"]
    assert [c["cvr"] for c in beta_companies] == [beta["company"].cvr]


def test_cpr_only_with_read_cpr_and_every_read_of_people_is_logged_with_key_and_purpose(
    api_as, world
):
    candidate = world["alpha"]["candidate"]
    without = api_as("alpha", ["read:candidates"], name="Uden CPR")
    row = without.get("/api/v1/candidates").json()["items"][0]
    assert row["name"] == candidate.name and row["cpr"] is None
    with_cpr = api_as("alpha", ["read:candidates", "read:cpr"], name="Med CPR")
    row = with_cpr.get("/api/v1/candidates").json()["items"][0]
    assert row["cpr"] == candidate.cpr
    with schema_context("alpha"):
        events = list(AuditEvent.objects.filter(action__startswith="api.candidates").order_by("at"))
        assert [(e.actor_label, e.action, e.fields) for e in events] == [
            ("API-nøgle: Uden CPR", "api.candidates", []),
            ("API-nøgle: Med CPR", "api.candidates.cpr", ["cpr"]),
        ]
        assert all(e.is_access and e.subjects == [candidate.pk] for e in events)
        assert all(e.purpose == "Synkronisering med fagsystemet" for e in events)
        assert events[0].actor_role == "api"
    without.get("/api/v1/courses")
    with schema_context("alpha"):
        assert AuditEvent.objects.filter(action="api.courses", subjects=[candidate.pk]).exists()


def test_cursor_pages_return_every_row_once_in_change_order(api_as, world):  # noqa: ARG001
    with schema_context("alpha"):
        for n in range(4):
            CandidateFactory(name=f"Ekstra {n}")
    client = api_as("alpha", ["read:candidates"])
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/candidates", params).json()
        seen += [row["id"] for row in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == 5 == len(set(seen))


def test_changed_since_returns_only_rows_changed_from_then(api_as, world):
    client = api_as("alpha", ["read:centres"])
    before = timezone.now()
    assert (
        client.get("/api/v1/centres", {"changed_since": before.isoformat()}).json()["items"] == []
    )
    with schema_context("alpha"):
        centre = world["alpha"]["centre"]
        centre.name = "Alfa Centret (nyt navn)"
        centre.save()
    items = client.get("/api/v1/centres", {"changed_since": before.isoformat()}).json()["items"]
    assert [c["name"] for c in items] == ["Alfa Centret (nyt navn)"]
    later = (timezone.now() + timedelta(seconds=1)).isoformat()
    assert client.get("/api/v1/centres", {"changed_since": later}).json()["items"] == []


def test_a_status_saved_alone_and_a_change_of_a_shown_row_show_in_changed_since(
    api_as, world, admin_a
):
    """`save(update_fields=...)` bumps `updated_at` too, and a contract's amendment or a
    company's workplace changes the resource that shows it (codes.tracking)."""
    from contracts.services import amendment_create

    client = api_as("alpha", ["read:centres"])
    before = timezone.now()
    alpha = world["alpha"]
    with schema_context("alpha"):
        centre = alpha["centre"]
        centre.name = "Alfa Centret (kun navnet gemt)"
        centre.save(update_fields=["name"])
        workplace = centre.workplace
        workplace.name = "Alfa Lageret"
        workplace.save(update_fields=["name"])
        contract = alpha["contract"]
        amendment_create(
            contract=contract,
            valid_from=world["today"],
            reason="Flere pladser",
            places=5,
            acting_user=admin_a,
        )
    since = {"changed_since": before.isoformat()}
    centres = client.get("/api/v1/centres", since).json()["items"]
    assert [c["name"] for c in centres] == ["Alfa Centret (kun navnet gemt)"]
    companies = client.get("/api/v1/companies", since).json()["items"]
    assert [w["name"] for w in companies[0]["workplaces"]] == ["Alfa Lageret"]
    contracts = client.get("/api/v1/contracts", since).json()["items"]
    assert [a["version"] for a in contracts[0]["amendments"]] == [2]


@pytest.mark.parametrize("cursor", ["x", "W10", "WyJ4IiwgMV0", "eyJhIjogMX0", "W251bGwsIDFd"])
def test_a_bad_cursor_or_date_is_a_422_problem_in_danish(api_as, cursor):
    client = api_as("alpha", ["read:centres"])
    response = client.get("/api/v1/centres", {"cursor": cursor})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "cursor" in response.json()["detail"]
    bad_date = client.get("/api/v1/centres", {"changed_since": "i går"})
    assert bad_date.status_code == 422
    assert bad_date.json()["errors"][0]["felt"].endswith("changed_since")


def test_a_get_has_an_etag_and_answers_304_when_nothing_changed(api_as, world):  # noqa: ARG001
    client = api_as("alpha", ["read:centres"])
    first = client.get("/api/v1/centres")
    etag = first["ETag"]
    assert etag.startswith('"') or etag.startswith('W/"')
    assert client.get("/api/v1/centres", **{"If-None-Match": etag}).status_code == 304
    with schema_context("alpha"):
        centre = world["alpha"]["centre"]
        centre.name = "Ændret"
        centre.save()
    assert client.get("/api/v1/centres", **{"If-None-Match": etag}).status_code == 200


def test_a_304_shows_nobody_and_logs_no_read(api_as, world):  # noqa: ARG001
    client = api_as("alpha", ["read:candidates"], name="Fagsystem")
    first = client.get("/api/v1/candidates")
    assert first.status_code == 200 and first.json()["items"]
    again = client.get("/api/v1/candidates", **{"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    with schema_context("alpha"):
        reads = AuditEvent.objects.filter(
            action="api.candidates", actor_label="API-nøgle: Fagsystem"
        )
        assert reads.count() == 1


def test_kpi_for_a_period_not_computed_is_a_404_problem_and_a_wrong_period_422(api_as):
    client = api_as("alpha", ["read:kpi"])
    missing = client.get("/api/v1/kpi", {"period_from": "2025-01-01", "period_to": "2025-12-31"})
    assert missing.status_code == 404
    assert "ikke beregnet" in missing.json()["detail"]
    wrong = client.get("/api/v1/kpi", {"period_from": "2025-12-31", "period_to": "2025-01-01"})
    assert wrong.status_code == 422


def test_the_openapi_document_is_3_1_and_valid_against_the_openapi_3_1_schema(client_a):
    import jsonschema_rs
    from schemathesis.specs.openapi.definitions import OPENAPI_31

    response = client_a.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    jsonschema_rs.validator_for(OPENAPI_31).validate(document)
    assert "/api/v1/attendance" in document["paths"]
    problem = document["paths"]["/api/v1/companies"]["get"]["responses"]["403"]
    assert "application/problem+json" in problem["content"]
    docs = client_a.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
