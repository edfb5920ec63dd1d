"""A candidate's whole way through a centre, in a real browser, as the two users do it
(issue 5, steps 1-6): a sagsbehandler refers, a jobkonsulent visits, follows up, extends
and ends the course. The jobkonsulent works on a tablet (768 x 1024).

The live server runs in this process, so the pages' clock (tests.conftest.frozen_today) is
frozen here and moved on between the steps: weeks pass between referral and udslusning.
"""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD
from tests.e2e.conftest import audit_events_delete, log_in, menu_go

SAGSBEHANDLER = "e2e-sagsbehandler@alpha.test"
JOBKONSULENT = "e2e-jobkonsulent@alpha.test"
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1280, "height": 800}

NAME = "Signe Vestergaard"  # born 15.03.2004: 21 years old, "unge"
CPR = "150304-4123"
OTHER = "Carl Mølgaard"  # waiting already, longer than Signe

REFERRED = date(2025, 8, 4)  # the sagsbehandler refers Signe (a Monday)
VISITED = date(2025, 8, 18)  # the jobkonsulent starts her course, 14 days later
LATER = date(2025, 11, 5)  # 11 weeks on: follow-up due, the 13 weeks run out on 16.11.
ENDED = date(2025, 12, 1)  # she has a job; her last day in the centre was 28.11.

pytestmark = pytest.mark.django_db
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    """Two centres with contracts, the two users, and one candidate already waiting."""
    from accounts.services import user_create
    from candidates.models import Candidate, Course, Referral
    from candidates.services import referral_create
    from tests.factories import CandidateFactory, CentreFactory, ContractFactory

    with django_db_blocker.unblock(), schema_context("alpha"):
        jobkonsulent = user_create(email=JOBKONSULENT, password=PASSWORD, roles=["jobkonsulent"])
        sagsbehandler = user_create(email=SAGSBEHANDLER, password=PASSWORD, roles=["sagsbehandler"])
        shop = CentreFactory(
            name="E2E Brugsen", work_tasks=["butik", "lager"], consultant=jobkonsulent
        )
        shop_contract = ContractFactory(
            centre=shop, places=1, target_age_min=18, target_age_max=24, target_barriers=["sprog"]
        )
        hall = CentreFactory(name="E2E Lagerhallen", work_tasks=["produktion"])
        hall_contract = ContractFactory(centre=hall, places=2)
        referral_create(
            candidate=CandidateFactory(name=OTHER, birth_date=date(2003, 1, 9), wishes="lager"),
            reason="Afklaring af arbejdsevne",
            wishes="lager",
            referred_on=date(2025, 7, 28),
            acting_user=sagsbehandler,
        )
    try:
        yield {"shop_contract": shop_contract}
    finally:
        with django_db_blocker.unblock(), schema_context("alpha"):
            audit_events_delete(actor_label__in=[JOBKONSULENT, SAGSBEHANDLER])
            candidates = Candidate.objects.filter(name__in=[NAME, OTHER])
            Referral.objects.filter(candidate__in=candidates).delete()
            Course.objects.filter(candidate__in=candidates).delete()
            candidates.delete()
            for contract in (shop_contract, hall_contract):
                contract.delete()
                contract.centre.delete()
                contract.centre.company.delete()
            jobkonsulent.delete()
            sagsbehandler.delete()


@pytest.fixture(scope="module")
def server(world, tenant_server):  # noqa: ARG001 - a fixture asked for its effect
    # After `world`, so the rows are removed only once the browser and server are gone
    # (a connection opened while Playwright runs would outlive the test database).
    return tenant_server("alpha")


@pytest.fixture
def clock(frozen_today):
    """The pages' date, moved by the test (the server thread reads the same clock)."""
    frozen_today.day = REFERRED
    return frozen_today


def message(page):
    """The messages the last action left at the top of the page (role=status)."""
    return page.locator("main > .alert[role=status]")


def nav(page, name):
    menu_go(page, name)


