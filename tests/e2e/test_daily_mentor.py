"""A mentor logs a whole centre's day on a 375 px phone, part of it without a connection
(issue 23): "alle mødt", two corrections, then taps made offline that wait on the phone
("Venter på forbindelse") and are sent in order when the connection returns, stored once.
The walk counts its clicks and keystrokes (E2E_EFFORT_FILE keeps them for the report).
"""

import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD
from tests.e2e.conftest import audit_events_delete
from tests.e2e.counting import Effort, effort_report

EMAIL = "e2e-daily-mentor@alpha.test"
OTHER_EMAIL = "e2e-daily-mentor2@alpha.test"  # a second mentor on the same phone
OTHER_NAME = "Eva Ebbesen"
PHONE = {"width": 375, "height": 740}
NAMES = ["Anna Andersen", "Bo Bech", "Carl Carlsen", "Dorte Dam"]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    from accounts.services import user_create
    from mentors.models import Mentor
    from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

    today = timezone.localdate()
    with django_db_blocker.unblock(), schema_context("alpha"):
        centre = CentreFactory(name="E2E Dagens Center")
        contract = ContractFactory(
            centre=centre,
            places=len(NAMES),
            start=today - timedelta(days=60),
            end=today + timedelta(days=300),
        )
        courses = [
            CourseFactory(
                contract=contract,
                place=contract.place_set.get(number=n + 1),
                candidate=CandidateFactory(name=name),
                start=today - timedelta(days=14),
                hours_per_week=Decimal(20),
            )
            for n, name in enumerate(NAMES)
        ]
        user = user_create(email=EMAIL, password=PASSWORD, roles=["mentor"])
        mentor = Mentor.objects.create(user=user, company=centre.company)
        mentor.centres.set([centre])
        other_centre = CentreFactory(name="E2E Det Andet Center")
        other_contract = ContractFactory(
            centre=other_centre,
            places=1,
            start=today - timedelta(days=60),
            end=today + timedelta(days=300),
        )
        other_course = CourseFactory(
            contract=other_contract,
            candidate=CandidateFactory(name=OTHER_NAME),
            start=today - timedelta(days=14),
            hours_per_week=Decimal(20),
        )
        other_user = user_create(email=OTHER_EMAIL, password=PASSWORD, roles=["mentor"])
        other_mentor = Mentor.objects.create(user=other_user, company=other_centre.company)
        other_mentor.centres.set([other_centre])
    try:
        yield {"courses": dict(zip(NAMES, courses, strict=True)), "today": today, "user": user}
    finally:
        with django_db_blocker.unblock(), schema_context("alpha"):
            audit_events_delete(actor_label__in=[EMAIL, OTHER_EMAIL])
            other_candidate = other_course.candidate
            other_course.delete()
            other_candidate.delete()
            other_contract.delete()
            other_centre.delete()
            other_mentor.delete()
            other_user.delete()
            other_centre.company.delete()
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


def stored(world):
    from mentors.models import Attendance

    ids = {c.pk: name for name, c in world["courses"].items()}
    with schema_context("alpha"):
        rows = Attendance.objects.filter(course_id__in=ids, date=world["today"])
        return {ids[r.course_id]: (r.status, r.hours) for r in rows}


def row_of(page, name):
    return page.get_by_role("listitem").filter(has=page.get_by_role("link", name=name))


