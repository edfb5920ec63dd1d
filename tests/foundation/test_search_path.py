"""TENANT_LIMIT_SET_CALLS (issue 24): one `SET search_path` per request, never a stale one.

django-tenants remembers the schemas it set on a connection; these tests pin the cases where
PostgreSQL forgets them and the wrapper must as well (django-tenants issue 1262).
"""

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from accounts.models import User


def _search_path() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        return cursor.fetchone()[0]


def test_limit_set_calls_is_on():
    assert settings.TENANT_LIMIT_SET_CALLS is True


@pytest.mark.django_db
def test_a_savepoint_rollback_does_not_leave_the_other_jobcentre_in_place(tenant_b):
    with schema_context("alpha"), transaction.atomic():
        User.objects.count()
        assert _search_path().startswith("alpha")
        sid = transaction.savepoint()
        connection.set_tenant(tenant_b)
        User.objects.count()  # SET beta, inside the savepoint
        transaction.savepoint_rollback(sid)  # PostgreSQL is back on alpha
        assert connection.schema_name == "beta"
        # The wrapper says beta, so beta it must be (the next cursor sets it again).
        assert _search_path().startswith("beta")


@pytest.mark.django_db
def test_an_error_rolled_back_in_a_savepoint_keeps_the_schema(tenant_b):
    with schema_context("alpha"), transaction.atomic():
        User.objects.count()
        try:
            with transaction.atomic():
                connection.set_tenant(tenant_b)
                User.objects.count()
                raise RuntimeError("fails inside")
        except RuntimeError:
            pass
        assert connection.schema_name == "beta"
        assert _search_path().startswith("beta")


@pytest.mark.django_db
def test_a_page_sets_the_search_path_once(login, tenant_a):
    client = login(tenant_a, "jobkonsulent")
    client.get("/tom/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/tom/").status_code == 200
    sets = [q["sql"] for q in captured if q["sql"].startswith("SET search_path")]
    # public for the middleware's look-up of the jobcentre by its domain, then the jobcentre's
    assert sets == ['SET search_path = "public"', 'SET search_path = "alpha","public"']
    assert len(captured) > 2  # the session and the user are read after it
