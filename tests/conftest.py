"""Test set-up: two jobcentres (alpha and beta) created once per session in the test database.

Each test runs in a transaction that is rolled back, so users and rows a test creates in a
tenant schema vanish after it; the jobcentres and their schemas stay for the session.

The harness, one of each (use these, not copies):
- `TODAY` and the `frozen_today` fixture: the one date the application's clock shows;
- `make_user(tenant, role)` and the `login` fixture: a person of a role at a jobcentre and
  a client signed in as them;
- `people` and `as_role`: one person per role at alpha, an outsider and a jobkonsulent of
  beta (healthchecks' alice, bob and charlie), and a client signed in as one of them.
"""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
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
# The day the application's clock shows in a test (`frozen_today`): a Monday inside the
# factories' contract period (2025-2026). An area whose data is written around another day
# names that day and moves the clock there (tests/mentors: WEDNESDAY).
TODAY = date(2025, 6, 2)


def jobcentres_ensure() -> None:
    """The public tenant and the two jobcentres, created when missing."""
    from tenants.models import Jobcenter
    from tenants.services import jobcenter_create, public_tenant_ensure

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb, django_db_createdb):
    """The test database with the jobcentres, for every test that reaches the database.

    pytest-django sets up only the databases that the session's tests name (a django_db mark,
    `db`, `live_server`); a file whose tests reach the database only through a committed world
    and a live server (tests/api/test_schemathesis.py, run alone) names none, and the
    connection stayed on the development database. Here it gets the test database too.
    """
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    own, keep = None, django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        if not connection.settings_dict["NAME"].startswith("test_"):
            own = setup_databases(verbosity=0, interactive=False, aliases={"default"}, keepdb=keep)
        jobcentres_ensure()
    yield
    if own is not None and not keep:
        with django_db_blocker.unblock():
            teardown_databases(own, verbosity=0)


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


def _schema(tenant) -> str:
    return tenant if isinstance(tenant, str) else tenant.schema_name


def make_user(tenant, role, email=None, password=PASSWORD):
    """A user with `role` in `tenant`'s schema (None: no role); `tenant` or its schema name."""
    from accounts.services import user_create

    schema = _schema(tenant)
    with schema_context(schema):
        return user_create(
            email=email or f"{role or 'norole'}@{schema}.test",
            password=password,
            roles=[role] if role else [],
        )


def tenant_client(tenant) -> Client:
    """A new, anonymous client at `tenant`'s domain (a second person in the same test)."""
    return Client(HTTP_HOST=TENANTS[_schema(tenant)]["domain"])


@pytest.fixture
def login(request, db):
    """Sign a client in at a jobcentre: `login(tenant, role)` -> the signed-in Client.

    `login(tenant_a, "jobkonsulent")` makes a user of that role (`jobkonsulent.login@alpha.test`
    unless `email=`); `login(tenant_a, user=someone)` signs in an existing user there.
    `tenant` is the Jobcenter or its schema name. The client is the tenant's own (`client_a`,
    `client_b`), unless `client=` names another (e.g. `tenant_client(tenant_a)`).
    The session is made directly (force_login): the login form has tests of its own.
    """

    def _login(tenant, role=None, *, user=None, email=None, client=None) -> Client:
        schema = _schema(tenant)
        if user is None:
            # An address of its own: make_user's (and the jobcentre admin's) stay free.
            email = email or f"{role or 'norole'}.login@{schema}.test"
            user = make_user(schema, role, email=email)
        if client is None:
            client = request.getfixturevalue({"alpha": "client_a", "beta": "client_b"}[schema])
        with schema_context(schema):
            client.force_login(user)
        return client

    return _login


@pytest.fixture
def people(tenant_a, tenant_b):
    """One user per role in alpha, one without a role, and a jobkonsulent of beta."""
    return {
        "jobkonsulent": make_user(tenant_a, "jobkonsulent"),
        "sagsbehandler": make_user(tenant_a, "sagsbehandler"),
        "mentor": make_user(tenant_a, "mentor"),
        "jobcenterchef": make_user(tenant_a, "jobcenterchef"),
        "outsider": make_user(tenant_a, None),
        "other_tenant": make_user(tenant_b, "jobkonsulent"),
    }


@pytest.fixture
def as_role(login, people):
    """`as_role("mentor")`: the client of that person's jobcentre, signed in as them."""

    def _as_role(role) -> Client:
        return login("beta" if role == "other_tenant" else "alpha", user=people[role])

    return _as_role


@dataclass
class Clock:
    """The application's date during a test: TODAY, unless the test moves `day`."""

    day: date

    def today(self) -> date:
        return self.day


@pytest.fixture
def frozen_today(monkeypatch) -> Clock:
    """Freeze the application's "today" at TODAY (move it with `frozen_today.day = ...`).

    The one place tests freeze time. The production clock is codes.clock.today (which reads
    Django's localdate; Django's localdate is frozen with it, for allauth and the admin).
    """
    clock = Clock(TODAY)
    monkeypatch.setattr("codes.clock.today", clock.today)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: clock.day)
    return clock


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


@pytest.fixture
def celery_beat_process(django_db_setup, tmp_path):
    """A real Celery beat process of this test run (its own schedule file); ready when its
    heartbeat arrives. Nothing is due in a new schedule for minutes, so it sends nothing."""
    from config.heartbeat import BEAT_COMPONENT, heartbeat_age

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--schedule",
            str(tmp_path / "celerybeat-schedule"),
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=subprocess_env(),
    )
    deadline = time.monotonic() + 60
    while heartbeat_age(component=BEAT_COMPONENT) is None:
        if proc.poll() is not None:
            pytest.fail(f"Celery beat exited with {proc.returncode}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("Celery beat was not ready within 60 s")
        time.sleep(0.2)
    yield proc
    celery_worker_stop(proc)


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker process on the test database, stopped after the module.

    Ready when its heartbeat arrives: that is what /healthz reads.
    """
    from django.conf import settings

    from config.heartbeat import heartbeat_age, worker_component

    # Started without -Q it consumes every queue (settings "Queues"): one heartbeat each.
    proc = celery_worker_start(
        env=subprocess_env(),
        name=f"test-{os.getpid()}@%h",
        ready=lambda: all(
            heartbeat_age(component=worker_component(queue)) is not None
            for queue in settings.CELERY_TASK_QUEUES
        ),
        what="this test run's",
    )
    yield proc
    celery_worker_stop(proc)


# A live server (Django's threaded server on 127.0.0.1) for a module: the browser tests
# (tests/e2e) and the races of tests/live.py. Rows it must see are committed by the module.
@pytest.fixture(scope="module")
def tenant_server(django_db_setup, django_db_blocker):
    """A live server for the module; yields a function giving a tenant's base URL."""
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", _StaticFilesHandler)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield lambda schema="alpha": f"http://{TENANTS[schema]['domain']}:{thread.port}"
        finally:
            thread.terminate()
            thread.join()