def test_a_mentor_logs_a_whole_centres_day_partly_offline(server, browser, world, tmp_path):
    shots = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    login = Effort()
    page.goto(server + "/konto/login/")
    login.type(page.get_by_label("E-mail"), EMAIL, clear=False)
    login.type(page.get_by_label("Adgangskode"), PASSWORD, clear=False)
    login.click(page.get_by_role("button", name="Log ind"), tap=True)
    page.wait_for_url(server + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "I dag"
    for name in NAMES:
        row_of(page, name).get_by_text("Ikke registreret").wait_for()
    page.screenshot(path=str(shots / "mentor-dag-foer-375.png"), full_page=True)

    day = Effort()
    # One tap: everybody present with the planned hours (20 h a week = 4 a day).
    day.click(page.get_by_role("button", name="Alle mødt"), tap=True)
    page.get_by_text("4 markeret mødt med de planlagte timer").wait_for()
    for name in NAMES:
        row_of(page, name).get_by_text("Mødt (4,0 t)").wait_for()
    assert stored(world) == dict.fromkeys(NAMES, ("present", Decimal("4.0")))

    # Corrections per person: Bo is ill, Carl worked 3,5 hours.
    day.click(row_of(page, "Bo Bech").get_by_role("button", name="Syg"), tap=True)
    row_of(page, "Bo Bech").get_by_text("Gemt: Syg").wait_for()
    day.type(row_of(page, "Carl Carlsen").get_by_label("Timer for Carl Carlsen"), "3,5")
    day.click(row_of(page, "Carl Carlsen").get_by_role("button", name="Mødt"), tap=True)
    row_of(page, "Carl Carlsen").get_by_text("Gemt: Mødt").wait_for()

    # The connection drops: taps wait on the phone and say so; nothing reaches the server.
    context.set_offline(True)
    day.click(row_of(page, "Anna Andersen").get_by_role("button", name="Syg"), tap=True)
    day.click(row_of(page, "Anna Andersen").get_by_role("button", name="Udeblevet"), tap=True)
    day.click(row_of(page, "Dorte Dam").get_by_role("button", name="Aftalt fravær"), tap=True)
    row_of(page, "Anna Andersen").get_by_text("Venter på forbindelse").wait_for()
    row_of(page, "Dorte Dam").get_by_text("Venter på forbindelse").wait_for()
    page.get_by_text("3 registreringer venter på forbindelse").wait_for()
    page.screenshot(path=str(shots / "mentor-dag-offline-375.png"), full_page=True)
    assert stored(world)["Anna Andersen"] == ("present", Decimal("4.0"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Back online: sent in the order tapped (Anna's last tap wins), each once.
    context.set_offline(False)
    row_of(page, "Dorte Dam").get_by_text("Gemt: Aftalt fravær").wait_for()
    row_of(page, "Anna Andersen").get_by_text("Gemt: Udeblevet").wait_for()
    page.get_by_text("Forbindelsen er tilbage: alle registreringer er sendt.").wait_for()
    assert stored(world) == {
        "Anna Andersen": ("absent", Decimal("0.0")),
        "Bo Bech": ("sick", Decimal("0.0")),
        "Carl Carlsen": ("present", Decimal("3.5")),
        "Dorte Dam": ("agreed_absence", Decimal("0.0")),
    }
    key = f"vc.attendance.queue.v2.alpha.{world['user'].pk}"  # the jobcentre's and the user's
    assert page.evaluate(f"window.localStorage.getItem('{key}')") == "[]"
    page.screenshot(path=str(shots / "mentor-dag-efter-375.png"), full_page=True)

    # The mentor's hours for the week save on the first try (the date field as drawn).
    day.click(page.get_by_role("link", name="Registrér mentortimer"), tap=True)
    page.get_by_role("heading", level=1, name="Mentortimer").wait_for()
    day.type(page.get_by_label("Mentortimer"), "7,5")
    day.click(page.get_by_role("button", name="Gem"), tap=True)
    page.get_by_text("Mentortimerne er gemt.").wait_for()

    effort = (
        f"mentor, a centre of {len(NAMES)} logged with 2 corrections, 3 offline taps and the "
        f"week's mentor hours: {day} (login: {login})"
    )
    effort_report(effort)
    assert day.clicks <= 12
    context.close()


def log_in_on_phone(page, server, email):
    page.goto(server + "/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").tap()
    page.wait_for_url(server + "/")


def log_out_on_phone(page, server):
    page.goto(server + "/konto/logout/")
    page.locator("main").get_by_role("button", name="Log ud").tap()
    page.wait_for_url(re.compile(r"/konto/login/"))


def test_a_second_mentor_on_the_same_phone_never_sends_the_first_ones_taps(server, browser, world):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in_on_phone(page, server, EMAIL)
    before = stored(world)["Bo Bech"]
    # A tap that gets no answer (the network drops it) waits on the phone.
    context.route("**/mentor/forloeb/*/fremmoede/", lambda route: route.abort())
    row_of(page, "Bo Bech").get_by_role("button", name="Udeblevet").tap()
    row_of(page, "Bo Bech").get_by_text("Venter på forbindelse").wait_for()
    log_out_on_phone(page, server)

    # The next person on the phone: their own day, nothing of the first mentor's waiting.
    log_in_on_phone(page, server, OTHER_EMAIL)
    row_of(page, OTHER_NAME).get_by_text("Ikke registreret").wait_for()
    assert page.get_by_text("venter på forbindelse").count() == 0
    assert page.get_by_text("Bo Bech").count() == 0
    context.unroute("**/mentor/forloeb/*/fremmoede/")
    page.reload()
    row_of(page, OTHER_NAME).get_by_text("Ikke registreret").wait_for()
    page.wait_for_timeout(1_000)  # a flush would have gone by now
    assert stored(world)["Bo Bech"] == before  # the first mentor's tap was not sent
    log_out_on_phone(page, server)

    # The first mentor back: their tap is sent, once.
    log_in_on_phone(page, server, EMAIL)
    row_of(page, "Bo Bech").get_by_text("Gemt: Udeblevet").wait_for()
    assert stored(world)["Bo Bech"] == ("absent", Decimal("0.0"))
    context.close()
