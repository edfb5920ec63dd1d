"""The platform admin (public host) signs in like everybody else: through allauth, with the
account lock and two-factor login; closing a jobcentre is a deliberate procedure."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD, PUBLIC_HOST

PLATFORM_EMAIL = "drift@platform.test"


@pytest.fixture
def platform_admin(db):  # noqa: ARG001 - a fixture asked for its effect
    from accounts.services import user_create

    with schema_context("public"):
        return user_create(
            email=PLATFORM_EMAIL, password=PASSWORD, roles=[], is_staff=True, is_superuser=True
        )


def login(client, email=PLATFORM_EMAIL, password=PASSWORD, ip="10.0.0.1"):
    return client.post("/konto/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.usefixtures("platform_admin")
def test_platform_admin_form_is_not_used_the_login_is_allauths():
    response = Client(HTTP_HOST=PUBLIC_HOST).get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.usefixtures("platform_admin")
def test_platform_staff_must_set_up_two_factor_login_before_the_admin():
    client = Client(HTTP_HOST=PUBLIC_HOST)
    assert login(client).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"
    assert client.get("/admin/tenants/jobcenter/").status_code == 302


@pytest.mark.usefixtures("platform_admin")
def test_platform_admin_is_locked_after_five_wrong_passwords():
    client = Client(HTTP_HOST=PUBLIC_HOST)
    for i in range(5):
        assert login(client, password="forkert", ip=f"10.7.0.{i}").status_code != 302
    assert login(Client(HTTP_HOST=PUBLIC_HOST), ip="10.7.1.1").status_code != 302


# --- Closing a jobcentre ---------------------------------------------------------------------


@pytest.fixture
def operator(platform_admin):
    """The platform admin, signed in with two-factor login set up."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    with schema_context("public"):
        TOTP.activate(platform_admin, generate_totp_secret())
    client = Client(HTTP_HOST=PUBLIC_HOST)
    client.force_login(platform_admin)
    return client


@pytest.fixture
def gamma(db):  # noqa: ARG001 - a fixture asked for its effect
    from tenants.services import jobcenter_create

    jobcenter = jobcenter_create(
        schema_name="gamma",
        name="Jobcenter Gamma",
        domain="gamma.test.localhost",
        municipality_code="903",
        admin_email="admin@gamma.test",
        admin_password=PASSWORD,
    )
    with schema_context("gamma"):
        from tests.factories import CandidateFactory

        CandidateFactory(name="Gitte Gammadata")
    return jobcenter


