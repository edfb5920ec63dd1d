"""The Danish error pages, the accessibility statement and the grouped menu (issue 22)."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.views.defaults import server_error
from django_tenants.utils import schema_context

from home.navigation import navigation
from tests.conftest import make_user, tenant_client


def _no_database(execute, sql, params, many, context):  # noqa: ARG001 - Django's hook
    raise AssertionError(f"the 500 page queried the database: {sql}")


def test_the_500_page_is_danish_and_needs_no_database():
    request = RequestFactory().get("/")
    with connection.execute_wrapper(_no_database):
        response = server_error(request)
    text = response.content.decode()
    assert response.status_code == 500
    assert "Der skete en fejl" in text and "Server Error" not in text
    assert 'lang="da"' in text and "dkfds" in text  # the design system's stylesheet


@pytest.mark.django_db
def test_403_and_404_are_danish_in_the_design_system(login, tenant_a):
    client = login(tenant_a, "sagsbehandler")
    forbidden = client.get("/statistik/")
    assert forbidden.status_code == 403
    assert "Du har ikke adgang til siden" in forbidden.content.decode()
    assert "Forbidden" not in forbidden.content.decode()
    missing = client.get("/findes-ikke/")
    assert missing.status_code == 404
    assert "Siden findes ikke" in missing.content.decode()
    assert "Not Found" not in missing.content.decode()


@pytest.mark.django_db
def test_the_accessibility_statement_is_open_to_all_and_shows_the_jobcentres_link(tenant_a):
    from home.models import AccessibilityStatement

    anonymous = tenant_client(tenant_a)
    page = anonymous.get("/tilgaengelighed/").content.decode()
    assert "Jobcentret har endnu ikke udfyldt" in page
    with schema_context(tenant_a.schema_name):
        AccessibilityStatement.objects.create(
            was_url="https://www.was.digst.dk/alpha", contact="it@alpha.test"
        )
    page = anonymous.get("/tilgaengelighed/").content.decode()
    assert 'href="https://www.was.digst.dk/alpha"' in page and "it@alpha.test" in page
    # Every page's footer links to it, the login page too.
    assert 'href="/tilgaengelighed/"' in anonymous.get("/konto/login/").content.decode()


@pytest.mark.django_db
def test_the_login_page_has_no_link_to_the_closed_sign_up(tenant_a):
    page = tenant_client(tenant_a).get("/konto/login/").content.decode()
    assert "/konto/signup/" not in page and "opret dig" not in page


@pytest.mark.django_db
def test_the_jobkonsulents_menu_is_grouped_by_task(tenant_a):
    user = make_user(tenant_a, "jobkonsulent", email="menu@alpha.test")
    request = RequestFactory().get("/kandidater/venteliste/")
    request.user, request.tenant = user, tenant_a
    with schema_context(tenant_a.schema_name):
        menu = navigation(request)["nav_menu"]
    assert [item.label for item in menu] == [
        "Start",
        "Kandidater",
        "Centre og kontrakter",
        "Tal",
        "Afregning",
    ]
    candidates = menu[1]
    assert [c.label for c in candidates.children] == [
        "Opfølgning",
        "Venteliste",
        "Kandidater",
        "Forløb",
    ]
    assert candidates.current and [c.label for c in candidates.children if c.current] == [
        "Venteliste"
    ]
