"""Test set-up: two jobcentres (alpha and beta) created once per session in the test database.

Each test runs in a transaction that is rolled back, so users and rows a test creates in a
tenant schema vanish after it; the jobcentres and their schemas stay for the session.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_HOST = "testserver"
TENANTS = {
    "alpha": {"name": "Jobcenter Alfa", "domain": "alpha.test.localhost", "code": "901"},
    "beta": {"name": "Jobcenter Beta", "domain": "beta.test.localhost", "code": "902"},
}
PASSWORD = "korrekt-hest-batteri-42"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tenants.models import Jobcenter
    from tenants.services import jobcenter_create, public_tenant_ensure

    with django_db_blocker.unblock():
        public_tenant_ensure(domain=PUBLIC_HOST)
        for schema, spec in TENANTS.items():
            if not Jobcenter.objects.filter(schema_name=schema).exists():
                jobcenter_create(
                    schema_name=schema,
                    name=spec["name"],
                    domain=spec["domain"],
                    municipality_code=spec["code"],
                    admin_email=f"admin@{schema}.test",
                    admin_password=PASSWORD,
                )
    yield


@pytest.fixture(autouse=True)
def _public_schema_and_empty_cache():
    """Every test starts in the public schema with an empty cache (rate limits included)."""
    cache.clear()
    yield
    connection.set_schema_to_public()


@pytest.fixture
def tenant_a(db):
    from tenants.models import Jobcenter

    return Jobcenter.objects.get(schema_name="alpha")


@pytest.fixture
def tenant_b(db):
    from tenants.models import Jobcenter

    return Jobcenter.objects.get(schema_name="beta")


@pytest.fixture
def client_a(tenant_a):
    return Client(HTTP_HOST=TENANTS["alpha"]["domain"])


@pytest.fixture
def client_b(tenant_b):
    return Client(HTTP_HOST=TENANTS["beta"]["domain"])


@pytest.fixture
def public_client(db):
    return Client(HTTP_HOST=PUBLIC_HOST)


def make_user(tenant, role, email=None, password=PASSWORD):
    """A user with `role` in `tenant`'s schema (None: no role)."""
    from accounts.services import user_create

    with schema_context(tenant.schema_name):
        return user_create(
            email=email or f"{role or 'norole'}@{tenant.schema_name}.test",
            password=password,
            roles=[role] if role else [],
        )


def subprocess_env(**extra) -> dict:
    """The environment for a child process that must use the test database and Redis."""
    from django.conf import settings

    # The same server as ours, but the test database that pytest-django created.
    url = urlsplit(os.environ["DATABASE_URL"])
    env = dict(os.environ)
    env.update(
        DATABASE_URL=urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
        REDIS_URL=settings.REDIS_URL,
        DJANGO_SETTINGS_MODULE="config.settings.test",
    )
    env.update(extra)
    return env


def celery_worker_start(*, env: dict, name: str, ready, what: str) -> subprocess.Popen:
    """Start a real Celery worker process and wait (60 s at most) until `ready()` is true."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "-n",
            name,
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Celery worker ({what}) exited with {proc.returncode}")
        if ready():
            return proc
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"Celery worker ({what}) was not ready within 60 s")


def celery_worker_stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker process on the test database, stopped after the module.

    Ready when its heartbeat arrives: that is what /healthz reads.
    """
    from config.heartbeat import heartbeat_age, worker_component

    proc = celery_worker_start(
        env=subprocess_env(),
        name=f"test-{os.getpid()}@%h",
        ready=lambda: heartbeat_age(component=worker_component()) is not None,
        what="this test run's",
    )
    yield proc
    celery_worker_stop(proc)
