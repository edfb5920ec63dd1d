"""A signed contract is never edited: a change is an amendment, a new version signed again."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_tenants.utils import schema_context

from contracts.models import Amendment, ContractDocument
from contracts.services import (
    amendment_create,
    contract_sign_chief,
    contract_signing_link_send,
)
from tests.conftest import PASSWORD, tenant_client

from .conftest import director_form

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def active(centre_a):
    from tests.factories import ContractFactory

    with schema_context("alpha"):
        return ContractFactory(
            centre=centre_a,
            status="active",
            start=date(2026, 1, 1),
            end=date(2027, 12, 31),
            chief_signed_at=NOW,
            director_signed_at=NOW,
            director_name="Dorthe Direktør",
        )


def test_amendment_through_the_browser_is_a_new_version_signed_again(
    login, client_a, konsulent, chef, active, django_capture_on_commit_callbacks
):
    from django.core import mail

    login("alpha", user=konsulent)
    response = client_a.post(
        f"/kontrakter/{active.pk}/tillaeg/ny/",
        {
            "valid_from": "2026-04-01",
            "reason": "To pladser mere i frugt og grønt",
            "places": "6",
            "mentor_hours_per_week": "12.5",
            "payment_model": "per_place_month",
            "payment_amount": "1500",
            "establishment_amount": "0",
        },
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        amendment = Amendment.objects.get(contract=active)
    assert (amendment.version, amendment.status, amendment.places) == (2, "draft", 6)
    # The contract itself is unchanged.
    with schema_context("alpha"):
        active.refresh_from_db()
    assert active.places == 4 and active.status == "active"
    # Both sign version 2 again.
    chief_client = login("alpha", user=chef, client=tenant_client("alpha"))
    assert (
        chief_client.post(
            f"/kontrakter/{active.pk}/version/2/underskriv/", {"password": PASSWORD}
        ).status_code
        == 302
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(
            f"/kontrakter/{active.pk}/version/2/underskriftslink/",
            {"director_name": "Dorthe Direktør", "director_email": "d@brugsen.example"},
        )
    assert "tillæg, version 2" in mail.outbox[-1].body
    path = mail.outbox[-1].body.split("http://alpha.test.localhost")[1].split()[0]
    director = Client(HTTP_HOST="alpha.test.localhost", REMOTE_ADDR="192.0.2.1")
    assert "To pladser mere" in director.get(path).content.decode()
    assert director.post(path, director_form(director, path)).status_code == 200
    with schema_context("alpha"):
        amendment.refresh_from_db()
        assert amendment.status == "signed"
        assert amendment.director_ip == "192.0.2.1"
        assert active.place_set.count() == 6  # the new places exist
        assert ContractDocument.objects.filter(contract=active, version=2, kind="signed").exists()
    # The page shows every version.
    body = client_a.get(f"/kontrakter/{active.pk}/").content.decode()
    assert 'id="version-1"' in body and 'id="version-2"' in body
    assert "To pladser mere" in body


def test_second_open_amendment_is_refused(active, konsulent):
    with schema_context("alpha"):
        amendment_create(
            contract=active, valid_from=date(2026, 4, 1), reason="A", acting_user=konsulent
        )
        with pytest.raises(ValidationError, match="allerede et tillæg"):
            amendment_create(
                contract=active, valid_from=date(2026, 5, 1), reason="B", acting_user=konsulent
            )
        assert Amendment.objects.count() == 1


def test_a_draft_gets_no_amendment_and_bad_terms_change_nothing(draft, active, konsulent):
    with schema_context("alpha"):
        with pytest.raises(ValidationError, match="underskrevet eller aktiv"):
            amendment_create(
                contract=draft, valid_from=date(2026, 4, 1), reason="x", acting_user=konsulent
            )
        with pytest.raises(ValidationError):
            amendment_create(
                contract=active,
                valid_from=date(2026, 4, 1),
                reason="x",
                payment_model="mentor_hours",
                acting_user=konsulent,
            )
        with pytest.raises(ValidationError):
            amendment_create(
                contract=active, valid_from=date(2030, 1, 1), reason="x", acting_user=konsulent
            )
        assert not Amendment.objects.exists()


def test_versions_are_numbered_after_each_other(active, konsulent, chef):
    with schema_context("alpha"):
        a2 = amendment_create(
            contract=active,
            valid_from=date(2026, 4, 1),
            reason="A",
            payment_amount=Decimal(1600),
            acting_user=konsulent,
        )
        contract_sign_chief(
            contract=active, version=2, password=PASSWORD, now=NOW, acting_user=chef
        )
        # The director signs directly through the service here (the link is tested elsewhere).
        tokens = []
        contract_signing_link_send(
            contract=active,
            version=2,
            director_name="D",
            director_email="d@x.example",
            url_for_token=tokens.append,
            now=datetime.now(UTC),
            acting_user=konsulent,
        )
        from contracts.services import contract_sign_director

        contract_sign_director(token=tokens[0], name="D", ip="192.0.2.2", now=datetime.now(UTC))
        a3 = amendment_create(
            contract=active, valid_from=date(2026, 6, 1), reason="B", acting_user=konsulent
        )
    assert (a2.version, a3.version) == (2, 3)
    assert a3.payment_amount == Decimal(1600)  # starts from the version in force
