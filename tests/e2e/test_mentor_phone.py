"""The mentor's attendance page on a 375 px phone, in a real browser against a live server.

The server is Django's LiveServerThread on 127.0.0.1; Chromium maps the jobcentre's host
(alpha.test.localhost) to it (fixtures in conftest.py). The rows are committed (not inside
a test transaction) so the server's thread sees them, and deleted again afterwards.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD
from tests.e2e.conftest import audit_events_delete

EMAIL = "e2e-mentor@alpha.test"
PHONE = {"width": 375, "height": 740}
MIN_TAP = 44  # px, WCAG 2.5.5 target size

# Makes pytest-django create the test database; reads see what the server thread commits.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    """A centre with two placed candidates and their mentor, committed; removed afterwards."""
    from accounts.services import user_create
    from mentors.models import Mentor
    from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

    today = timezone.localdate()  # the live server's own clock: no freezing across threads
    with django_db_blocker.unblock(), schema_context("alpha"):
        centre = CentreFactory(name="E2E Centret")
        contract = ContractFactory(
            centre=centre, start=today - timedelta(days=60), end=today + timedelta(days=300)
        )
        courses = [
            CourseFactory(
                contract=contract,
                place=contract.place_set.get(number=n + 1),
                candidate=CandidateFactory(name=name),
                start=today - timedelta(days=14),
                hours_per_week=Decimal(20),
            )
            for n, name in enumerate(["Aksel Meget-Langt-Efternavn-Andersen", "Bo Kort"])
        ]
        user = user_create(email=EMAIL, password=PASSWORD, roles=["mentor"])
        mentor = Mentor.objects.create(user=user, company=centre.company)
        mentor.centres.set([centre])
    try:
        yield {"courses": courses, "today": today}
    finally:
        with django_db_blocker.unblock(), schema_context("alpha"):
            audit_events_delete(actor_label=EMAIL)
            for course in courses:
                candidate = course.candidate
                course.delete()
                candidate.delete()
            contract.delete()
            centre.delete()
            mentor.delete()
            user.delete()
            centre.company.delete()


@pytest.fixture(scope="module")
def server(world, tenant_server):  # noqa: ARG001 - a fixture asked for its effect
    return tenant_server("alpha")


def status_of(course, day):
    from mentors.models import Attendance

    with schema_context("alpha"):
        row = Attendance.objects.filter(course_id=course.pk, date=day).first()
    return row.status if row else None


def test_attendance_on_a_phone(server, browser, world, tmp_path):
    # E2E_SCREENSHOT_DIR keeps the screenshots for a person to look at.
    shots = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(server + "/konto/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/")
    assert page.locator("h1").inner_text() == "I dag"
    rows = page.locator("li.att-row")
    assert rows.count() == 2

    shot = shots / "i-dag-375.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5_000

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    buttons = page.locator("li.att-row button")
    assert buttons.count() == 8
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        assert box["height"] >= MIN_TAP and box["width"] >= MIN_TAP, (i, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    hours = page.locator("li.att-row input[name=hours]").first.bounding_box()
    assert hours["height"] >= MIN_TAP

    first, today = world["courses"][0], world["today"]
    row = rows.first
    # One tap saves through htmx (no page load) and the row says so.
    row.get_by_role("button", name="Syg").tap()
    page.locator("li.att-row").first.get_by_text("Gemt: Syg").wait_for()
    assert status_of(first, today) == "sick"

    # A lost connection: the tap waits on the phone and the row says so (issue 23); it is
    # sent when the connection returns (tests/e2e/test_daily_mentor.py walks the rest).
    context.set_offline(True)
    page.locator("li.att-row").first.get_by_role("button", name="Mødt").tap()
    page.locator("li.att-row").first.get_by_text("Venter på forbindelse").wait_for()
    assert status_of(first, today) == "sick"
    context.set_offline(False)
    page.locator("li.att-row").first.get_by_text("Gemt: Mødt").wait_for()
    assert status_of(first, today) == "present"

    page.goto(server + "/mentor/uge/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The grid fits its card: no scrolling inside it either.
    assert page.evaluate(
        "(() => { const box = document.querySelector('.table-scroll');"
        " return box.scrollWidth <= box.clientWidth; })()"
    )
    page.screenshot(path=str(shots / "uge-375.png"), full_page=True)
    context.close()
