"""A stuck run is never handed back as it is: it is sent again, or taken over (issue 18).

The same rules for the three kinds of background run: the signed contract PDF, the month's
billing build and the key-figure job. A queued run not started within
JOBS_RESEND_AFTER_SECONDS is sent again (its send failed, or the broker lost it); a running
run whose lease ran out lost its worker and is queued again, one restart more. The sweeper
(beat, every minute) does the same for every run nobody asks for again.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import BillingRun
from billing.services import billing_rebuild_request
from contracts.models import ContractDocument
from contracts.services import contract_document_request
from jobs.services import jobs_sweep
from jobs.tasks import job_tasks
from reports.models import JobRun
from reports.services import kpi_job_queue
from tests.conftest import make_user
from tests.factories import ContractFactory

FEB = date(2025, 2, 1)
TODAY = date(2025, 6, 15)
SIGNED_AT = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)
PERIOD = {"period_from": date(2024, 1, 1), "period_to": date(2024, 12, 31)}


def _queued(run, *, seconds: int) -> None:
    """Make `run` look queued `seconds` ago and never sent again (written by the database)."""
    type(run).objects.filter(pk=run.pk).update(
        state="queued", created_at=timezone.now() - timedelta(seconds=seconds), sent_at=None
    )
    run.refresh_from_db()


def _running(run, *, lease_left: int, restarts: int = 0) -> None:
    """Make `run` running with `lease_left` seconds of its lease (negative: ran out)."""
    now = timezone.now()
    type(run).objects.filter(pk=run.pk).update(
        state="running",
        created_at=now - timedelta(minutes=5),
        started_at=now - timedelta(minutes=4),
        lease_until=now + timedelta(seconds=lease_left),
        restarts=restarts,
    )
    run.refresh_from_db()


@pytest.fixture
def sends(django_capture_on_commit_callbacks):
    """`sends(fn)`: (fn(), how many tasks it queued to send on commit)."""

    def _sends(fn):
        with django_capture_on_commit_callbacks() as callbacks:
            result = fn()
        return result, len(callbacks)

    return _sends


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


@pytest.mark.usefixtures("tenant_a")
def test_beregn_again_sends_a_stuck_queued_job_again_instead_of_handing_it_back(sends):
    """On main clicking "Beregn" again returned the stuck job and sent nothing."""

    def beregn():
        return kpi_job_queue(**PERIOD, acting_user=None)

    with schema_context("alpha"):
        run, sent = sends(beregn)
        assert sent == 1
        _queued(run, seconds=settings.JOBS_RESEND_AFTER_SECONDS - 20)
        assert sends(beregn) == (run, 0)  # live: not sent twice
        _queued(run, seconds=settings.JOBS_RESEND_AFTER_SECONDS + 5)
        again, sent = sends(beregn)
        assert again.pk == run.pk and again.state == "queued" and again.sent_at is not None
        assert sent == 1  # sent again
        # Sent just now: a third click within the grace sends nothing more.
        assert sends(beregn) == (run, 0)
        assert JobRun.objects.filter(kind="statistics").count() == 1


def test_a_running_job_whose_worker_died_is_taken_over_and_says_so(konsulent, sends):
    """On main a job whose worker was killed stayed "running" for an hour."""

    def rebuild():
        return billing_rebuild_request(month=FEB, acting_user=konsulent, today=TODAY)

    with schema_context("alpha"):
        run, _sent = sends(rebuild)
        _running(run, lease_left=30)
        assert not run.is_stalled
        assert sends(rebuild) == (run, 0)  # under a live lease: left alone
        _running(run, lease_left=-1)
        assert run.is_stalled and run.is_pending and run.shown_state == "stalled"
        html = render_to_string("billing/_run_status.html", {"run": run})
        assert "<strong>Afbrudt</strong>" in html and "genstartes om lidt" in html
        again, sent = sends(rebuild)
        assert again.pk == run.pk and sent == 1
        assert (again.state, again.restarts, again.lease_until) == ("queued", 1, None)
        html = render_to_string("billing/_run_status.html", {"run": again})
        assert "Genstartet efter nedbrud." in html
        assert BillingRun.objects.filter(month=FEB).count() == 1


def test_a_job_taken_over_too_often_fails_and_a_new_one_is_queued(
    konsulent, django_capture_on_commit_callbacks
):
    with schema_context("alpha"), django_capture_on_commit_callbacks() as callbacks:
        run = billing_rebuild_request(month=FEB, acting_user=konsulent, today=TODAY)
        _running(run, lease_left=-1, restarts=settings.JOBS_MAX_RESTARTS)
        fresh = billing_rebuild_request(month=FEB, acting_user=konsulent, today=TODAY)
        assert fresh.pk != run.pk and fresh.state == "queued" and fresh.restarts == 0
        run.refresh_from_db()
        assert run.state == "failed" and run.message.startswith("Stoppet efter 3 nedbrud")
    assert len(callbacks) == 2


def test_a_stuck_signed_pdf_is_sent_again_and_a_failed_one_queued_again(signed_contract, sends):
    def ask():
        return contract_document_request(
            contract=signed_contract, version=1, kind="signed", acting_user=None
        )

    with schema_context("alpha"):
        document, _sent = sends(ask)
        _queued(document, seconds=settings.JOBS_RESEND_AFTER_SECONDS + 5)
        again, sent = sends(ask)
        assert (again.pk, again.state, sent) == (document.pk, "queued", 1)
        _running(document, lease_left=-1)
        again, sent = sends(ask)
        assert (again.pk, again.state, again.restarts, sent) == (document.pk, "queued", 1, 1)
        ContractDocument.objects.filter(pk=document.pk).update(state="failed")
        again, sent = sends(ask)
        # The signed PDF exists once: the same document is queued again, as if new.
        assert (again.pk, again.state, again.restarts, again.started_at, sent) == (
            document.pk,
            "queued",
            0,
            None,
            1,
        )
        assert ContractDocument.objects.filter(contract=signed_contract).count() == 1


def test_the_sweeper_sends_waiting_runs_again_and_takes_over_stalled_ones_of_every_kind(
    signed_contract, django_capture_on_commit_callbacks
):
    """A signed PDF whose task was lost is rendered without anyone asking again."""
    with schema_context("alpha"):
        kpi_live = JobRun.objects.create(kind="statistics", parameters={"from": "a"})
        kpi_waiting = JobRun.objects.create(kind="statistics", parameters={"from": "b"})
        _queued(kpi_waiting, seconds=settings.JOBS_RESEND_AFTER_SECONDS + 5)
        billing_stalled = BillingRun.objects.create(month=FEB)
        _running(billing_stalled, lease_left=-1)
        billing_leased = BillingRun.objects.create(month=FEB)
        _running(billing_leased, lease_left=30)
        pdf_lost = ContractDocument.objects.create(contract=signed_contract, kind="signed")
        _queued(pdf_lost, seconds=3600)
        done = JobRun.objects.create(kind="statistics", state="done")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            counts = jobs_sweep(tasks=job_tasks())
        assert counts == {"taken_over": 1, "resent": 2}
        assert len(callbacks) == 3
        for run in (kpi_live, kpi_waiting, billing_stalled, billing_leased, pdf_lost, done):
            run.refresh_from_db()
        assert (billing_stalled.state, billing_stalled.restarts) == ("queued", 1)
        assert billing_leased.state == "running" and done.state == "done"
        assert kpi_live.sent_at is None and kpi_waiting.sent_at and pdf_lost.sent_at
        # Just sent: the next sweep leaves them until the grace has passed again.
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert jobs_sweep(tasks=job_tasks()) == {"taken_over": 0, "resent": 0}
        assert callbacks == []


def test_every_run_model_has_its_task():
    """Each schema sweeps its own run models: a jobcentre's in a jobcentre, the platform's
    (creating a jobcentre) in public, where beat runs the sweeper too."""
    with schema_context("alpha"):
        assert {model.__name__: task.name for model, task in job_tasks().items()} == {
            "JobRun": "reports.tasks.kpi_job_task",
            "BillingRun": "billing.tasks.billing_run_task",
            "ContractDocument": "contracts.tasks.contract_document_render_task",
        }
    assert {model.__name__: task.name for model, task in job_tasks().items()} == {
        "JobcenterCreation": "provisioning.tasks.jobcenter_creation_task",
    }


def test_a_waiting_run_is_taken_by_the_worker_when_its_message_arrives_after_all(
    signed_contract, settings, tmp_path
):
    from contracts.tasks import contract_document_render_task

    settings.MEDIA_ROOT = tmp_path
    with schema_context("alpha"):
        document = ContractDocument.objects.create(
            contract=signed_contract, version=1, kind="preview"
        )
        _queued(document, seconds=7200)
        assert contract_document_render_task.run(document.pk) == "done"
        document.refresh_from_db()
        assert not document.is_stalled and document.started_at <= document.finished_at


@pytest.mark.usefixtures("tenant_a")
def test_finished_runs_are_never_stalled_nor_pending():
    with schema_context("alpha"):
        for state in ("done", "failed"):
            run = BillingRun.objects.create(month=FEB, state=state)
            BillingRun.objects.filter(pk=run.pk).update(
                lease_until=timezone.now() - timedelta(hours=1)
            )
            run.refresh_from_db()
            assert not run.is_stalled and not run.is_pending and run.shown_state == state
