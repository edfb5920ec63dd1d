"""The run services: start claims a queued (or re-delivered running) run in one statement."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import BillingRun
from jobs.services import job_fail, job_finish, job_start
from reports.models import JobRun

FEB = date(2025, 2, 1)


@pytest.mark.usefixtures("tenant_a")
def test_start_is_one_statement_and_returns_the_run_with_its_parameters():
    with schema_context("alpha"):
        run = JobRun.objects.create(kind="statistics", parameters={"from": "2025-01-01"})
        with CaptureQueriesContext(connection) as queries:
            started = job_start(model=JobRun, run_id=run.pk)
        # django-tenants sets the search path before each statement; one statement of ours.
        ours = [q["sql"] for q in queries if not q["sql"].startswith("SET search_path")]
        assert len(ours) == 1 and ours[0].startswith("UPDATE")
        assert started.pk == run.pk and started.state == "running"
        assert started.parameters == {"from": "2025-01-01"}  # read as JSON, not text
        assert started.started_at >= started.created_at


@pytest.mark.usefixtures("tenant_a")
def test_start_takes_the_lease_and_takes_a_running_run_only_when_its_lease_ran_out():
    with schema_context("alpha"):
        run = BillingRun.objects.create(month=FEB)
        started = job_start(model=BillingRun, run_id=run.pk)
        lease = started.lease_until - started.started_at
        assert lease == timedelta(seconds=settings.JOBS_LEASE_SECONDS)
        # Delivered again while its worker holds the lease: nothing (never twice at once).
        assert job_start(model=BillingRun, run_id=run.pk) is None
        BillingRun.objects.filter(pk=run.pk).update(lease_until=timezone.now())
        taken = job_start(model=BillingRun, run_id=run.pk)
        assert taken.pk == run.pk and taken.restarts == 1 and taken.lease_until > timezone.now()
        for state in ("done", "failed"):
            finished = BillingRun.objects.create(month=FEB, state=state)
            assert job_start(model=BillingRun, run_id=finished.pk) is None
            finished.refresh_from_db()
            assert finished.state == state and finished.started_at is None
        assert job_start(model=BillingRun, run_id=10**9) is None


@pytest.mark.usefixtures("tenant_a")
def test_a_job_failing_because_the_database_went_away_is_queued_again_not_failed():
    from django.db import OperationalError

    with schema_context("alpha"):
        run = BillingRun.objects.create(month=FEB)
        job_start(model=BillingRun, run_id=run.pk)
        exc = OperationalError("the connection is lost")
        job_fail(model=BillingRun, run_id=run.pk, message="x", exc=exc)
        run.refresh_from_db()
        assert (run.state, run.restarts, run.lease_until) == ("queued", 1, None)
        BillingRun.objects.filter(pk=run.pk).update(restarts=settings.JOBS_MAX_RESTARTS)
        job_fail(model=BillingRun, run_id=run.pk, message="x", exc=exc)
        run.refresh_from_db()
        assert run.state == "failed"


def test_the_lease_is_renewed_while_the_job_runs(django_db_setup, django_db_blocker, settings):  # noqa: ARG001 - the test database must exist
    import time

    from jobs.services import job_lease_kept

    settings.JOBS_LEASE_SECONDS = 3  # renewed every second
    # No test transaction: the renewing thread writes with its own connection.
    with django_db_blocker.unblock(), schema_context("alpha"):
        run = BillingRun.objects.create(month=FEB)
        try:
            started = job_start(model=BillingRun, run_id=run.pk)
            with job_lease_kept(model=BillingRun, run_id=run.pk):
                time.sleep(2.5)
            run.refresh_from_db()
            assert run.lease_until > started.lease_until + timedelta(seconds=1)
        finally:
            run.delete()


@pytest.mark.usefixtures("tenant_a")
def test_finish_and_fail_record_the_outcome_with_the_databases_time():
    with schema_context("alpha"):
        done, failed = (BillingRun.objects.create(month=FEB) for _ in range(2))
        job_start(model=BillingRun, run_id=done.pk)
        job_finish(model=BillingRun, run_id=done.pk, message="1 nye")
        job_fail(model=BillingRun, run_id=failed.pk, message="x" * 5000)
        done.refresh_from_db()
        failed.refresh_from_db()
        assert (done.state, done.message) == ("done", "1 nye")
        assert done.created_at <= done.started_at <= done.finished_at
        assert failed.state == "failed" and len(failed.message) == 1000
        assert failed.finished_at is not None