def schema_exists(name: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


def test_a_jobcentre_cannot_be_deleted_in_one_click(operator, gamma):
    assert operator.get(f"/admin/tenants/jobcenter/{gamma.pk}/delete/").status_code == 403
    changelist = operator.get("/admin/tenants/jobcenter/").content.decode()
    assert "delete_selected" not in changelist
    change = operator.get(f"/admin/tenants/jobcenter/{gamma.pk}/change/").content.decode()
    assert f"/admin/tenants/jobcenter/{gamma.pk}/luk/" in change


def test_closing_without_the_typed_schema_name_changes_nothing(operator, gamma):
    from tenants.models import Jobcenter, JobcenterClosure

    response = operator.post(
        f"/admin/tenants/jobcenter/{gamma.pk}/luk/",
        {"mode": "dropped", "reason": "Kommunen er fusioneret", "confirmation": "gama"},
    )
    assert response.status_code == 200
    assert "Skriv jobcentrets skemanavn (gamma)" in response.content.decode()
    assert Jobcenter.objects.filter(pk=gamma.pk).exists()
    assert schema_exists("gamma")
    assert not JobcenterClosure.objects.exists()


def test_closing_archives_the_schema_and_keeps_a_record(operator, gamma):
    from tenants.models import Domain, Jobcenter, JobcenterClosure

    response = operator.post(
        f"/admin/tenants/jobcenter/{gamma.pk}/luk/",
        {"mode": "archived", "reason": "Kommunen er fusioneret", "confirmation": "gamma"},
    )
    assert response.status_code == 302
    closure = JobcenterClosure.objects.get()
    assert (closure.name, closure.schema_name, closure.mode) == (
        "Jobcenter Gamma",
        "gamma",
        "archived",
    )
    assert closure.closed_by == PLATFORM_EMAIL
    assert closure.domains == "gamma.test.localhost"
    assert not Jobcenter.objects.filter(pk=gamma.pk).exists()
    assert not Domain.objects.filter(domain="gamma.test.localhost").exists()
    assert not schema_exists("gamma")
    assert closure.archive_schema.startswith("arkiv_gamma_") and schema_exists(
        closure.archive_schema
    )
    from django.db import connection

    with connection.cursor() as cursor:  # every row kept, under the archive's name
        cursor.execute(f'SELECT name FROM "{closure.archive_schema}".candidates_candidate')
        assert cursor.fetchall() == [("Gitte Gammadata",)]
    # The jobcentre's address no longer answers.
    assert Client(HTTP_HOST="gamma.test.localhost").get("/konto/login/").status_code == 404


def test_closing_by_dropping_removes_the_schema(operator, gamma):
    from tenants.models import JobcenterClosure

    operator.post(
        f"/admin/tenants/jobcenter/{gamma.pk}/luk/",
        {"mode": "dropped", "reason": "Testjobcenter", "confirmation": "gamma"},
    )
    assert JobcenterClosure.objects.get().mode == "dropped"
    assert not schema_exists("gamma")


def test_the_copy_before_closing_is_a_dump_of_the_jobcentres_schema(django_db_blocker):
    """pg_dump reads committed data on its own connection: no test transaction here, so the
    jobcentre and the operator are committed, and removed again at the end."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import connection

    from accounts.models import User
    from accounts.services import user_create
    from tenants.models import Jobcenter
    from tenants.services import jobcenter_create

    with django_db_blocker.unblock():
        delta = jobcenter_create(
            schema_name="delta",
            name="Jobcenter Delta",
            domain="delta.test.localhost",
            municipality_code="904",
            admin_email="admin@delta.test",
            admin_password=PASSWORD,
        )
        user = user_create(
            email="drift-delta@platform.test",
            password=PASSWORD,
            roles=[],
            is_staff=True,
            is_superuser=True,
        )
        TOTP.activate(user, generate_totp_secret())
        try:
            operator = Client(HTTP_HOST=PUBLIC_HOST)
            operator.force_login(user)
            response = operator.get(f"/admin/tenants/jobcenter/{delta.pk}/kopi/")
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"]
            assert 'filename="delta-' in response["Content-Disposition"]
            body = b"".join(response.streaming_content)
            assert body.startswith(b"PGDMP")  # PostgreSQL's custom format
            assert b"candidates_candidate" in body
        finally:
            Jobcenter.objects.get(pk=delta.pk).delete(force_drop=True)
            # Not User.delete(): its collector would look for the tenant apps' tables here.
            with connection.cursor() as cursor:
                for table in ("mfa_authenticator", "account_emailaddress", "accounts_user"):
                    column = "id" if table == "accounts_user" else "user_id"
                    cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [user.pk])
            assert not User.objects.filter(pk=user.pk).exists()


def test_a_failing_copy_says_why_instead_of_a_cut_off_file(operator, gamma):
    # gamma exists only in this test's open transaction: pg_dump cannot see its schema.
    response = operator.get(f"/admin/tenants/jobcenter/{gamma.pk}/kopi/", follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/tenants/jobcenter/{gamma.pk}/change/"
    assert "Kopien kunne ikke laves" in response.content.decode()


def test_a_jobcentre_user_cannot_reach_the_closing_procedure(tenant_a, gamma):
    from .conftest import users_for

    admin = users_for(tenant_a)["admin"]
    client = Client(HTTP_HOST="alpha.test.localhost")
    with schema_context("alpha"):
        client.force_login(admin)
    for suffix in ("luk/", "kopi/"):
        response = client.get(f"/admin/tenants/jobcenter/{gamma.pk}/{suffix}")
        assert response.status_code in (302, 403, 404)
