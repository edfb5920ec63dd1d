"""Contract tests: users per role and a draft in alpha."""

from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from tests.conftest import make_user
from tests.factories import CentreFactory, CompanyFactory


@pytest.fixture
def konsulent(tenant_a):
    return make_user(tenant_a, "jobkonsulent", email="konsulent@alpha.test")


@pytest.fixture
def chef(tenant_a):
    return make_user(tenant_a, "jobcenterchef", email="chef@alpha.test")


@pytest.fixture
def centre_a(tenant_a):
    with schema_context("alpha"):
        company = CompanyFactory(
            name="Brugsen Nørre Aaby",
            address="Torvet 1",
            postal_code="5580",
            city="Nørre Aaby",
            union_rep="Hanne Tillid",
        )
        return CentreFactory(
            company=company,
            name="Brugsen Virksomhedscenter",
            work_tasks=["bageri", "frugt og grønt"],
            support_activities=["danskundervisning"],
        )


DRAFT_TERMS = {
    "start": date(2026, 1, 1),
    "end": date(2027, 12, 31),
    "places": 4,
    "payment_model": "per_place_month",
    "payment_amount": Decimal(1500),
    "goals_text": "Afklaring og udredning",
    "work_tasks": "Bageri, frugt og grønt",
}


@pytest.fixture
def draft(centre_a, konsulent):
    from contracts.services import contract_create

    with schema_context("alpha"):
        return contract_create(centre=centre_a, acting_user=konsulent, **DRAFT_TERMS)


def approve_all(contract, user, on=date(2025, 12, 1), schema="alpha"):
    """Give every approval step of the jobcentre's settings (by default the employee
    representative's statement alone)."""
    from contracts.models import ApprovalSettings
    from contracts.services import contract_approval_record

    with schema_context(schema):
        for step in ApprovalSettings.current().steps:
            contract = contract_approval_record(
                contract=contract,
                step=step,
                approved_by=f"Godkender af {step}",
                approved_on=on,
                statement="Rimelighedskravet er overholdt; opgaverne er aftalt.",
                today=on,
                acting_user=user,
            )
    return contract


def pending_documents_render(schema="alpha") -> None:
    """Render the queued contract PDFs here (the tests' transactions never commit, so no
    task is sent; the worker's own body runs instead)."""
    from contracts.models import ContractDocument
    from contracts.services import contract_document_render

    with schema_context(schema):
        for pk in ContractDocument.objects.filter(state="queued").values_list("pk", flat=True):
            contract_document_render(document_id=pk)


def director_form(client, path, *, name="Dorthe Direktør", title="Direktør", schema="alpha"):
    """What the director's signing page posts: opening the page queues the PDF to be
    signed; once it is rendered the page shows it, with its SHA-256 in the form."""
    import re

    client.get(path)
    pending_documents_render(schema)
    page = client.get(path).content.decode()
    # A used or expired link shows no form: the post then shows the refusal.
    fields = dict(re.findall(r'name="(shown|document_sha256)" value="([^"]*)"', page))
    return {"name": name, "title": title, "accept": "on", **fields}
