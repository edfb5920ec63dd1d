"""Refer -> visitation -> start course at 1366 px, counted in clicks and keystrokes (issue 23;
users of today's case systems count about 80 clicks to register one work placement).

A sagsbehandler registers and refers a new candidate; a jobkonsulent opens the waiting
list, the candidate's visitation and starts the course in the first centre. Every click
and key goes through tests.e2e.counting.Effort (E2E_EFFORT_FILE keeps the figures).
"""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD
from tests.e2e.conftest import audit_events_delete, log_in, menu_go
from tests.e2e.counting import Effort, effort_report

SAGSBEHANDLER = "e2e-daily-sags@alpha.test"
JOBKONSULENT = "e2e-daily-kons@alpha.test"
DESKTOP = {"width": 1366, "height": 768}
NAME = "Tove Tælling"
CPR = "2207951234"
TODAY = date(2025, 9, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    from accounts.services import user_create
    from candidates.models import Candidate, Course, Referral
    from tests.factories import CentreFactory, ContractFactory

    with django_db_blocker.unblock(), schema_context("alpha"):
        kons = user_create(email=JOBKONSULENT, password=PASSWORD, roles=["jobkonsulent"])
        sags = user_create(email=SAGSBEHANDLER, password=PASSWORD, roles=["sagsbehandler"])
        centre = CentreFactory(name="E2E Tælle-Centret", work_tasks=["lager"], consultant=kons)
        contract = ContractFactory(centre=centre, places=1)
    try:
        yield {"contract": contract}
    finally:
        with django_db_blocker.unblock(), schema_context("alpha"):
            audit_events_delete(actor_label__in=[JOBKONSULENT, SAGSBEHANDLER])
            candidates = Candidate.objects.filter(name=NAME)
            Referral.objects.filter(candidate__in=candidates).delete()
            Course.objects.filter(candidate__in=candidates).delete()
            candidates.delete()
            contract.delete()
            centre.delete()
            centre.company.delete()
            kons.delete()
            sags.delete()


@pytest.fixture(scope="module")
def server(world, tenant_server):  # noqa: ARG001 - a fixture asked for its effect
    return tenant_server("alpha")


def nav(effort, page, name):
    menu_go(page, name, click=effort.click)


def test_refer_visit_and_start_a_course_counted(server, browser, world, frozen_today):
    frozen_today.day = TODAY
    effort = Effort()
    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)

    log_in(page, server, SAGSBEHANDLER, PASSWORD)
    nav(effort, page, "Henvis kandidat")
    effort.type(page.get_by_label("CPR-nummer"), CPR, clear=False)
    effort.press(page.get_by_label("CPR-nummer"), "Enter")
    page.get_by_text("Ingen kandidat med CPR-nummer").wait_for()
    effort.type(page.get_by_label("Navn"), NAME, clear=False)
    effort.select(page.get_by_label("Ydelse"), "kontanthjaelp")
    effort.type(page.get_by_label("Begrundelse for henvisning"), "Afklaring", clear=False)
    effort.type(page.get_by_label("Kandidatens ønsker til arbejde"), "lager", clear=False)
    effort.click(page.get_by_role("button", name="Opret og henvis"))
    page.get_by_text(f"{NAME} er oprettet og henvist til ventelisten.").wait_for()
    referred = str(effort)
    context.close()

    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, server, JOBKONSULENT, PASSWORD)
    nav(effort, page, "Venteliste")
    effort.click(page.get_by_role("link", name=f"Visitation {NAME}"))
    page.get_by_role("heading", level=1, name=f"Visitation: {NAME}").wait_for()
    form = page.get_by_role("listitem").filter(has_text="E2E Tælle-Centret").locator("form")
    effort.select(form.get_by_label("Målgruppe"), "aktivitetsparat_kontanthjaelp")
    effort.click(page.get_by_role("button", name=f"Start forløb {NAME} i E2E Tælle-Centret"))
    page.get_by_text("Forløbet er startet i E2E Tælle-Centret").wait_for()
    page.get_by_role("heading", level=1, name=f"Forløb: {NAME}").wait_for()
    with schema_context("alpha"):
        from candidates.models import Course

        assert Course.objects.filter(candidate__name=NAME, contract=world["contract"]).exists()

    figure = (
        f"refer -> visitation -> start course: {effort} in all "
        f"(the sagsbehandler's registration and referral: {referred}; logins not counted)"
    )
    effort_report(figure)
    assert effort.clicks <= 15
    context.close()
