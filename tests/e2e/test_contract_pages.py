"""The contract's pages in a real browser (issue 21): the contract page's versions,
approvals and signatures fit at 1366 px and at 375 px, and the director's signing page
shows the PDF of the version to sign (embedded and as a download) on a 375 px phone.

E2E_SCREENSHOT_DIR keeps the screenshots, and the signed PDF's pages as PNG, for a person
to look at (docs/contract-*.png come from there).
"""

import os
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD
from tests.e2e.conftest import audit_events_delete, log_in

pytestmark = pytest.mark.django_db

KONSULENT, CHEF = "e2e-kontrakt-konsulent@alpha.test", "e2e-kontrakt-chef@alpha.test"
DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 375, "height": 740}

TEXTS = {
    "goals_text": "Kandidaterne afklares og opkvalificeres i butikken med ordinært job "
    "eller uddannelse som mål. Mål og delmål aftales ved start.",
    "goal_ordinary_job_pct": 25,
    "goal_education_pct": 10,
    "target_group": "Aktivitetsparate kontanthjælpsmodtagere med behov for et trygt arbejdsmiljø.",
    "target_age_min": 18,
    "target_age_max": 30,
    "target_barriers": ["sprog", "psykisk"],
    "work_tasks": "Bageri, frugt og grønt, opfyldning og kasse.",
    "support_activities": "Netværksmøde for mentorerne hver måned; danskundervisning.",
    "reception": "Mentor modtager kandidaten første dag og gennemgår arbejdspladsen.",
    "absence_handling": "Fravær meldes til mentor før kl. 8; udeblivelse følges op samme dag.",
    "udslusning": "Fire uger før slut aftaler kandidat, mentor og jobkonsulent næste skridt.",
}


def _sign_by_both(contract, konsulent, chef):
    from contracts.models import ContractDocument
    from contracts.services import (
        contract_document_render,
        contract_document_request,
        contract_sign_chief,
        contract_sign_director,
        contract_signing_link_send,
    )
    from tests.contracts.conftest import approve_all

    contract = approve_all(contract, konsulent, on=timezone.localdate())
    token = _send_link(contract, konsulent, contract_signing_link_send)
    shown = contract_document_request(
        contract=contract, version=1, kind="preview", acting_user=None
    )
    shown = contract_document_render(document_id=shown.pk)
    contract_sign_director(
        token=token,
        name="Dorthe Hansen",
        title="Administrerende direktør",
        ip="192.0.2.7",
        now=timezone.now(),
        document_sha256=shown.sha256,
    )
    contract_sign_chief(
        contract=contract,
        version=1,
        password=PASSWORD,
        now=timezone.now(),
        acting_user=chef,
        name="Karen Holm",
        title="Jobcenterchef",
    )
    signed = ContractDocument.objects.get(contract=contract, version=1, kind="signed")
    return contract_document_render(document_id=signed.pk)


def _send_link(contract, konsulent, send):
    tokens = []
    send(
        contract=contract,
        version=1,
        director_name="Dorthe Hansen",
        director_email="dorthe@brugsen.example",
        url_for_token=lambda token: tokens.append(token) or f"http://x/{token}",
        now=timezone.now(),
        acting_user=konsulent,
    )
    return tokens[0]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    """A signed contract with every text and one awaiting the director, committed."""
    from accounts.services import user_create
    from contracts.services import (
        contract_create,
        contract_document_render,
        contract_document_request,
        contract_signing_link_send,
    )
    from tests.contracts.conftest import approve_all
    from tests.factories import CentreFactory, CompanyFactory

    today = timezone.localdate()
    start = today.replace(day=1)
    with django_db_blocker.unblock(), schema_context("alpha"):
        konsulent = user_create(
            email=KONSULENT, password=PASSWORD, roles=["jobkonsulent"], first_name="Jonas"
        )
        chef = user_create(
            email=CHEF,
            password=PASSWORD,
            roles=["jobcenterchef"],
            first_name="Karen",
            last_name="Holm",
        )
        company = CompanyFactory(
            name="Brugsen Nørre Aaby a.m.b.a.",
            address="Torvet 1",
            postal_code="5580",
            city="Nørre Aaby",
            union_rep="Hanne Tillid",
            contact_name="Dorthe Hansen",
        )
        centre = CentreFactory(company=company, name="Brugsen Virksomhedscenter Nørre Aaby")
        terms = {
            "start": start,
            "end": start.replace(year=start.year + 2) - timedelta(days=1),
            "places": 4,
            "payment_model": "per_place_month",
            "payment_amount": Decimal(1500),
        }
        signed_contract = contract_create(centre=centre, acting_user=konsulent, **terms, **TEXTS)
        signed_pdf = _sign_by_both(signed_contract, konsulent, chef)
        waiting = contract_create(centre=centre, acting_user=konsulent, **terms, **TEXTS)
        waiting = approve_all(waiting, konsulent, on=today)
        token = _send_link(waiting, konsulent, contract_signing_link_send)
        shown = contract_document_request(
            contract=waiting, version=1, kind="preview", acting_user=None
        )
        contract_document_render(document_id=shown.pk)
    try:
        yield {
            "signed": signed_contract,
            "signed_pdf": signed_pdf,
            "waiting": waiting,
            "token": token,
        }
    finally:
        with django_db_blocker.unblock(), schema_context("alpha"):
            audit_events_delete(
                actor_label__in=[KONSULENT, CHEF, "system"], action__startswith="contract"
            )
            for contract in (signed_contract, waiting):
                contract.delete()
            centre.delete()
            company.delete()
            konsulent.delete()
            chef.delete()


