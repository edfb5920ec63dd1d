"""The workplace pages and the headroom on the centre page and the KPI page: the jobkonsulent
records the facts the staff-ratio rule counts from; bad input changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django_tenants.utils import schema_context

from centers.models import Workplace, WorkplaceEmployees
from tests.factories import CentreFactory, ContractFactory, CourseFactory, WorkplaceFactory


@pytest.fixture
def shop(tenant_a):  # noqa: ARG001 - the tenant must exist first
    """A centre at a 12-employee shop (limit 2) with one course running."""
    with schema_context("alpha"):
        workplace = WorkplaceFactory(name="Brugsen Nørre Aaby", employees=Decimal(12))
        centre = CentreFactory(company=workplace.company, workplace=workplace)
        CourseFactory(contract=ContractFactory(centre=centre, places=2), start=date(2025, 2, 3))
        return centre


def headroom_cells(html: str) -> str:
    """The text of the page with tags and whitespace squeezed, to find a row's numbers."""
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.usefixtures("frozen_today")
def test_the_centre_page_and_the_kpi_page_show_limit_placed_and_free(login, shop):
    pages = {
        "jobcenterchef": (reverse("reports:centre_detail", args=[shop.pk]),),
        "jobkonsulent": (reverse("centers:list"), reverse("contracts:workplaces")),
    }
    for role, urls in pages.items():
        client = login("alpha", role)
        for url in urls:
            _assert_headroom_row(client, url)


@pytest.mark.usefixtures("frozen_today")
@pytest.mark.usefixtures("shop")
def test_the_kpi_page_lists_the_workplaces_that_need_attention_and_counts_them_all(login):
    """The chief's KPI page lists the full workplaces and those missing a fact, fullest
    first, at most 10, and counts every workplace; the workplaces page lists them all."""
    with schema_context("alpha"):
        full = WorkplaceFactory(name="Fuldt Værksted", employees=Decimal(4))  # limit 1
        centre = CentreFactory(company=full.company, workplace=full)
        CourseFactory(contract=ContractFactory(centre=centre, places=1), start=date(2025, 2, 3))
        for number in range(11):
            unknown = WorkplaceFactory(name=f"Ukendt Butik {number:02}", employees=False)
            CentreFactory(company=unknown.company, workplace=unknown)
    client = login("alpha", "jobcenterchef")
    text = headroom_cells(client.get(reverse("reports:dashboard")).content.decode())
    assert "12 af 13 arbejdssteder kræver handling" in text
    assert "De 10 fyldte først." in text
    # The full workplace first (no room left), then nine of those without employees.
    assert "Fuldt Værksted P-nr." in text
    assert "4 1 1 0 0 rimeligt forhold" in text
    assert text.index("Fuldt Værksted") < text.index("Ukendt Butik 00")
    assert sum(f"Ukendt Butik {n:02}" in text for n in range(11)) == 9
    assert "Brugsen Nørre Aaby" not in text  # room left and every fact given
    assert "Se alle arbejdssteder" in text
    everything = headroom_cells(client.get(reverse("contracts:workplaces")).content.decode())
    assert "Brugsen Nørre Aaby" in everything and "Ukendt Butik 10" in everything


def _assert_headroom_row(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = headroom_cells(response.content.decode())
    # employees 12, at most 2, 1 placed by us, 0 by others, 1 free, statement given
    assert "Brugsen Nørre Aaby P-nr." in text, url
    assert "12 2 1 0 1 rimeligt forhold" in text, url


@pytest.mark.usefixtures("frozen_today")
def test_the_jobkonsulent_states_employees_and_the_headroom_follows(login, shop):
    client = login("alpha", "jobkonsulent")
    url = reverse("contracts:workplace_fact", args=[shop.workplace_id, "employees"])
    response = client.post(
        url,
        {
            "employees-ordinary_employees": "60",
            "employees-stated_on": "2025-05-01",
            "employees-stated_by": "Butikschef Lis Hansen",
        },
        follow=True,
    )
    text = headroom_cells(response.content.decode())
    assert "Antallet af ordinært ansatte er registreret." in text
    assert "60 11 1 0 10" in text
    # Bad input: a Danish message, nothing recorded.
    with schema_context("alpha"):
        before = WorkplaceEmployees.objects.count()
    response = client.post(
        url,
        {
            "employees-ordinary_employees": "-3",
            "employees-stated_on": "2025-05-01",
            "employees-stated_by": "Lis",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Ordinært ansatte (fuldtidspersoner)" in response.content.decode()
    with schema_context("alpha"):
        assert WorkplaceEmployees.objects.count() == before


@pytest.mark.usefixtures("frozen_today")
def test_a_new_workplace_needs_a_ten_digit_p_number_used_once(login, shop):
    client = login("alpha", "jobkonsulent")
    data = {
        "company": shop.company_id,
        "name": "Brugsen Lager",
        "p_number": "12345",
        "address": "Lagervej 2",
        "postal_code": "5580",
        "city": "Nørre Aaby",
    }
    response = client.post(reverse("contracts:workplace_create"), data, follow=True)
    assert "10 cifre" in response.content.decode()
    data["p_number"] = shop.workplace.p_number
    response = client.post(reverse("contracts:workplace_create"), data, follow=True)
    assert "allerede" in response.content.decode()
    data["p_number"] = "1234567890"
    response = client.post(reverse("contracts:workplace_create"), data, follow=True)
    assert "Arbejdsstedet er oprettet." in response.content.decode()
    with schema_context("alpha"):
        assert Workplace.objects.get(p_number="1234567890").company_id == shop.company_id


@pytest.mark.usefixtures("frozen_today")
def test_workplace_pages_by_role(login, shop):
    url = reverse("contracts:workplace", args=[shop.workplace_id])
    assert login("alpha", "jobkonsulent").get(url).status_code == 200
    assert login("alpha", "sagsbehandler").get(url).status_code == 403
    # Another jobcentre's user does not find alpha's workplace.
    assert login("beta", "jobkonsulent").get(url).status_code == 404
    post = reverse("contracts:workplace_fact", args=[shop.workplace_id, "statement"])
    assert login("alpha", "jobcenterchef").post(post, {}).status_code == 403
