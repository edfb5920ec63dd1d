"""The fault suite's harness: real worker and beat processes on private servers.

Runs only under scripts/faults.py (`make faults`), which starts a private PostgreSQL and
Redis and sets FAULTS_*; `make test` on the shared servers skips the folder. No test
transaction: the worker must see committed rows, and every test writes its own rows.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import ROOT, TENANTS, jobcentres_ensure, make_user, subprocess_env

if not os.environ.get("FAULTS_PG_PORT"):
    collect_ignore_glob = ["test_*.py"]


def wait_until(predicate, *, timeout: float, what: str, step: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # noqa: BLE001 - a server is restarting; ask again
            connection.close()
            value = None
        if value:
            return value
        time.sleep(step)
    pytest.fail(f"not within {timeout:.0f} s: {what}")


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):  # noqa: ARG001 - set up first
    """The test database on the private server. pytest-django sets up only the databases
    that collected tests mark as used, and no fault test uses a test transaction."""
    from django.test.utils import setup_databases

    with django_db_blocker.unblock():
        setup_databases(verbosity=0, interactive=False, aliases={"default"})
        jobcentres_ensure()
    yield


@pytest.fixture(scope="session")
def pg():
    from tests.faults.servers import PrivatePostgres

    return PrivatePostgres.from_env()


@pytest.fixture(scope="session")
def redis_server():
    from tests.faults.servers import PrivateRedis

    return PrivateRedis.from_env()


@pytest.fixture(autouse=True)
def _committed(django_db_setup, django_db_blocker, pg, redis_server):  # noqa: ARG001
    """Every fault test writes committed rows, and starts with both servers up."""
    with django_db_blocker.unblock():
        yield
    connection.close()


class Processes:
    """Worker and beat processes of one test, killed with SIGKILL when the test says so."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.workers: list[subprocess.Popen] = []
        self.beats: list[subprocess.Popen] = []
        self.count = 0

    def _popen(self, *args: str) -> subprocess.Popen:
        self.count += 1
        log = (self.tmp_path / f"{args[0]}-{self.count}.log").open("w")
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args, "--loglevel", "WARNING"],
            cwd=ROOT,
            env=subprocess_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def worker(self, *, pool=("-P", "solo"), wait: bool = True) -> subprocess.Popen:
        """A worker: one process (solo or threads), so SIGKILL kills its jobs with it."""
        from config.heartbeat import _client, _key, worker_component

        name = f"faults-{os.getpid()}-{self.count + 1}@localhost"
        proc = self._popen("worker", *pool, "--without-gossip", "--without-mingle", "-n", name)
        self.workers.append(proc)
        if wait:
            wait_until(
                lambda: _client().zscore(_key(worker_component()), name) is not None,
                timeout=60,
                what="the worker's first heartbeat",
            )
        return proc

    def beat(self) -> subprocess.Popen:
        proc = self._popen("beat", "--schedule", str(self.tmp_path / "celerybeat-schedule"))
        self.beats.append(proc)
        return proc

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    def kill_workers(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                self.kill(proc)

    def stop_all(self) -> None:
        for proc in self.workers + self.beats:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.workers + self.beats:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(proc)


@pytest.fixture
def processes(tmp_path):
    procs = Processes(tmp_path)
    yield procs
    procs.stop_all()


@pytest.fixture
def users():
    """A jobcenterchef and a jobkonsulent of alpha, new for each test."""
    stamp = f"{os.getpid()}-{time.monotonic_ns()}"
    return {
        role: make_user("alpha", role, email=f"{role}-{stamp}@alpha.test")
        for role in ("jobcenterchef", "jobkonsulent")
    }


@pytest.fixture
def browser(users):
    """`browser(role)`: a client signed in at alpha that returns a 500 instead of raising."""

    def _browser(role: str) -> Client:
        client = Client(HTTP_HOST=TENANTS["alpha"]["domain"], raise_request_exception=False)
        with schema_context("alpha"):
            client.force_login(users[role])
        return client

    return _browser


class Tally:
    """What a scenario ends with, written to FAULTS_REPORT for scripts/faults.py."""

    def __init__(self, name: str):
        self.name = name
        self.responses: list[tuple[str, int, float]] = []

    def request(self, client: Client, method: str, url: str, **data):
        started = time.monotonic()
        response = getattr(client, method)(url, data)
        self.responses.append((url, response.status_code, time.monotonic() - started))
        return response

    @property
    def server_errors(self) -> int:
        return sum(1 for _url, status, _s in self.responses if status >= 500)

    def write(self, runs: list, *, duplicated: int) -> dict:
        """Count over the scenario's runs (re-read): not done, running after the lease."""
        now = timezone.now()
        fresh = [type(run).objects.get(pk=run.pk) for run in runs]
        row = {
            "scenario": self.name,
            "jobs": len(fresh),
            "lost": sum(1 for run in fresh if run.state != "done"),
            "running_after_lease": sum(
                1
                for run in fresh
                # getattr: the same suite runs on a checkout from before leases (issue 18)
                if run.state == "running" and (getattr(run, "lease_until", None) or now) <= now
            ),
            "duplicated": duplicated,
            "server_errors": self.server_errors,
            "restarts": sum(getattr(run, "restarts", 0) for run in fresh),
            "slowest_request_s": round(max((s for *_x, s in self.responses), default=0), 2),
        }
        with open(os.environ["FAULTS_REPORT"], "a") as report:
            report.write(json.dumps(row) + "\n")
        return row


@pytest.fixture
def tally(request):
    return Tally(request.node.name)