@pytest.fixture(scope="module")
def server(world, tenant_server):  # noqa: ARG001 - a fixture asked for its effect
    return tenant_server("alpha")


def _fits(page) -> None:
    """Nothing runs past the viewport, and no version's content past its card."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.card')].flatMap(card => {
            const right = card.getBoundingClientRect().right + 1;
            return [...card.querySelectorAll('*')]
              .filter(el => el.getBoundingClientRect().right > right)
              .map(el => el.tagName + ':' + el.textContent.trim().slice(0, 40));
        })"""
    )
    assert overflowing == [], overflowing


def _shots(tmp_path) -> Path:
    shots = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def test_contract_page_fits_1366_and_375_with_one_set_of_status_words(
    browser, server, world, tmp_path
):
    shots = _shots(tmp_path)
    contract, document = world["signed"], world["signed_pdf"]
    for name, viewport in (("1366", DESKTOP), ("375", PHONE)):
        context = browser.new_context(viewport=viewport, locale="da-DK")
        page = context.new_page()
        log_in(page, server, KONSULENT, PASSWORD)
        page.goto(f"{server}/kontrakter/{contract.pk}/")
        text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        assert "Version 1 – Underskrevet af begge parter" in text
        assert "Karen Holm, Jobcenterchef" in text
        assert "Dorthe Hansen, Administrerende direktør" in text
        assert "ikke underskrevet" not in text.lower()
        assert document.sha256[:16] in text.replace("\n", "").replace(" ", "")
        _fits(page)
        page.screenshot(path=str(shots / f"contract-page-{name}.png"), full_page=True)
        context.close()
    # The signed PDF's pages, as a person reads them.
    pdf = shots / "contract-signed.pdf"
    pdf.write_bytes(bytes(document.content) if document.content else b"")
    with schema_context("alpha"):
        from contracts.models import ContractDocument

        pdf.write_bytes(bytes(ContractDocument.objects.get(pk=document.pk).content))
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(pdf), str(shots / "contract-pdf")], check=True
    )
    assert sorted(p.name for p in shots.glob("contract-pdf-*.png"))


def test_director_sees_the_pdf_to_sign_on_a_phone(browser, server, world, tmp_path):
    shots = _shots(tmp_path)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="da-DK")
    page = context.new_page()
    page.goto(f"{server}/kontrakter/underskriv/{world['token']}/")
    frame = page.locator("iframe")
    assert frame.count() == 1
    # The embedded PDF and the download are the same bytes: the PDF of the version to sign.
    fetched = page.evaluate(
        """async urls => Promise.all(urls.map(async u => {
            const r = await fetch(u);
            const body = await r.arrayBuffer();
            const digest = await crypto.subtle.digest('SHA-256', body);
            const hex = [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0'));
            return [r.status, r.headers.get('content-type'), hex.join('')];
        }))""",
        [frame.get_attribute("src"), page.locator("a[download]").get_attribute("href")],
    )
    embedded, download = fetched
    assert embedded[:2] == [200, "application/pdf"]
    assert download == embedded
    assert embedded[2] in page.inner_text("body")
    assert page.locator("input[name=title]").count() == 1
    _fits(page)
    page.screenshot(path=str(shots / "director-sign-375.png"), full_page=True)
    context.close()
