"""GET /healthz names the part that is down. The worker-up case is in test_celery_worker.py."""

import copy
import json

import pytest
from django.test import Client


def healthz(host="alpha.test.localhost"):
    response = Client(HTTP_HOST=host).get("/healthz")
    return response.status_code, json.loads(response.content)


def test_healthz_without_a_worker_is_503_and_names_celery(db):
    status, body = healthz()
    assert status == 503
    assert body["checks"] == {
        "database": "ok",
        "redis": "ok",
        "celery": "down: no worker answered",
    }


def test_healthz_with_redis_down_names_redis(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    status, body = healthz()
    assert status == 503
    assert body["checks"]["redis"].startswith("down")
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["celery"] == "down: broker down"


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
def test_healthz_answers_on_public_and_tenant_hosts(db, host):
    status, body = healthz(host=host)
    assert set(body["checks"]) == {"database", "redis", "celery"}
