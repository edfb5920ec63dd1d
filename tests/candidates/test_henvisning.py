"""Step 1: henvisning - register or find by CPR (never a duplicate), refer to the venteliste."""

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from candidates.cpr_crypto import cpr_hmac
from candidates.models import Candidate, Referral
from tests.factories import CandidateFactory

NEW = {
    "step": "create",
    "cpr": "0101901234",
    "name": "Bo Berg",
    "benefit": "kontanthjaelp",
    "matchgruppe": "3",
    "barriers": ["sprog"],
    "wishes": "butik",
    "reason": "Afklaring af arbejdsevne",
}


def test_sagsbehandler_registers_and_refers_new_candidate(as_role):
    client = as_role("sagsbehandler")
    lookup = client.post("/kandidater/henvisning/", {"cpr": "010190-1234", "step": "lookup"})
    assert lookup.status_code == 200
    assert "Opret og henvis" in lookup.content.decode()
    response = client.post("/kandidater/henvisning/", NEW)
    assert response.status_code == 302
    with schema_context("alpha"):
        candidate = Candidate.objects.get(cpr_hmac=cpr_hmac("0101901234"))
        referral = Referral.objects.get(candidate=candidate)
        assert referral.status == "venter"
        assert referral.created_by.email.startswith("sagsbehandler")
        assert candidate.barriers == ["sprog"]
        assert {e.action for e in AuditEvent.objects.all()} == {
            "candidate.create",
            "referral.create",
        }


@pytest.mark.usefixtures("tenant_a")
def test_known_cpr_leads_to_the_existing_candidate_never_a_duplicate(as_role):
    with schema_context("alpha"):
        existing = CandidateFactory(cpr="0101901234", name="Bo Berg")
    client = as_role("jobkonsulent")
    response = client.post("/kandidater/henvisning/", {"cpr": "0101901234", "step": "lookup"})
    assert response.status_code == 302
    assert response["Location"] == f"/kandidater/{existing.pk}/henvis/"
    # Posting the create form anyway is refused, with a Danish message.
    response = client.post("/kandidater/henvisning/", NEW)
    assert response.status_code == 200
    assert "findes allerede en kandidat" in response.content.decode()
    with schema_context("alpha"):
        assert Candidate.objects.filter(cpr_hmac=cpr_hmac("0101901234")).count() == 1
        assert not Referral.objects.exists()


@pytest.mark.parametrize("cpr", ["1234", "3213901234", "abcdefghij"])
def test_invalid_cpr_is_refused_in_danish(as_role, cpr):
    client = as_role("sagsbehandler")
    response = client.post("/kandidater/henvisning/", {"cpr": cpr, "step": "lookup"})
    assert response.status_code == 200
    assert "Ugyldigt CPR-nummer" in response.content.decode()
    response = client.post("/kandidater/henvisning/", {**NEW, "cpr": cpr})
    assert response.status_code == 200
    with schema_context("alpha"):
        assert not Candidate.objects.exists()


def test_referral_without_reason_is_refused_and_nothing_is_saved(as_role):
    client = as_role("sagsbehandler")
    response = client.post("/kandidater/henvisning/", {**NEW, "reason": ""})
    assert response.status_code == 200
    with schema_context("alpha"):
        assert not Candidate.objects.exists()


def test_existing_candidate_is_referred_once(as_role, centre_setup):
    candidate = centre_setup["candidate"]
    client = as_role("sagsbehandler")
    url = f"/kandidater/{candidate.pk}/henvis/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Afklaring", "wishes": "lager"}).status_code == 302
    again = client.post(url, {"reason": "Igen", "wishes": ""})
    assert again.status_code == 200
    assert "står allerede på ventelisten" in again.content.decode()
    with schema_context("alpha"):
        assert Referral.objects.filter(candidate=candidate).count() == 1


@pytest.mark.parametrize("role", ["mentor", "jobcenterchef", "outsider"])
def test_other_roles_cannot_refer(as_role, role, centre_setup):
    client = as_role(role)
    assert client.get("/kandidater/henvisning/").status_code == 403
    candidate = centre_setup["candidate"]
    assert client.post(f"/kandidater/{candidate.pk}/henvis/", {"reason": "x"}).status_code == 403
    with schema_context("alpha"):
        assert not Referral.objects.exists()


def test_anonymous_is_sent_to_login(client_a):
    response = client_a.get("/kandidater/henvisning/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.usefixtures("tenant_a")
def test_the_cpr_lookup_never_takes_the_number_from_the_url(as_role):
    """History, server logs and Referer headers must never carry a CPR number."""
    with schema_context("alpha"):
        CandidateFactory(cpr="0101901234", name="Bo Berg")
    client = as_role("jobkonsulent")
    page = client.get("/kandidater/henvisning/")
    assert '<form method="post"' in page.content.decode()
    response = client.get("/kandidater/henvisning/", {"cpr": "0101901234"})
    assert response.status_code == 200  # the empty lookup form, not the candidate
    assert "Bo Berg" not in response.content.decode()