def assert_keyboard_reaches_forms(page, max_tabs=120):
    """Tab from the top of the page: every control of every form in <main> gets focus in
    turn, and each has an accessible name (a label, not only a placeholder). Each control
    keeps its place in the Tab order in data-e2e-tabbed (1, 2, ...)."""
    # Start from the top, as after loading the page (focusing <body> resets where Tab
    # starts; a blur() alone would leave it at the last field typed in).
    page.evaluate(
        """() => { const b = document.body;
                   b.tabIndex = -1; b.focus(); b.removeAttribute('tabindex'); }"""
    )
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        # Tab also steps through the day/month/year parts of a date field: the same
        # element again is not the end; the first one again (or none) is.
        wrapped = page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e || e === document.body || e.hasAttribute('data-e2e-first')) return true;
                if (!document.querySelector('[data-e2e-first]')) {
                    e.setAttribute('data-e2e-first', '');
                }
                if (!e.hasAttribute('data-e2e-tabbed')) {
                    window.e2eTabbed = (window.e2eTabbed || 0) + 1;
                    e.setAttribute('data-e2e-tabbed', window.e2eTabbed);
                }
                return false;
            }"""
        )
        if wrapped:
            break
    controls = page.locator(
        "main form :is(input:not([type=hidden]), select, textarea, button):visible"
    )
    assert controls.count() > 0
    for i in range(controls.count()):
        control = controls.nth(i)
        what = control.evaluate("e => e.outerHTML.slice(0, 120)")
        assert control.get_attribute("data-e2e-tabbed") is not None, f"Tab skips {what}"
        expect(control, f"no accessible name: {what}").to_have_accessible_name(re.compile(r"\w"))


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def test_candidate_way_through_a_centre(server, browser, world, clock, tmp_path):
    # E2E_SCREENSHOT_DIR keeps the screenshot for a person to look at.
    shots = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    # 1. Henvisning: the sagsbehandler finds no one by CPR, registers and refers Signe.
    desk = browser.new_context(viewport=DESKTOP, locale="da-DK")
    page = desk.new_page()
    page.set_default_timeout(10_000)
    log_in(page, server, SAGSBEHANDLER, PASSWORD)
    nav(page, "Henvis kandidat")
    expect(page.get_by_role("heading", level=1)).to_have_text("Henvis kandidat til ventelisten")
    page.get_by_label("CPR-nummer").fill(CPR)
    page.get_by_label("CPR-nummer").press("Enter")
    expect(page.get_by_text("Ingen kandidat med CPR-nummer")).to_be_visible()
    assert_keyboard_reaches_forms(page)
    page.get_by_label("Navn").fill(NAME)
    page.get_by_label("Ydelse").select_option(label="Uddannelseshjælp")
    # DKFDS draws the box on the label (the input itself is hidden): a person clicks the label.
    box = page.get_by_label("Sprog", exact=True)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()
    page.get_by_label("Begrundelse for henvisning").fill("Afklaring; ønsker praktik i butik")
    page.get_by_label("Kandidatens ønsker til arbejde").fill("butik, gerne kasse")
    page.get_by_role("button", name="Opret og henvis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(message(page)).to_contain_text(f"{NAME} er oprettet og henvist til ventelisten.")
    expect(page.get_by_text("På venteliste siden 04.08.2025")).to_be_visible()
    referrals = page.get_by_role("region", name="Henvisninger")
    expect(referrals).to_contain_text("Afklaring; ønsker praktik i butik")
    expect(referrals).to_contain_text("butik, gerne kasse")
    expect(page.get_by_role("region", name="Stamdata")).to_contain_text("butik, gerne kasse")
    candidate_url = page.url
    desk.close()

    # 2. Visitation, two weeks later: the jobkonsulent, on a tablet, starts a course.
    clock.day = VISITED
    tablet = browser.new_context(viewport=TABLET, locale="da-DK", has_touch=True)
    page = tablet.new_page()
    page.set_default_timeout(10_000)
    log_in(page, server, JOBKONSULENT, PASSWORD)
    nav(page, "Venteliste")
    expect(page.get_by_role("heading", level=1)).to_have_text("Venteliste")
    rows = page.get_by_role("table", name="Venteliste").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(OTHER)  # the oldest referral first
    signe = rows.nth(1)
    expect(signe).to_contain_text(NAME)
    expect(signe.get_by_role("cell").nth(2)).to_have_text("04.08.2025")
    expect(signe.get_by_role("cell").nth(3)).to_have_text("14")  # days on the venteliste
    signe.get_by_role("link", name=f"Visitation {NAME}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Visitation: {NAME}")
    fits = page.locator("ol.fits > li")
    expect(fits).to_have_count(2)
    expect(fits.nth(0).get_by_role("heading")).to_contain_text("E2E Brugsen")
    # The reasons in whole sentences, in the order of the ranking.
    expect(fits.nth(0).locator(".reason")).to_have_text(
        [
            "Centrets arbejdsopgaver passer til kandidatens ønske om butik.",
            "Kontraktens målgruppe omfatter kandidatens barriere: sprog.",
            "Kandidaten er 21 år og inden for kontraktens målgruppe på 18-24 år.",
            "Centret har 1 ledig plads nu.",
        ]
    )
    expect(fits.nth(1).get_by_role("heading")).to_contain_text("E2E Lagerhallen")
    expect(fits.nth(1).locator(".reason")).to_have_text(
        [
            "Centrets arbejdsopgaver nævnes ikke i kandidatens ønsker.",
            "Centret har 2 ledige pladser nu.",
        ]
    )
    start = page.get_by_role("button", name=f"Start forløb {NAME} i E2E Brugsen")
    assert_keyboard_reaches_forms(page)
    # The start form in the best centre: its fields, then its button, one Tab apart.
    form = fits.nth(0).locator("form")
    expect(form.get_by_label("Start")).to_have_value("2025-08-18")
    expect(form.get_by_label("Timer pr. uge")).to_have_value("10")
    order = [
        int(control.get_attribute("data-e2e-tabbed"))
        for control in (
            form.get_by_label("Start"),
            form.get_by_label("Timer pr. uge"),
            form.get_by_label("Lovgrundlag"),
            form.get_by_label("Målgruppe"),
            start,
        )
    ]
    assert order == list(range(order[0], order[0] + 5)), order
    # Uddannelseshjælp does not tell education-ready from activity-ready: the target group
    # (LAB § 6) is recorded here, at visitation, and decides the course's length (§ 61).
    expect(form.get_by_label("Målgruppe")).to_have_value("ikke_angivet")
    form.get_by_label("Målgruppe").select_option(label="Aktivitetsparat uddannelseshjælpsmodtager")
    form.get_by_label("Målgruppe").focus()
    page.keyboard.press("Tab")
    expect(start).to_be_focused()
    start.click()  # one click starts the course

    expect(message(page)).to_contain_text("Forløbet er startet i E2E Brugsen")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Forløb: {NAME}")
    frame = page.get_by_role("region", name="Ramme")
    expect(frame).to_contain_text("18.08.2025")
    expect(frame).to_contain_text("16.11.2025")  # planned end: 13 weeks
    expect(frame).to_contain_text("Aktivitetsparat uddannelseshjælpsmodtager")
    expect(frame).to_contain_text("LAB § 61")  # the rules version that applied

    # 3. Forløb: the hours ramp up 10 -> 20 -> 30, and a goal gets a progress mark.
    hours = page.get_by_role("region", name="Ugentlige timer")
    for valid_from, per_week in (("2025-09-01", "20"), ("2025-09-15", "30")):
        hours.get_by_label("Gælder fra").fill(valid_from)
        hours.get_by_label("Timer pr. uge").fill(per_week)
        hours.get_by_role("button", name="Ændr timer").click()
        expect(message(page)).to_contain_text("De ugentlige timer er ændret.")
    expect(hours.locator("tbody tr")).to_have_count(3)
    expect(hours.locator("tbody tr").nth(2)).to_contain_text("15.09.2025")
    expect(hours.locator("tbody tr").nth(2)).to_contain_text("30")

    goals = page.get_by_role("region", name="Mål og delmål")
    goals.get_by_label("Nyt mål").fill("Møde til tiden hver dag")
    goals.get_by_role("button", name="Tilføj mål").click()
    expect(message(page)).to_contain_text("Målet er tilføjet.")
    goals.get_by_label("Nyt delmål").fill("Cykle selv på arbejde")
    goals.get_by_role("button", name="Tilføj delmål").click()
    expect(goals).to_contain_text("Cykle selv på arbejde")
    goals.get_by_label("Progression for Møde til tiden hver dag").select_option(label="I gang")
    expect(goals.get_by_role("status")).to_have_text("Gemt")  # saved by htmx, no reload
    assert_keyboard_reaches_forms(page)

    # 4. Opfølgning, 11 weeks on: the due list names her twice; a note clears one.
    clock.day = LATER
    nav(page, "Opfølgning")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opfølgning denne uge")
    due = page.locator("tbody tr", has_text=NAME)
    expect(due).to_have_count(2)
    expect(due.nth(0)).to_contain_text("Ingen opfølgning siden 18.08.2025")
    expect(due.nth(1)).to_contain_text(
        "Passerer 13 uger den 16.11.2025: beslut forlængelse eller udslusning"
    )
    due.nth(0).get_by_role("link", name=NAME).click()
    notes = page.get_by_role("region", name="Opfølgning", exact=True)
    expect(notes.get_by_label("Dato")).to_have_value("2025-11-05")
    notes.get_by_label("Notat").fill("Trives i butikken; tilbudt timer i kassen.")
    notes.get_by_role("button", name="Gem notat").click()
    expect(message(page)).to_contain_text("Opfølgningsnotatet er gemt.")
    expect(page.get_by_role("region", name="Opfølgning", exact=True)).to_contain_text(
        "05.11.2025 (e2e-jobkonsulent@alpha.test): Trives i butikken"
    )
    nav(page, "Opfølgning")
    due = page.locator("tbody tr", has_text=NAME)
    expect(due).to_have_count(1)
    expect(due).to_contain_text("Passerer 13 uger")

    # 5. Forlængelse beyond 13 weeks: refused without the consultation date, then granted.
    due.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="Forlæng", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Forlæng forløbet for {NAME}")
    expect(page.get_by_label("Ny planlagt slutdato")).to_have_value("2026-02-15")
    page.get_by_label("Begrundelse (individuel vurdering)").fill("Tæt på ansættelse i kassen")
    assert_keyboard_reaches_forms(page)
    page.get_by_role("button", name="Forlæng", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(
        "Forlængelse ud over 13 uger kræver datoen, hvor medarbejderrepræsentanterne blev hørt."
    )
    expect(page.get_by_text("planlagt slut 16.11.2025")).to_be_visible()  # unchanged
    page.get_by_label("Medarbejderrepræsentanter hørt den").fill("2025-11-03")
    page.get_by_role("button", name="Forlæng", exact=True).click()
    expect(message(page)).to_contain_text("Forløbet er forlænget.")
    expect(page.get_by_role("region", name="Ramme")).to_contain_text("15.02.2026")
    expect(page.get_by_role("region", name="Forlængelser")).to_contain_text(
        "16.11.2025 → 15.02.2026: Tæt på ansættelse i kassen (repræsentanter hørt 03.11.2025)"
    )

    # 6. Udslusning: she has a job. The freed place and the centre's venteliste follow.
    clock.day = ENDED
    page.reload()
    page.get_by_role("link", name="Afslut (udslusning)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Afslut forløbet for {NAME}")
    assert_keyboard_reaches_forms(page)
    # Her last day was Friday; the place is free from the day after the course's end.
    page.get_by_label("Slutdato").fill("2025-11-28")
    page.get_by_label("Udslusning").select_option(label="Ordinært job")
    page.get_by_role("button", name="Afslut forløb").click()
    page.wait_for_url(
        re.compile(rf"/centre/kontrakt/{world['shop_contract'].pk}/genbesaet/\?fra=2025-11-29$")
    )
    expect(message(page)).to_contain_text(
        "Forløbet er afsluttet, og pladsen er ledig fra 29.11.2025. "
        "Vælg en kandidat fra ventelisten."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("E2E Brugsen")
    expect(page.get_by_text("1 ledig plads af 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Venteliste for dette center")).to_be_visible()
    waiting = page.locator("ol.fits > li")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(OTHER)
    expect(waiting.locator(".reason")).to_have_text(
        [
            "Centrets arbejdsopgaver passer til kandidatens ønske om lager.",
            "Kandidaten er 22 år og inden for kontraktens målgruppe på 18-24 år.",
            "Centret har 1 ledig plads nu.",
        ]
    )
    expect(page.get_by_role("button", name=f"Start forløb {OTHER} i E2E Brugsen")).to_be_enabled()

    # Her page on the tablet: the whole way on one screen, no sideways scrolling.
    page.goto(candidate_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    course = page.get_by_role("region", name="Forløb: E2E Brugsen, Plads 1")
    expect(course).to_contain_text("18.08.2025 – 28.11.2025")
    expect(course).to_contain_text("Ordinært job")
    expect(course).to_contain_text("Møde til tiden hver dag: I gang")
    expect(course).to_contain_text("Trives i butikken")
    expect(page.get_by_role("region", name="Historik")).to_contain_text(
        "Forløb afsluttet (udslusning)"
    )
    shot = shots / "kandidat-768.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert_no_horizontal_scroll(page)
    tablet.close()
