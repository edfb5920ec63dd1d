"""The whole Centerkontrakt lifecycle through the browser: draft, approvals, both signatures,
active on the start date and ended after the end date."""

import re
from datetime import UTC, date, datetime, timedelta

from django.core import mail
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from contracts.models import Contract, ContractDocument
from contracts.rules import EMPLOYEE_STATEMENT_STEP
from contracts.services import contract_status_transitions
from tests.conftest import PASSWORD, tenant_client

from .conftest import director_form

FORM = {
    "start": "2026-01-01",
    "end": "2027-12-31",
    "places": "4",
    "course_weeks": "13",
    "mentor_hours_per_week": "10",
    "payment_model": "per_place_month",
    "payment_amount": "1500",
    "establishment_amount": "5000",
    "goals_text": "Afklaring og udredning",
    "goal_ordinary_job_pct": "20",
    "goal_education_pct": "10",
    "target_group": "Aktivitetsparate",
    "target_age_min": "18",
    "target_age_max": "30",
    "target_barriers": ["sprog", "psykisk"],
    "work_tasks": "Bageri",
    "support_activities": "Danskundervisning",
    "reception": "Mentor tager imod",
    "absence_handling": "Ring samme dag",
    "udslusning": "Samtale til sidst",
    "director_name": "Dorthe Direktør",
    "director_email": "dorthe@brugsen.example",
}


def test_new_contract_form_offers_the_concepts_defaults(login, client_a, konsulent, centre_a):
    login("alpha", user=konsulent)
    body = client_a.get(f"/kontrakter/ny/?centre={centre_a.pk}").content.decode()
    assert 'name="course_weeks" value="13"' in body
    assert 'name="places" value="4"' in body
    assert re.search(r"name=\"mentor_hours_per_week\" value=\"10[.,]?0*\"", body), body
    assert '<option value="per_place_month" selected>' in body
    assert "bageri" in body  # the centre's work tasks


def test_bad_input_gives_danish_errors_and_creates_nothing(login, client_a, konsulent, centre_a):
    login("alpha", user=konsulent)
    data = FORM | {
        "centre": str(centre_a.pk),
        "end": "2025-01-01",
        "payment_model": "mentor_hours",
        "goal_education_pct": "120",
    }
    response = client_a.post("/kontrakter/ny/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Slutdatoen ligger før startdatoen." in body
    assert "Frikøb af mentortimer kræver timesats og timer pr. uge." in body
    assert "En andel skal ligge mellem 0 og 100 %." in body
    assert "Begrænsning" not in body  # no generic constraint texts
    with schema_context("alpha"):
        assert not Contract.objects.exists()


def test_whole_lifecycle_in_the_browser(
    login, client_a, konsulent, chef, centre_a, django_capture_on_commit_callbacks
):
    from django.test import Client

    # 1. The jobkonsulent drafts and edits.
    login("alpha", user=konsulent)
    response = client_a.post("/kontrakter/ny/", FORM | {"centre": str(centre_a.pk)})
    assert response.status_code == 302
    with schema_context("alpha"):
        contract = Contract.objects.get()
    assert contract.status == "draft"
    assert contract.target_barriers == ["sprog", "psykisk"]
    response = client_a.post(
        f"/kontrakter/{contract.pk}/rediger/", FORM | {"centre": str(centre_a.pk), "places": "6"}
    )
    assert response.status_code == 302
    # 2. The jobcentre's one default step, the employee representative's statement,
    # records who, when and what it says.
    client_a.post(
        f"/kontrakter/{contract.pk}/godkendelse/",
        {
            "step": EMPLOYEE_STATEMENT_STEP,
            "approved_by": "Hanne Tillid",
            "approved_on": "2025-12-03",
            "statement": "6 pladser ved 40 ordinært ansatte; opgaverne fortrænger ingen.",
        },
    )
    with schema_context("alpha"):
        contract.refresh_from_db()
        approval = contract.current_approvals.get()
    assert contract.places == 6
    assert contract.status == "approved"
    assert approval.approved_by == "Hanne Tillid"
    assert approval.approved_on == date(2025, 12, 3)
    assert approval.recorded_by_id == konsulent.pk
    assert "fortrænger ingen" in approval.statement
    # 3. A signing link goes to the director by e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(
            f"/kontrakter/{contract.pk}/version/1/underskriftslink/",
            {"director_name": "Dorthe Direktør", "director_email": "dorthe@brugsen.example"},
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dorthe@brugsen.example"]
    link = re.search(
        r"http://alpha\.test\.localhost(/kontrakter/underskriv/\S+/)", mail.outbox[0].body
    )
    assert link
    # 4. The chief signs after re-entering the password; a wrong one signs nothing.
    chief_client = login("alpha", user=chef, client=tenant_client("alpha"))
    url = f"/kontrakter/{contract.pk}/version/1/underskriv/"
    response = chief_client.post(url, {"password": "forkert"})
    assert response.status_code == 400
    assert "Forkert adgangskode" in response.content.decode()
    with schema_context("alpha"):
        contract.refresh_from_db()
    assert contract.chief_signed_at is None
    assert chief_client.post(url, {"password": PASSWORD}).status_code == 302
    # 5. The director signs through the link without an account.
    director = Client(HTTP_HOST="alpha.test.localhost", REMOTE_ADDR="198.51.100.7")
    page = director.get(link.group(1))
    assert page.status_code == 200
    assert "Brugsen Nørre Aaby" in page.content.decode()
    response = director.post(link.group(1), director_form(director, link.group(1)))
    assert response.status_code == 200
    assert "Tak for underskriften" in response.content.decode()
    with schema_context("alpha"):
        contract.refresh_from_db()
        assert contract.status == "signed"
        assert contract.director_name == "Dorthe Direktør"
        assert contract.director_ip == "198.51.100.7"
        assert contract.chief_signed_by_id == chef.pk
        # Both signed: the final PDF is queued (rendered by the worker, tested elsewhere).
        signed = ContractDocument.objects.get(contract=contract, kind="signed")
        assert signed.state == "queued"
        actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "contract.create",
        "contract.update",
        "contract.approve",
        "contract.signing_link.send",
        "contract.sign.chief",
        "contract.sign.director",
        "contract.signed",
    } <= actions
    # 6. A signed contract is never edited.
    response = client_a.get(f"/kontrakter/{contract.pk}/rediger/")
    assert response.status_code == 302
    # 7. The daily job: active on the start date, ended after the end date.
    with schema_context("alpha"):
        assert contract_status_transitions(today=date(2025, 12, 31)) == {"activated": 0, "ended": 0}
        assert contract_status_transitions(today=date(2026, 1, 1)) == {"activated": 1, "ended": 0}
        assert contract_status_transitions(today=date(2027, 12, 31)) == {"activated": 0, "ended": 0}
        assert contract_status_transitions(today=date(2028, 1, 1)) == {"activated": 0, "ended": 1}
        contract.refresh_from_db()
    assert contract.status == "ended"
    detail = client_a.get(f"/kontrakter/{contract.pk}/").content.decode()
    assert "Udløbet" in detail
    assert "Dorthe Direktør" in detail
    assert "198.51.100.7" in detail


