"""A jobcenterchef's day at 1366 px (issue 23): the dashboard's figures on the first view,
building a billing month, approving a statement with its confirmation, then the audit log:
filtered, and followed from an entry to its record. Each step checks what the chef sees.

A real Celery worker carries out the KPI job and the month's build, as in production; the
pages' clock is frozen in this process (the live server's thread), at a day in March so
February can be built.
"""

import re
from datetime import date

import pytest
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD
from tests.e2e.conftest import audit_events_delete, log_in

CHEF = "e2e-daily-chef@alpha.test"
DESKTOP = {"width": 1366, "height": 768}
TODAY = date(2025, 3, 10)
FEB = date(2025, 2, 1)
CENTRE = "E2E Chefens Center"

pytestmark = pytest.mark.django_db
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    from accounts.services import user_create
    from billing.models import BillingRun, Statement
    from reports.models import JobRun, KpiResult
    from tests.factories import CentreFactory, ContractFactory, CourseFactory

    with django_db_blocker.unblock(), schema_context("alpha"):
        chef = user_create(email=CHEF, password=PASSWORD, roles=["jobcenterchef"])
        centre = CentreFactory(name=CENTRE)
        contract = ContractFactory(centre=centre, places=2)  # 1,500 kr a place a month
        course = CourseFactory(contract=contract, start=date(2025, 1, 6))
    try:
        yield {"contract": contract}
    finally:
        with django_db_blocker.unblock(), schema_context("alpha"):
            audit_events_delete(actor_label=CHEF)
            audit_events_delete(actor_label="")
            Statement.objects.filter(contract=contract).delete()
            BillingRun.objects.filter(month=FEB).delete()
            JobRun.objects.all().delete()
            KpiResult.objects.all().delete()
            candidate = course.candidate
            course.delete()
            candidate.delete()
            contract.delete()
            centre.delete()
            centre.company.delete()
            chef.delete()


@pytest.fixture(scope="module")
def server(world, tenant_server, celery_worker_process):  # noqa: ARG001 - asked for effect
    return tenant_server("alpha")


def test_a_chef_reads_the_figures_approves_a_statement_and_follows_the_audit_log(
    server, browser, frozen_today
):
    frozen_today.day = TODAY
    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(60_000)  # the worker computes on a loaded machine
    log_in(page, server, CHEF, PASSWORD)
    menu = page.get_by_role("navigation", name="Hovedmenu")

    # 1. The dashboard: the first view computes the period's figures and shows them, with
    # no button pressed.
    page.goto(server + "/statistik/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nøgletal")
    expect(page.get_by_text(re.compile(r"Senest beregnet"))).to_be_visible()
    tiles = page.locator(".tiles")
    expect(tiles.locator(".tile").filter(has_text="Belægning")).to_contain_text(re.compile(r"\d"))
    expect(tiles.locator(".tile").filter(has_text="Kandidater i forløb nu")).to_contain_text("1")

    # 2. Billing: February is empty; the chef builds it and the statement appears.
    if not menu.get_by_role("link", name="Afregning", exact=True).is_visible():
        menu.get_by_role("button", name=re.compile("Tal|Afregning")).first.click()
    menu.get_by_role("link", name="Afregning", exact=True).click()
    page.get_by_label("Måned (ÅÅÅÅ-MM)").fill("2025-02")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afregning februar 2025")
    expect(page.get_by_text("Ingen opgørelser for måneden.")).to_be_visible()
    page.get_by_role("button", name="Beregn måneden").click()
    page.get_by_role("link", name="Vis de nye tal").click()
    row = page.get_by_role("row").filter(has_text=CENTRE)
    expect(row).to_contain_text("Kladde")
    expect(row.get_by_role("cell").last).to_have_text(re.compile(r"3\.000,00\s*kr\."))

    # 3. The statement reads as a document; approving asks for the confirmation first.
    row.get_by_role("link", name=CENTRE).click()
    header = page.get_by_role("definition").first.locator("xpath=..")
    expect(header).to_contain_text("Beløb i alt")
    expect(header).to_contain_text(re.compile(r"3\.000,00\s*kr\."))
    label_size = page.locator(".document-header dt").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    value_size = page.locator(".document-header dd").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    body_size = page.locator("main p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert label_size == value_size == body_size, (label_size, value_size, body_size)
    approve = page.get_by_role("button", name="Godkend og lås opgørelsen")
    approve.click()  # not confirmed: the browser keeps the form (the box is required)
    expect(page.get_by_text("Opgørelsen er godkendt og låst.")).to_have_count(0)
    box = page.get_by_label(re.compile("Jeg har gennemgået opgørelsen"))
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()
    approve.click()
    expect(page.get_by_text("Opgørelsen er godkendt og låst.")).to_be_visible()
    expect(header).to_contain_text("låst")
    statement_url = page.url

    # 4. The audit log, filtered to billing, followed to the approved statement.
    page.goto(server + "/revision/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisionsspor")
    page.get_by_label("Handling").fill("billing.")
    page.get_by_role("button", name="Filtrér").click()
    rows = page.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    for text in rows.all_inner_texts():
        assert "Opgørelse" in text or "måned" in text.lower(), text
    approved = rows.filter(has_text="Opgørelse godkendt")
    expect(approved).to_have_count(1)
    expect(approved).to_contain_text(CHEF)
    approved.get_by_role("cell").nth(3).get_by_role("link").click()
    assert page.url == statement_url
    expect(page.get_by_role("heading", level=1)).to_contain_text(CENTRE)
    expect(page.get_by_text("Godkendt").first).to_be_visible()
    context.close()
