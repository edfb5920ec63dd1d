"""The read replica's alias (issue 29): a second connection to the same server (standing in
for a streaming replica), with the jobcentre's schema set on it too.

The alias is added for this module only, as DATABASE_REPLICA_URL would add it (engine
config.replica_backend). Its connection is another session, so the rows it must see are
committed (and removed again), and the reads run in a thread of their own, as a request's
would (outside the test's transaction, which holds the main thread's default connection).
"""

import copy

import pytest
from django.conf import settings
from django.db import ProgrammingError, connections, router
from django_tenants.utils import schema_context

from config.replica import REPLICA, StatisticsReplicaRouter
from tests.live import race

# Makes pytest-django create the test database; "__all__" is read when each test starts,
# after the module's fixture added the alias, so the test's threads may use it.
pytestmark = pytest.mark.django_db(databases="__all__")


def in_thread(work):
    """work() in a thread of its own (its own connections, closed after); its result."""

    def run(_i):
        try:
            return work()
        finally:
            connections.close_all()

    return race(1, run)[0]


NAMES = {"alpha": "Replika Alfa Kandidat", "beta": "Replika Beta Kandidat"}


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    """The alias "replica" on the test database, the replica's engine; rows in alpha, beta."""
    from candidates.models import Candidate
    from tests.factories import CandidateFactory

    with django_db_blocker.unblock():
        alias = copy.deepcopy(connections["default"].settings_dict)
        alias["ENGINE"] = "config.replica_backend"
        alias["OPTIONS"] = {k: v for k, v in alias["OPTIONS"].items() if k != "pool"}
        alias["CONN_MAX_AGE"] = 0
        # connections.settings is settings.DATABASES (the same dict): one entry for both.
        connections.settings[REPLICA] = alias
        assert settings.DATABASES[REPLICA] is alias
        made = {}
        for schema, name in NAMES.items():
            with schema_context(schema):
                Candidate.objects.filter(name=name).delete()  # a run that was stopped
                made[schema] = CandidateFactory(name=name)
        try:
            yield
        finally:
            for schema, candidate in made.items():
                with schema_context(schema):
                    Candidate.objects.filter(pk=candidate.pk).delete()
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]


def names_on_replica() -> list[str]:
    from candidates.models import Candidate

    return list(
        Candidate.objects.using(REPLICA)
        .filter(name__in=NAMES.values())
        .values_list("name", flat=True)
    )


@pytest.mark.usefixtures("replica")
def test_the_replica_connection_reads_in_the_schema_of_the_default_connection():
    def reads():
        seen = {}
        with schema_context("alpha"):
            seen["alpha"] = names_on_replica()
            seen["schema"] = connections[REPLICA].schema_name
        # The same replica connection, another jobcentre next: never alpha's rows.
        with schema_context("beta"):
            seen["beta"] = names_on_replica()
        # Public: no jobcentre's table at all.
        try:
            names_on_replica()
        except ProgrammingError:
            seen["public"] = "no table"
        return seen

    assert in_thread(reads) == {
        "alpha": [NAMES["alpha"]],
        "schema": "alpha",
        "beta": [NAMES["beta"]],
        "public": "no table",
    }


@pytest.mark.usefixtures("replica")
def test_django_tenants_engine_alone_leaves_the_second_alias_on_public():
    """Why the replica has an engine of its own: with django-tenants' engine the alias keeps
    the public schema while the request's connection is in alpha."""
    from django_tenants.postgresql_backend.base import DatabaseWrapper

    def read():
        # Another wrapper object with the replica's settings (not the one connections hold).
        plain = DatabaseWrapper(copy.deepcopy(connections[REPLICA].settings_dict), alias=REPLICA)
        try:
            with schema_context("alpha"), plain.cursor() as cursor:
                cursor.execute("SELECT name FROM candidates_candidate")
                return "read alpha's table"
        except ProgrammingError:
            return "no table"
        finally:
            plain.close()

    assert in_thread(read) == "no table"


@pytest.mark.usefixtures("replica")
def test_the_router_sends_the_key_figures_reads_to_the_replica_and_nothing_else():
    from reports.models import JobRun, KpiResult

    replica_router = StatisticsReplicaRouter()
    # A request's thread, outside a transaction: the key figures from the replica.
    assert in_thread(lambda: replica_router.db_for_read(KpiResult)) == REPLICA
    assert in_thread(lambda: replica_router.db_for_read(JobRun)) is None  # read after its write
    # Inside a transaction of default (this test's): it may have written what it reads.
    assert replica_router.db_for_read(KpiResult) is None
    assert replica_router.db_for_write(KpiResult) is None
    assert replica_router.allow_migrate(REPLICA, "reports") is False
    assert replica_router.allow_migrate("default", "reports") is None
    # The settings put the router first only when DATABASE_REPLICA_URL is set (not here).
    assert router.db_for_read(KpiResult) == "default"
