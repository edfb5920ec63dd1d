"""A real worker process: tasks run in the schema of the tenant that queued them."""

import json

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from reports.models import JobRun
from reports.tasks import worker_heartbeat

pytestmark = pytest.mark.worker


@pytest.mark.usefixtures("celery_worker_process")
def test_task_queued_from_tenant_a_writes_to_a_and_not_to_b(django_db_blocker):
    # No test transaction here: the worker must see and write committed rows.
    with django_db_blocker.unblock():
        with schema_context("beta"):
            beta_before = set(JobRun.objects.values_list("pk", flat=True))
        with schema_context("alpha"):
            result = worker_heartbeat.delay()
        job_run_id = result.get(timeout=30)
        try:
            with schema_context("alpha"):
                run = JobRun.objects.get(pk=job_run_id)
                assert run.kind == JobRun.Kind.HEARTBEAT
                assert run.state == JobRun.State.DONE
            with schema_context("beta"):
                assert set(JobRun.objects.values_list("pk", flat=True)) == beta_before
        finally:
            with schema_context("alpha"):
                JobRun.objects.filter(pk=job_run_id).delete()


@pytest.mark.usefixtures("celery_worker_process")
def test_task_queued_from_tenant_b_writes_to_b(django_db_blocker):
    with django_db_blocker.unblock():
        with schema_context("alpha"):
            alpha_before = set(JobRun.objects.values_list("pk", flat=True))
        with schema_context("beta"):
            job_run_id = worker_heartbeat.delay().get(timeout=30)
        try:
            with schema_context("beta"):
                assert JobRun.objects.filter(pk=job_run_id).exists()
            with schema_context("alpha"):
                assert set(JobRun.objects.values_list("pk", flat=True)) == alpha_before
        finally:
            with schema_context("beta"):
                JobRun.objects.filter(pk=job_run_id).delete()


@pytest.mark.usefixtures("celery_worker_process", "db")
def test_healthz_is_200_when_database_redis_and_worker_answer():
    response = Client(HTTP_HOST="alpha.test.localhost").get("/healthz")
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "celery": "ok"},
    }
    assert response.status_code == 200
