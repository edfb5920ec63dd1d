"""Pooled database connections (issue 19, finding 4): bounded, and never one jobcentre's
schema in the next request.

The test settings switch the pool on as production does, so the isolation tests
(test_isolation.py) and the Celery schema tests (tests/foundation/test_celery_worker.py)
run on pooled connections too.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections
from django_tenants.utils import schema_context

from config.dbpool import RESET_SEARCH_PATH

# The test database must exist (pytest-django creates it only for tests marked so), though
# the work below runs in threads of its own, outside the test's transaction.
pytestmark = pytest.mark.django_db


def test_the_pool_is_on_as_in_production():
    options = settings.DATABASES["default"]["OPTIONS"]["pool"]
    assert options["max_size"] >= 1
    # Django refuses a pool with persistent connections: a request gives its connection back.
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0


def _in_thread(work):
    """Run `work()` in a thread of its own (its own connection, from the pool) and return
    what it returned; the thread's connection goes back to the pool at the end."""
    result = {}

    def run():
        try:
            result["value"] = work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return result["value"]


def test_a_pooled_connection_never_carries_the_last_jobcentres_schema(django_db_blocker):
    def work():
        seen = []
        for schema in ["alpha", "beta", "alpha", "public", "beta", "beta", "alpha"]:
            with schema_context(schema):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid(), current_schema()")
                    seen.append((schema, *cursor.fetchone()))
                # Back to the pool, as at the end of every request and every task.
                connection.close()
        return seen

    with django_db_blocker.unblock():  # no test transaction: the thread reads nothing of it
        seen = _in_thread(work)
    assert [current for _schema, _pid, current in seen] == [schema for schema, *_ in seen]
    # The same server process served several of them: the connection was really reused.
    pids = [pid for _schema, pid, _current in seen]
    assert len(set(pids)) < len(pids)


def test_a_returned_connection_points_at_no_tenant(django_db_blocker):
    def work():
        with schema_context("alpha"), connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        connection.close()
        pool = connection.pool
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            conn = pool.getconn()
            try:
                backend, search_path = conn.execute(
                    "SELECT pg_backend_pid(), current_setting('search_path')"
                ).fetchone()
            finally:
                pool.putconn(conn)
            if backend == pid:
                return search_path
            time.sleep(0.05)
        raise AssertionError("the connection did not come back to the pool")

    with django_db_blocker.unblock():
        search_path = _in_thread(work)
    assert search_path == RESET_SEARCH_PATH.removeprefix("SET search_path TO ")
