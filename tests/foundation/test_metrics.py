"""GET /metrics (issue 29): Prometheus' text format, behind a token; the job-state, queue
and heartbeat series read from it as Prometheus would (prometheus_client's parser).

The runs are rows of this test's transaction in alpha and beta (the scrape runs in the same
process and connection); the heartbeats are written to this test run's Redis database; a
task is put on the PDF queue of the test broker (no worker runs in this module) and purged.
"""

import math
import time
from datetime import timedelta

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from config.celery import app
from config.heartbeat import BEAT_COMPONENT, heartbeat_remove, heartbeat_write, worker_component

TOKEN = "test-metrics-token-0123456789"


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(host="10.0.0.5:8000", token=TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(HTTP_HOST=host).get("/metrics", **headers)


def samples(response) -> dict:
    """{(name, frozenset(labels)): value} of every sample in the answer."""
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found, name, **labels):
    return found[(name, frozenset(labels.items()))]


@pytest.mark.usefixtures("db")
def test_metrics_are_off_without_a_token_and_refused_without_the_right_one(settings):
    settings.METRICS_TOKEN = ""
    assert scrape().status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert scrape(token=None).status_code == 401
    assert scrape(token="wrong").status_code == 401
    assert scrape(token=TOKEN).status_code == 200


@pytest.mark.usefixtures("metrics_on")
def test_job_runs_by_kind_and_state_over_every_jobcentre(tenant_a, tenant_b):  # noqa: ARG001
    from django.db.models.functions import Now
    from django_tenants.utils import schema_context

    from reports.models import JobRun

    before = samples(scrape())
    with schema_context("alpha"):
        JobRun.objects.create(kind="kpi", state="done")
        JobRun.objects.create(kind="kpi", state="failed", message="x")
        # Running, and its lease ran out an hour ago: its worker died.
        JobRun.objects.create(
            kind="kpi",
            state="running",
            started_at=Now(),
            lease_until=Now() - timedelta(hours=1),
        )
    with schema_context("beta"):
        JobRun.objects.create(kind="kpi", state="failed", message="y")
        JobRun.objects.create(kind="kpi", state="queued")
    after = samples(scrape())

    def grew(state):
        return value(after, "vc_job_runs", kind="reports.jobrun", state=state) - value(
            before, "vc_job_runs", kind="reports.jobrun", state=state
        )

    assert grew("done") == 1
    assert grew("failed") == 2  # one in each jobcentre, added up
    assert grew("stalled") == 1
    assert grew("running") == 0  # the stalled one is not counted as running
    assert grew("queued") == 1
    # Every kind of run has every state, 0 included (an absent series never alerts).
    for kind in ("contracts.contractdocument", "billing.billingrun", "reports.jobrun"):
        for state in ("queued", "running", "stalled", "done", "failed"):
            assert (("vc_job_runs", frozenset({"kind": kind, "state": state}.items()))) in after
    assert not [key for key in after if key[0] == "vc_scrape_errors"]


@pytest.mark.usefixtures("metrics_on", "db")
def test_heartbeat_ages_of_beat_and_each_queues_worker(settings):
    now = time.time()
    heartbeat_write(component=worker_component(), member="metrics@host", now=now - 5)
    heartbeat_write(
        component=worker_component(settings.CELERY_QUEUE_PDF), member="metrics@host", now=now - 30
    )
    try:
        found = samples(scrape())
    finally:
        for queue in (settings.CELERY_TASK_DEFAULT_QUEUE, settings.CELERY_QUEUE_PDF):
            heartbeat_remove(component=worker_component(queue), member="metrics@host")
    age = value(found, "vc_heartbeat_age_seconds", component=worker_component())
    assert 5 <= age < 20
    pdf = value(
        found, "vc_heartbeat_age_seconds", component=worker_component(settings.CELERY_QUEUE_PDF)
    )
    assert 30 <= pdf < 45
    # No worker on the reports queue and no beat: +Inf, and an alert on "> 45" fires.
    reports = worker_component(settings.CELERY_QUEUE_REPORTS)
    assert value(found, "vc_heartbeat_age_seconds", component=reports) == math.inf
    assert value(found, "vc_heartbeat_age_seconds", component=BEAT_COMPONENT) == math.inf


@pytest.mark.usefixtures("metrics_on", "db")
def test_queue_length_counts_what_waits_on_each_queue(settings):
    queue = settings.CELERY_QUEUE_PDF
    # Both queues start empty (earlier tests may leave work queued with no worker running).
    with app.connection_for_write() as conn, conn.channel() as channel:
        for name in (queue, settings.CELERY_QUEUE_REPORTS):
            channel.queue_declare(queue=name, durable=True, auto_delete=False)
            channel.queue_purge(name)
    try:
        # Routed by name to the PDF queue (settings "Queues"): no caller names a queue.
        app.send_task("contracts.tasks.contract_document_render_task", args=[10**9])
        app.send_task("contracts.tasks.contract_document_render_task", args=[10**9 + 1])
        found = samples(scrape())
    finally:
        with app.connection_for_write() as conn, conn.channel() as channel:
            channel.queue_purge(queue)
    assert value(found, "vc_celery_queue_length", queue=queue) == 2
    assert value(found, "vc_celery_queue_length", queue=settings.CELERY_QUEUE_REPORTS) == 0


@pytest.mark.usefixtures("metrics_on")
def test_request_latency_per_view(login, tenant_a):
    client = login(tenant_a, "jobkonsulent")
    assert client.get("/kandidater/").status_code == 200
    assert client.get("/kandidater/").status_code == 200
    found = samples(scrape())
    count = value(
        found,
        "vc_http_request_duration_seconds_count",
        view="candidates:list",
        method="GET",
        status="200",
    )
    assert count >= 2
