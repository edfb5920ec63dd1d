"""The signed PDF, rendered by a real Celery worker in the tenant's schema, stored once."""

import hashlib
import time
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from django_tenants.utils import schema_context
from pypdf import PdfReader

from contracts.models import ContractApproval, ContractDocument
from contracts.services import contract_document_request
from tests.factories import CentreFactory, CompanyFactory, ContractFactory

pytestmark = pytest.mark.worker

SIGNED_AT = datetime(2025, 12, 10, 13, 30, tzinfo=UTC)


def wait_for(blocker, document_id: int, timeout: float = 60) -> ContractDocument:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with blocker.unblock(), schema_context("alpha"):
            document = ContractDocument.objects.get(pk=document_id)
        if not document.is_pending:
            return document
        time.sleep(0.2)
    pytest.fail("The worker did not render the PDF in time")


def stored_pdf(blocker, document_id: int) -> bytes:
    with blocker.unblock(), schema_context("alpha"):
        return bytes(ContractDocument.objects.get(pk=document_id).content)


@pytest.mark.usefixtures("celery_worker_process")
def test_worker_renders_the_signed_pdf_once_with_its_sha256(django_db_blocker):
    from accounts.models import User
    from accounts.services import user_create

    # No test transaction: the worker must see committed rows. Everything is removed after.
    with django_db_blocker.unblock(), schema_context("alpha"):
        # The user stays with the audit log (below): a run on a kept database meets it again.
        chef = User.objects.filter(email="pdf-chef@alpha.test").first() or user_create(
            email="pdf-chef@alpha.test", password=None, roles=["jobcenterchef"]
        )
        chef.first_name, chef.last_name = "Carl", "Chef"
        chef.save()
        company = CompanyFactory(name="Netto Middelfart", union_rep="Tina Tillid")
        centre = CentreFactory(company=company, name="Netto Virksomhedscenter")
        contract = ContractFactory(
            centre=centre,
            status="signed",
            start=date(2026, 1, 1),
            end=date(2027, 12, 31),
            places=8,
            payment_model="mentor_hours",
            payment_amount=None,
            payment_hourly_rate=210,
            payment_hours_per_week=15,
            chief_signed_by=chef,
            chief_signed_at=SIGNED_AT,
            director_name="Dorthe Direktør",
            director_signed_at=SIGNED_AT,
        )
        ContractApproval.objects.create(
            contract=contract,
            step="MED-udvalget",
            approved_by="MED-udvalgets møde",
            approved_on=date(2025, 12, 3),
            statement="Godkendt uden bemærkninger.",
        )
    try:
        with django_db_blocker.unblock(), schema_context("alpha"):
            document = contract_document_request(
                contract=contract, version=1, kind="signed", acting_user=chef
            )
        document = wait_for(django_db_blocker, document.pk)
        assert document.state == "done", document.message
        # The PDF is in the jobcentre's own schema, where every backup of the database reaches.
        pdf = stored_pdf(django_db_blocker, document.pk)
        assert hashlib.sha256(pdf).hexdigest() == document.sha256
        assert document.size_bytes == len(pdf)
        text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
        for expected in (
            "Jobcenter Alfa",
            "Netto Middelfart",
            company.cvr,
            "8 pladser",
            "15 timer om ugen à 210,00 kr.",
            "Carl Chef",
            "Dorthe Direktør",
            "Underskrevet digitalt 10. december 2025",
            "Tina Tillid",
            "MED-udvalget: MED-udvalgets møde, 3. december 2025.",
        ):
            assert expected in text, expected
        assert "UDKAST" not in text
        assert "beskæftigelsesråd" not in text.lower()
        # Asking again gives the stored document, not a new rendering.
        with django_db_blocker.unblock(), schema_context("alpha"):
            again = contract_document_request(
                contract=contract, version=1, kind="signed", acting_user=chef
            )
            assert again.pk == document.pk
            assert ContractDocument.objects.filter(contract=contract).count() == 1
        time.sleep(0.5)
        assert stored_pdf(django_db_blocker, document.pk) == pdf
    finally:
        # The audit log is append-only: its rows (and the user they name) stay.
        with django_db_blocker.unblock(), schema_context("alpha"):
            contract.delete()
            centre.delete()
            company.delete()


@pytest.mark.usefixtures("db")
def test_render_task_of_a_deleted_document_reports_missing():
    # Also makes pytest-django set up the test database when this module runs alone.
    from contracts.tasks import contract_document_render_task

    with schema_context("alpha"):
        assert contract_document_render_task.run(10**9) == "missing"
