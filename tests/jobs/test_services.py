"""The run services: start claims a queued (or re-delivered running) run in one statement."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
def test_start_takes_a_running_run_again_but_never_a_finished_one():
    with schema_context("alpha"):
        running = BillingRun.objects.create(month=FEB, state="running")
        assert job_start(model=BillingRun, run_id=running.pk).pk == running.pk
        for state in ("done", "failed"):
            finished = BillingRun.objects.create(month=FEB, state=state)
            assert job_start(model=BillingRun, run_id=finished.pk) is None
            finished.refresh_from_db()
            assert finished.state == state and finished.started_at is None
        assert job_start(model=BillingRun, run_id=10**9) is None


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
