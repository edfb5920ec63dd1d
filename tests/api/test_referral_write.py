"""Referrals written through the API (write:referrals): the case system refers a person by CPR
number as the jobkonsulent does in the app - the same services, rules and audit log, the key
named as who did it; a person not yet registered is registered in the same step, or nothing."""

import json
from datetime import date

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from candidates.models import Candidate, Referral
from tests.factories import cpr_for

pytestmark = pytest.mark.django_db
NEW_CPR = cpr_for(date(1990, 5, 17))


def _new(**extra):
    return {
        "cpr": NEW_CPR,
        "reason": "Ledig i 14 måneder, ønsker praktik",
        "wishes": "lager",
        "name": "Sofie Henvist",
        "benefit": "kontanthjaelp",
        **extra,
    }


def test_a_new_person_is_registered_and_referred_in_one_call_under_the_keys_name(api_as, world):  # noqa: ARG001
    client = api_as("alpha", ["write:referrals", "read:candidates"], name="KMD Momentum")
    answer = client.post("/api/v1/referrals", _new(barriers=["sprog"]))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["candidate_created"] is True and body["status"] == "venter"
    with schema_context("alpha"):
        candidate = Candidate.objects.get(pk=body["candidate_id"])
        assert (candidate.name, candidate.cpr, candidate.wishes) == (
            "Sofie Henvist",
            NEW_CPR,
            "lager",
        )
        assert candidate.barriers == ["sprog"] and candidate.birth_date == date(1990, 5, 17)
        assert Referral.objects.get(pk=body["id"]).reason == "Ledig i 14 måneder, ønsker praktik"
        events = AuditEvent.objects.filter(action__in=["candidate.create", "referral.create"])
        assert {(e.action, e.actor_label) for e in events} == {
            ("candidate.create", "API-nøgle: KMD Momentum"),
            ("referral.create", "API-nøgle: KMD Momentum"),
        }
    # The waiting list the jobkonsulent opens shows it; the read API returns it.
    listed = client.get("/api/v1/referrals").json()["items"]
    assert body["id"] in [r["id"] for r in listed]


def test_a_registered_person_is_found_by_cpr_and_referred_without_a_second_candidate(api_as, world):
    client = api_as("alpha", ["write:referrals"])
    with schema_context("alpha"):
        known = Candidate.objects.create(
            cpr=NEW_CPR, name="Kendt Person", benefit="kontanthjaelp", birth_date=date(1990, 5, 17)
        )
    # Dashed, and with no name: the candidate exists, so none is needed.
    cpr = f"{NEW_CPR[:6]}-{NEW_CPR[6:]}"
    answer = client.post("/api/v1/referrals", {"cpr": cpr, "reason": "Ny vurdering"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["candidate_id"] == known.pk and answer.json()["candidate_created"] is False
    with schema_context("alpha"):
        assert Candidate.objects.filter(cpr_hmac=known.cpr_hmac).count() == 1
    assert world["alpha"]["candidate"].pk != known.pk


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (_new(name=None), "ikke registreret som kandidat: angiv navn og ydelse"),
        (_new(benefit=None), "angiv navn og ydelse"),
        (_new(name="  "), "angiv navn og ydelse"),
        (_new(cpr="3213901234"), "CPR"),
        (_new(reason="   "), "begrundelsen"),
        (_new(email="ikke-en-adresse"), "e-mail"),
    ],
)
def test_a_refused_referral_says_why_in_danish_and_leaves_nothing_behind(
    api_as,
    world,  # noqa: ARG001 - the world's rows must exist
    body,
    words,
):
    client = api_as("alpha", ["write:referrals"])
    with schema_context("alpha"):
        before = (Candidate.objects.count(), Referral.objects.count())
    answer = client.post("/api/v1/referrals", body)
    assert answer.status_code == 422, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert words.lower() in json.dumps(answer.json(), ensure_ascii=False).lower()
    with schema_context("alpha"):
        assert (Candidate.objects.count(), Referral.objects.count()) == before


def test_a_candidate_in_a_course_or_already_waiting_is_refused(api_as, world):
    placed = world["alpha"]["candidate"]
    client = api_as("alpha", ["write:referrals"])
    answer = client.post("/api/v1/referrals", {"cpr": placed.cpr, "reason": "Igen"})
    assert answer.status_code == 422 and "i et forløb" in answer.json()["detail"]
    assert client.post("/api/v1/referrals", _new()).status_code == 201
    again = client.post("/api/v1/referrals", {"cpr": NEW_CPR, "reason": "Igen"})
    assert again.status_code == 422 and "ventelisten" in again.json()["detail"]


def test_an_idempotency_key_replays_the_first_answer_and_refers_once(api_as, world):  # noqa: ARG001
    client = api_as("alpha", ["write:referrals"])
    first = client.post("/api/v1/referrals", _new(), **{"Idempotency-Key": "henv-1"})
    again = client.post("/api/v1/referrals", _new(), **{"Idempotency-Key": "henv-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and json.loads(again.content) == first.json()
    with schema_context("alpha"):
        assert Referral.objects.filter(candidate__name="Sofie Henvist").count() == 1


def test_without_write_referrals_or_at_another_jobcentre_nothing_is_written(api_as, world):  # noqa: ARG001
    reader = api_as("alpha", ["read:candidates", "read:cpr", "write:attendance"])
    assert reader.post("/api/v1/referrals", _new()).status_code == 403
    beta_writer = api_as("beta", ["write:referrals"])
    assert beta_writer.post("/api/v1/referrals", _new()).status_code == 201
    with schema_context("alpha"):
        assert not Candidate.objects.filter(name="Sofie Henvist").exists()
    with schema_context("beta"):
        assert Candidate.objects.filter(name="Sofie Henvist").count() == 1
