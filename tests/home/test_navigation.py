"""The navigation shows each role exactly its links, asking each app's permissions."""

import pytest
from django.test import RequestFactory
from django_tenants.utils import schema_context

from home.navigation import navigation
from tests.conftest import make_user

CASE_WORK = ["Opfølgning", "Venteliste", "Kandidater", "Forløb", "Centre"]
EXPECTED = {
    "jobkonsulent": [
        "Start",
        *CASE_WORK,
        "Fremmøde",
        "Mine tal",
        "Nøgletal",
        "Kontrakter",
        "Afregning",
    ],
    "sagsbehandler": ["Start", "Henvis kandidat", "Venteliste", "Kandidater"],
    "mentor": ["Start", "Ugeoversigt", "Mentortimer"],
    "jobcenterchef": [
        "Start",
        "Nøgletal",
        "Landsoversigt",
        "Indstillinger",
        "Kontrakter",
        "Afregning",
        "Revisionsspor",
    ],
    "admin": ["Start", "Kommunens login", "Indstillinger"],
    None: ["Start"],
}


def _labels(user, tenant) -> list[str]:
    request = RequestFactory().get("/")
    request.user, request.tenant = user, tenant
    with schema_context(tenant.schema_name):
        return [str(label) for label, _url in navigation(request)["nav_items"]]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_exactly_its_links(tenant_a, role):
    user = make_user(tenant_a, role, email=f"nav-{role or 'none'}@alpha.test")
    assert _labels(user, tenant_a) == EXPECTED[role]


def test_the_admin_with_staff_status_also_gets_the_django_admin(tenant_a):
    user = make_user(tenant_a, "admin", email="nav-staff@alpha.test")
    user.is_staff = True
    expected = ["Start", "Administration", "Kommunens login", "Indstillinger"]
    assert _labels(user, tenant_a) == expected


def test_case_worker_who_also_refers_gets_the_case_workers_links_once(tenant_a):
    from accounts.services import user_create

    with schema_context(tenant_a.schema_name):
        user = user_create(
            email="both@alpha.test",
            password="x-Adgang-2026!",
            roles=["jobkonsulent", "sagsbehandler"],
        )
    assert _labels(user, tenant_a) == EXPECTED["jobkonsulent"]


def test_no_navigation_outside_a_jobcentre(tenant_a):
    request = RequestFactory().get("/")
    request.user, request.tenant = make_user(tenant_a, "jobkonsulent"), None
    assert navigation(request)["nav_items"] == []