def test_editing_an_approved_contract_sends_it_back_to_draft(draft, konsulent):
    from contracts.services import contract_update

    from .conftest import approve_all

    contract = approve_all(draft, konsulent)
    assert contract.status == "approved"
    with schema_context("alpha"):
        contract = contract_update(contract=contract, places=5, acting_user=konsulent)
    assert contract.status == "draft"
    with schema_context("alpha"):
        assert not contract.current_approvals.exists()
        # Kept, with the time the edit superseded it.
        assert contract.approvals.get().superseded_at is not None


def test_approval_in_the_future_is_refused_and_changes_nothing(login, client_a, konsulent, draft):
    login("alpha", user=konsulent)
    response = client_a.post(
        f"/kontrakter/{draft.pk}/godkendelse/",
        {
            "step": EMPLOYEE_STATEMENT_STEP,
            "approved_by": "Hanne Tillid",
            "approved_on": "2099-01-01",
            "statement": "Godkendt.",
        },
        follow=True,
    )
    assert "Godkendelsesdatoen ligger i fremtiden." in response.content.decode()
    with schema_context("alpha"):
        assert not draft.approvals.exists()


def test_transitions_job_skips_drafts_and_contracts_not_yet_started(draft, centre_a):
    from tests.factories import ContractFactory

    with schema_context("alpha"):
        future = ContractFactory(
            centre=centre_a, status="signed", start=date(2026, 6, 1), end=date(2026, 12, 31)
        )
        late = ContractFactory(
            centre=centre_a, status="signed", start=date(2025, 1, 1), end=date(2025, 6, 30)
        )
        counts = contract_status_transitions(today=date(2026, 1, 15))
        assert counts == {"activated": 0, "ended": 1}
        future.refresh_from_db(), late.refresh_from_db(), draft.refresh_from_db()
        assert (draft.status, future.status, late.status) == ("draft", "signed", "ended")
        # Idempotent: the same day again changes nothing.
        assert contract_status_transitions(today=date(2026, 1, 15)) == {"activated": 0, "ended": 0}
        assert AuditEvent.objects.filter(action="contract.ended", actor=None).count() == 1


def test_daily_transitions_job_is_scheduled_for_every_tenant():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["contract-status-transitions"]
    assert entry["task"] == "contracts.tasks.contract_status_transitions_daily"
    assert "tenant_schemas" not in entry  # runs for all jobcentres
    assert entry["schedule"].remaining_estimate(datetime(2026, 1, 1, tzinfo=UTC)) < (
        timedelta(days=1)
    )
