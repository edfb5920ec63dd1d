"""A real worker process: tasks run in the schema of the tenant that queued them."""

import json
import time

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


@pytest.mark.usefixtures("celery_worker_process", "celery_beat_process", "db")
def test_healthz_is_200_when_database_redis_worker_and_beat_answer():
    response = Client(HTTP_HOST="alpha.test.localhost").get("/healthz")
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "celery": "ok", "beat": "ok"},
    }
    assert response.status_code == 200


@pytest.mark.usefixtures("celery_worker_process")
def test_beat_lives_through_a_lost_database_connection(django_db_blocker, tmp_path):
    """After a PostgreSQL restart beat's connection is dead; reading the jobcentres for a due
    entry raised OperationalError out of the tick and beat exited. Now it reconnects and
    sends the entry to every jobcentre."""
    import psycopg
    from django.db import connection

    from config.beat import Scheduler
    from config.celery import app

    def heartbeats() -> dict:
        counts = {}
        for schema in ("alpha", "beta"):
            with schema_context(schema):
                counts[schema] = set(
                    JobRun.objects.filter(kind=JobRun.Kind.HEARTBEAT).values_list("pk", flat=True)
                )
        return counts

    with django_db_blocker.unblock():
        scheduler = Scheduler(app=app, schedule_filename=str(tmp_path / "beat"), lazy=True)
        entry = scheduler.Entry(
            name="worker-heartbeat@__all_tenants_only__",
            task="reports.tasks.worker_heartbeat",
            schedule=300.0,
            options={"headers": {"_all_tenants_only": True}},
            app=app,
        )
        before = heartbeats()
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        with psycopg.connect(**connection.get_connection_params()) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        scheduler.apply_entry(entry, producer=scheduler.producer)  # raised before
        # Sent to both jobcentres: the worker writes a heartbeat run in each.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            new = {s: ids - before[s] for s, ids in heartbeats().items()}
            if all(new.values()):
                break
            time.sleep(0.3)
        for schema, ids in new.items():
            with schema_context(schema):
                JobRun.objects.filter(pk__in=ids).delete()
        assert all(len(ids) == 1 for ids in new.values()), new
