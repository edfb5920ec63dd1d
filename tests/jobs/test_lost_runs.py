"""A run lost on the way (queued or running for too long) no longer blocks a new one.

The same rule for the three kinds of background run: the signed contract PDF, the month's
billing build and the key-figure job. Each kind's limit is its model's lost_after_minutes.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import BillingRun
from billing.services import billing_rebuild_request
from contracts.models import ContractDocument
from contracts.services import contract_document_request
from jobs.selectors import runs_pending
from reports.models import JobRun
from reports.services import kpi_job_queue
from tests.conftest import make_user
from tests.factories import ContractFactory

FEB = date(2025, 2, 1)
TODAY = date(2025, 6, 15)
SIGNED_AT = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)


def _age(run, *, minutes: int, state: str = "running") -> None:
    """Make `run` look as if it has been pending for `minutes` (written by the database)."""
    type(run).objects.filter(pk=run.pk).update(
        state=state, created_at=timezone.now() - timedelta(minutes=minutes), started_at=None
    )
    run.refresh_from_db()


@pytest.fixture
def konsulent(tenant_a):
    return make_user(tenant_a, "jobkonsulent")


@pytest.fixture
def signed_contract(tenant_a):  # noqa: ARG001 - the tenant must exist
    with schema_context("alpha"):
        return ContractFactory(
            status="signed",
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            chief_signed_at=SIGNED_AT,
            director_signed_at=SIGNED_AT,
        )


def test_billing_run_lost_after_an_hour_no_longer_blocks(
    konsulent, django_capture_on_commit_callbacks
):
    with schema_context("alpha"), django_capture_on_commit_callbacks() as callbacks:
        run = billing_rebuild_request(month=FEB, acting_user=konsulent, today=TODAY)
        _age(run, minutes=59)
        assert run.is_pending and not run.is_lost
        assert billing_rebuild_request(month=FEB, acting_user=konsulent, today=TODAY) == run
        _age(run, minutes=61)
        assert run.is_lost and not run.is_pending and run.shown_state == "lost"
        fresh = billing_rebuild_request(month=FEB, acting_user=konsulent, today=TODAY)
        assert fresh.pk != run.pk and fresh.state == "queued"
        assert list(runs_pending(model=BillingRun)) == [fresh]
    assert len(callbacks) == 2  # the first run and the fresh one, each sent on commit


@pytest.mark.usefixtures("tenant_a")
def test_kpi_job_lost_after_an_hour_no_longer_blocks(django_capture_on_commit_callbacks):
    period = {"period_from": date(2024, 1, 1), "period_to": date(2024, 12, 31)}
    with schema_context("alpha"), django_capture_on_commit_callbacks() as callbacks:
        run = kpi_job_queue(**period, acting_user=None)
        _age(run, minutes=59, state="queued")
        assert kpi_job_queue(**period, acting_user=None) == run
        _age(run, minutes=61, state="queued")
        assert run.is_lost
        fresh = kpi_job_queue(**period, acting_user=None)
        assert fresh.pk != run.pk and fresh.state == "queued"
        assert fresh.parameters == {"from": "2024-01-01", "to": "2024-12-31"}
        assert JobRun.objects.filter(kind="statistics").count() == 2
    assert len(callbacks) == 2


def test_lost_signed_pdf_is_queued_again(signed_contract, django_capture_on_commit_callbacks):
    with schema_context("alpha"), django_capture_on_commit_callbacks() as callbacks:
        document = contract_document_request(
            contract=signed_contract, version=1, kind="signed", acting_user=None
        )
        _age(document, minutes=14)
        again = contract_document_request(
            contract=signed_contract, version=1, kind="signed", acting_user=None
        )
        assert again.pk == document.pk and again.state == "running"  # still pending
        _age(document, minutes=16)
        assert document.is_lost
        again = contract_document_request(
            contract=signed_contract, version=1, kind="signed", acting_user=None
        )
        # The signed PDF exists once: the same document is queued again, as if new.
        assert again.pk == document.pk
        assert again.state == "queued" and again.is_pending and again.started_at is None
        assert ContractDocument.objects.filter(contract=signed_contract).count() == 1
    assert len(callbacks) == 2


def test_a_lost_run_is_taken_by_the_worker_when_its_message_arrives_after_all(
    signed_contract, settings, tmp_path
):
    from contracts.tasks import contract_document_render_task

    settings.MEDIA_ROOT = tmp_path
    with schema_context("alpha"):
        document = ContractDocument.objects.create(
            contract=signed_contract, version=1, kind="preview"
        )
        _age(document, minutes=120)
        assert contract_document_render_task.run(document.pk) == "done"
        document.refresh_from_db()
        assert not document.is_lost and document.started_at <= document.finished_at


@pytest.mark.usefixtures("tenant_a")
def test_finished_runs_are_never_lost():
    with schema_context("alpha"):
        for state in ("done", "failed"):
            run = BillingRun.objects.create(month=FEB, state=state)
            _age(run, minutes=600, state=state)
            assert not run.is_lost and not run.is_pending and run.shown_state == state
