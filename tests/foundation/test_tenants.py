import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.models import Domain, Jobcenter


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.django_db
def test_create_jobcenter_makes_schema_domain_and_admin_with_role():
    call_command(
        "create_jobcenter",
        schema="gamma",
        name="Jobcenter Gamma",
        domain="gamma.test.localhost",
        municipality_code="903",
        admin_email="chef@gamma.test",
        admin_password="en-lang-adgangskode-1",
    )
    jobcenter = Jobcenter.objects.get(schema_name="gamma")
    assert jobcenter.name == "Jobcenter Gamma"
    assert Domain.objects.get(domain="gamma.test.localhost").tenant == jobcenter
    assert schema_exists("gamma")
    with schema_context("gamma"):
        admin = User.objects.get(email="chef@gamma.test")
        assert admin.check_password("en-lang-adgangskode-1")
        assert admin.has_role("admin")
        # Every role exists as a group in the new jobcentre.
        from django.contrib.auth.models import Group

        assert set(Group.objects.values_list("name", flat=True)) == {
            "jobkonsulent",
            "sagsbehandler",
            "mentor",
            "jobcenterchef",
            "admin",
        }
    # The admin exists only in the new jobcentre, not in the platform or another one.
    assert not User.objects.filter(email="chef@gamma.test").exists()
    with schema_context("alpha"):
        assert not User.objects.filter(email="chef@gamma.test").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"schema": "Bad-Name"}, "Skemanavnet"),
        ({"schema": "public"}, "Skemanavnet"),
        ({"schema": "alpha"}, "findes allerede"),
        ({"domain": "alpha.test.localhost"}, "Domænet"),
        ({"municipality_code": "41"}, "Kommunekoden"),
        ({"municipality_code": "901"}, "(?i)kommunekode eksisterer allerede"),
    ],
)
def test_create_jobcenter_refuses_bad_input_in_danish_and_creates_nothing(options, message):
    args = {
        "schema": "delta",
        "name": "Jobcenter Delta",
        "domain": "delta.test.localhost",
        "municipality_code": "904",
        "admin_email": "chef@delta.test",
    } | options
    before = Jobcenter.objects.count(), Domain.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("create_jobcenter", **args)
    assert (Jobcenter.objects.count(), Domain.objects.count()) == before
    assert not schema_exists("delta")


@pytest.mark.django_db
def test_public_landing_lists_jobcentres_with_their_login(public_client):
    response = public_client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jobcenter Alfa" in body
    assert "//alpha.test.localhost" in body
    assert "Jobcenter Beta" in body


@pytest.mark.django_db
def test_platform_admin_is_served_on_the_public_host(public_client):
    # Its login is allauth's (lock-out, two-factor), as at the jobcentres.
    response = public_client.get("/admin/login/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/konto/login/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_unknown_host_gets_404():
    from django.test import Client

    assert Client(HTTP_HOST="ukendt.test.localhost").get("/").status_code == 404
