"""The read replica's alias (issue 29): a second connection to the same server (standing in
for a streaming replica), with the jobcentre's schema set on it too.

The alias is added for this module only, as DATABASE_REPLICA_URL would add it (engine
config.replica_backend). Its connection is another session, so the rows it must see are
committed (and removed again); no test transaction is used here.
"""

import copy

import pytest
from django.conf import settings
from django.db import ProgrammingError, connections, router
from django_tenants.utils import schema_context

from config.replica import REPLICA, StatisticsReplicaRouter

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
        connections.settings[REPLICA] = alias
        settings.DATABASES[REPLICA] = alias
        made = {}
        for schema, name in NAMES.items():
            with schema_context(schema):
                made[schema] = CandidateFactory(name=name)
        try:
            yield
        finally:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
            del settings.DATABASES[REPLICA]
            for schema, candidate in made.items():
                with schema_context(schema):
                    Candidate.objects.filter(pk=candidate.pk).delete()


def names_on_replica() -> list[str]:
    from candidates.models import Candidate

    return list(
        Candidate.objects.using(REPLICA)
        .filter(name__in=NAMES.values())
        .values_list("name", flat=True)
    )


@pytest.mark.usefixtures("replica")
def test_the_replica_connection_reads_in_the_schema_of_the_default_connection(django_db_blocker):
    with django_db_blocker.unblock():
        with schema_context("alpha"):
            assert names_on_replica() == [NAMES["alpha"]]
            assert connections[REPLICA].schema_name == "alpha"
        # The same replica connection, another jobcentre next: never alpha's rows.
        with schema_context("beta"):
            assert names_on_replica() == [NAMES["beta"]]
        # Public: no jobcentre's table at all.
        with pytest.raises(ProgrammingError):
            names_on_replica()
        connections[REPLICA].close()


@pytest.mark.usefixtures("replica")
def test_django_tenants_engine_alone_leaves_the_second_alias_on_public(django_db_blocker):
    """Why the replica has an engine of its own: with django-tenants' engine the alias keeps
    the public schema while the request's connection is in alpha."""
    from django_tenants.postgresql_backend.base import DatabaseWrapper

    with django_db_blocker.unblock():
        plain = DatabaseWrapper(copy.deepcopy(connections[REPLICA].settings_dict), alias="plain")
        try:
            with schema_context("alpha"), pytest.raises(ProgrammingError), plain.cursor() as cur:
                cur.execute("SELECT name FROM candidates_candidate")
        finally:
            plain.close()


@pytest.mark.usefixtures("replica")
def test_the_router_sends_the_key_figures_reads_to_the_replica_and_nothing_else(
    django_db_blocker,
):
    from django.db import transaction

    from reports.models import JobRun, KpiResult

    replica_router = StatisticsReplicaRouter()
    assert replica_router.db_for_read(KpiResult) == REPLICA
    assert replica_router.db_for_read(JobRun) is None  # a run is read right after its write
    assert replica_router.db_for_write(KpiResult) is None
    assert replica_router.allow_migrate(REPLICA, "reports") is False
    assert replica_router.allow_migrate("default", "reports") is None
    with django_db_blocker.unblock(), transaction.atomic():
        # Inside a transaction of default: it may have written what it reads.
        assert replica_router.db_for_read(KpiResult) is None
    # The settings put the router first when DATABASE_REPLICA_URL is set (here it is not).
    assert router.db_for_read(KpiResult) == "default"
