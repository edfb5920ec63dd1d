"""List reads of personal data are logged with who, when, the purpose, the candidates shown
and - for a search - the criteria, a CPR number masked (issue 17, finding 6); a citizen's
access report includes the list reads they appeared in."""

from datetime import date

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from candidates.models import Referral
from tests.conftest import TENANTS
from tests.factories import CandidateFactory, ContractFactory

from .conftest import users_for


@pytest.fixture
def waiting(tenant_a):  # noqa: ARG001 - a fixture asked for its effect
    with schema_context("alpha"):
        return [
            Referral.objects.create(
                candidate=CandidateFactory(name=name, cpr=cpr, birth_date=born),
                reason="Praktik",
                referred_on=date(2025, 1, 6),
            )
            for name, cpr, born in (
                ("Vera Venter", "0101901234", date(1990, 1, 1)),
                ("Villy Venter", "0202851234", date(1985, 2, 2)),
            )
        ]


@pytest.fixture
def konsulent(tenant_a, login):
    user = users_for(tenant_a)["jobkonsulent"]
    client = Client(HTTP_HOST=TENANTS["alpha"]["domain"], REMOTE_ADDR="10.1.2.3")
    return login("alpha", user=user, client=client)


def _reads(action="list.view"):
    with schema_context("alpha"):
        return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_the_waiting_list_is_logged_with_the_candidates_it_shows(konsulent, waiting):
    page = konsulent.get("/kandidater/venteliste/").content.decode()
    assert "Vera Venter" in page and "Villy Venter" in page
    (event,) = _reads()
    assert event.purpose == "Venteliste" and event.is_access
    assert event.subjects == sorted(r.candidate_id for r in waiting)
    assert event.actor_role == "jobkonsulent" and event.ip == "10.1.2.3"
    assert "Venter" not in event.object_label + event.criteria


def test_a_search_is_logged_with_its_criteria_and_a_cpr_number_masked(konsulent, waiting):
    vera = waiting[0].candidate
    for path in ("/kandidater/venteliste/", "/kandidater/"):
        page = konsulent.get(path, {"q": "010190-1234"}).content.decode()
        assert "Vera Venter" in page and "Villy Venter" not in page
    konsulent.get("/kandidater/forloeb/", {"q": "Centeret", "state": "igang"})
    events = _reads()
    assert [e.subjects for e in events[:2]] == [[vera.pk], [vera.pk]]
    for event in events:
        assert "1234" not in event.criteria
    assert "CPR-søgning: 010190-XXXX" in events[0].criteria
    assert "Centeret" in events[2].criteria and "I gang" in events[2].criteria


def test_the_refill_page_and_an_export_log_every_candidate_shown_in_one_event(konsulent, waiting):
    with schema_context("alpha"):
        contract = ContractFactory(start=date(2025, 1, 1), end=date(2027, 12, 31))
    page = konsulent.get(f"/centre/kontrakt/{contract.pk}/genbesaet/")
    assert page.status_code == 200 and "Vera Venter" in page.content.decode()
    (event,) = _reads()
    assert event.purpose == "Venteliste: genbesættelse af en plads"
    assert event.subjects == sorted(r.candidate_id for r in waiting)
    konsulent.get("/kandidater/venteliste/", {"eksport": "csv"})
    assert len(_reads()) == 1  # the download is an export, not a list read too
    (export,) = _reads("export")
    assert export.subjects == sorted(r.candidate_id for r in waiting)


def test_the_citizens_access_report_has_the_list_reads_they_appeared_in(konsulent, waiting, login):
    konsulent.get("/kandidater/venteliste/", {"q": "Villy"})
    konsulent.get("/kandidater/venteliste/")
    vera, villy = (r.candidate for r in waiting)
    chef = login("alpha", role="jobcenterchef")
    rows = {}
    for person in (vera, villy):
        csv = chef.get(f"/revision/kandidat/{person.pk}/adgangslog.csv")
        rows[person.name] = csv.content.decode("utf-8-sig").count(";Venteliste")
    assert rows == {"Vera Venter": 1, "Villy Venter": 2}
    log = chef.get(f"/revision/kandidat/{villy.pk}/").content.decode()
    assert "list.view" in log and "Villy Venter" in log


def test_audit_rows_name_a_candidate_by_id_and_the_page_shows_the_current_name(tenant_a, login):
    from candidates import services

    with schema_context("alpha"):
        person = services.candidate_create(
            cpr="0303801234",
            name="Nanna Navnløs",
            benefit="kontanthjaelp",
            acting_user=users_for(tenant_a)["sagsbehandler"],
        )
        event = AuditEvent.objects.get(action="candidate.create")
    assert event.object_label == f"Kandidat #{person.pk}"
    page = login("alpha", role="jobcenterchef").get("/revision/").content.decode()
    assert "Nanna Navnløs" in page  # resolved when shown, while the person exists


def test_search_criteria_keep_a_cpr_number_masked_and_text_as_typed():
    from audit.rules import neutral_label, search_criteria

    assert search_criteria("010190-1234") == "CPR-søgning: 010190-XXXX"
    assert search_criteria(" 0101901234 ") == "CPR-søgning: 010190-XXXX"
    assert search_criteria("01019012") == "CPR-søgning: 010190-XXXX"
    assert search_criteria("0101") == "CPR-søgning: 0101"  # part of a birth date
    assert search_criteria("Hansen") == "Hansen"
    assert neutral_label("kandidat", 12) == "Kandidat #12"
