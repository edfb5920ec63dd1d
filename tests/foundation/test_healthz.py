"""GET /healthz names the part that is down. The worker-up case is in test_celery_worker.py."""

import copy
import json
import os
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.test import Client

from config.celery import app
from config.heartbeat import heartbeat_remove, heartbeat_write, worker_component
from tests.conftest import celery_worker_start, celery_worker_stop, subprocess_env


def healthz(host="alpha.test.localhost", path="/healthz"):
    response = Client(HTTP_HOST=host).get(path)
    return response.status_code, json.loads(response.content)


@pytest.mark.usefixtures("db")
def test_healthz_without_a_worker_is_503_and_names_celery():
    status, body = healthz()
    assert status == 503
    assert body["checks"] == {
        "database": "ok",
        "redis": "ok",
        "celery": "down: no heartbeat from worker:virksomhedscenter-test",
        "beat": "down: no heartbeat from beat",
    }


@pytest.mark.worker
@pytest.mark.usefixtures("db")
def test_healthz_is_503_when_only_another_deployments_worker_runs_on_the_same_redis():
    """A worker of another checkout (its own database, the same Redis and queue name)
    answers a broadcast ping - and must not make this deployment look healthy."""
    url = urlsplit(subprocess_env()["DATABASE_URL"])
    other_db = urlunsplit(url._replace(path="/virksomhedscenter_other_checkout"))
    name = f"other-checkout-{os.getpid()}@localhost"
    other = celery_worker_start(
        env=subprocess_env(DATABASE_URL=other_db),
        name=name,
        ready=lambda: any(name in reply for reply in app.control.ping(timeout=0.5)),
        what="another checkout's",
    )
    try:
        status, body = healthz()
        assert status == 503
        assert body["checks"]["celery"] == ("down: no heartbeat from worker:virksomhedscenter-test")
    finally:
        celery_worker_stop(other)


@pytest.mark.usefixtures("db")
def test_healthz_names_a_worker_whose_last_heartbeat_is_stale():
    component = worker_component()
    heartbeat_write(component=component, member="gone@host", now=time.time() - 100)
    try:
        status, body = healthz()
    finally:
        heartbeat_remove(component=component, member="gone@host")
    assert status == 503
    assert body["checks"]["celery"].startswith("down: worker:virksomhedscenter-test last seen ")


@pytest.mark.usefixtures("db")
def test_healthz_names_a_queue_no_worker_consumes():
    """A worker on the default queue alone is not enough: nothing would render the PDFs."""
    from django.conf import settings

    heartbeat_write(component=worker_component(), member="default-only@host")
    try:
        status, body = healthz()
    finally:
        heartbeat_remove(component=worker_component(), member="default-only@host")
    assert status == 503
    assert body["checks"]["celery"] == f"down: no heartbeat from worker:{settings.CELERY_QUEUE_PDF}"


@pytest.mark.usefixtures("db")
def test_liveness_and_readiness_are_200_without_a_worker_and_beat():
    """No worker and no beat run here: /healthz is 503, but the web process is alive and
    ready to serve pages (a load balancer keeps it)."""
    assert healthz()[0] == 503
    assert healthz(path="/livez") == (200, {"status": "ok", "checks": {}})
    assert healthz(path="/readyz") == (
        200,
        {"status": "ok", "checks": {"database": "ok", "redis": "ok"}},
    )


@pytest.mark.usefixtures("db")
def test_readiness_stays_200_with_redis_down_and_names_it(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    status, body = healthz(path="/readyz")
    assert status == 200
    assert body["checks"]["redis"].startswith("down")


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_readiness_is_503_with_the_database_down_and_liveness_200(settings):
    broken = copy.deepcopy(settings.DATABASES)
    broken["default"].update(PORT="1", HOST="127.0.0.1", OPTIONS={})
    settings.DATABASES = broken
    status, body = healthz(host="any-host.example", path="/readyz")
    assert status == 503
    assert body["checks"]["database"].startswith("down")
    assert healthz(host="any-host.example", path="/livez")[0] == 200


@pytest.mark.usefixtures("db")
def test_healthz_with_redis_down_names_redis(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    status, body = healthz()
    assert status == 503
    assert body["checks"]["redis"].startswith("down")
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["celery"] == "down: broker down"
    assert body["checks"]["beat"] == "down: broker down"


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_healthz_with_database_down_names_database(settings):
    # No database access for this test at all: the answer must not depend on it.
    broken = copy.deepcopy(settings.DATABASES)
    broken["default"].update(PORT="1", HOST="127.0.0.1", OPTIONS={})
    settings.DATABASES = broken
    status, body = healthz(host="any-host.example")
    assert status == 503
    assert body["status"] == "down"
    assert body["checks"]["database"].startswith("down")
    assert body["checks"]["redis"] == "ok"


@pytest.mark.parametrize("host", ["testserver", "alpha.test.localhost"])
@pytest.mark.usefixtures("db")
def test_healthz_answers_on_public_and_tenant_hosts(host):
    status, body = healthz(host=host)
    assert set(body["checks"]) == {"database", "redis", "celery", "beat"}
