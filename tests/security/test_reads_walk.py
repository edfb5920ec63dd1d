"""Every page that shows a candidate's name logs the read (issue 17, finding 6).

tests/security/test_read_declarations.py checks what the views declare; this walks what a
user of each role can reach by links from the start page (the URL conf as the users meet
it), with a known candidate in a running course and another waiting, and fails for any page
that shows either name and wrote no read of that person into the audit log.
"""

import re
from datetime import date

import pytest
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from audit.models import AuditEvent
from candidates.models import Referral
from tests.conftest import TENANTS
from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

from .conftest import users_for

HREF = re.compile(r'href="(/[^"#]*)"')
# Not pages about people: sign-in and account pages, the admin (logged by its middleware),
# static files, generated PDFs (their own read declarations; slow to render here).
SKIP = ("/konto/", "/admin/", "/static/", "/healthz")
ROLES = ("jobkonsulent", "sagsbehandler", "mentor", "jobcenterchef")


@pytest.fixture
def known(tenant_a, frozen_today):  # noqa: ARG001 - the clock is asked for its effect
    """Kirsten in a running course of the jobkonsulent's centre (the mentor's), overdue
    for a note, past her planned end, her attendance flagged; Valter waiting, referred by
    the sagsbehandler."""
    from mentors.models import Mentor
    from mentors.services import attendance_flag_raise

    users = users_for(tenant_a)
    with tenant_context(tenant_a):  # the flag's e-mail names the jobcentre's address
        centre = CentreFactory(consultant=users["jobkonsulent"])
        contract = ContractFactory(centre=centre)
        course = CourseFactory(
            candidate=CandidateFactory(name="Kirsten Kendtnavn"),
            contract=contract,
            start=date(2025, 3, 3),
        )
        mentor = Mentor.objects.create(user=users["mentor"], company=centre.company)
        mentor.centres.add(centre)
        attendance_flag_raise(
            course=course, date=date(2025, 5, 30), reason="Udebliver", acting_user=users["mentor"]
        )
        waiting = Referral.objects.create(
            candidate=CandidateFactory(name="Valter Ventenavn"),
            referred_on=date(2025, 5, 1),
            reason="Afklaring",
            created_by=users["sagsbehandler"],
        )
    people = (course.candidate, waiting.candidate)
    return {person.name: person.pk for person in people}


def _last_event_id() -> int:
    with schema_context("alpha"):
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def _reads_since(pk: int) -> list[AuditEvent]:
    with schema_context("alpha"):
        return list(AuditEvent.objects.filter(pk__gt=pk, is_access=True))


def _names_read(events, people: dict) -> set[str]:
    read = set()
    for name, candidate_id in people.items():
        for event in events:
            if event.object_id == str(candidate_id) or candidate_id in (event.subjects or []):
                read.add(name)
    return read


def walk(client, people: dict, limit: int = 60) -> tuple[dict, set]:
    """GET every page reachable from "/" by links (up to `limit`): the pages that showed a
    known name without logging its read, and every page seen."""
    unlogged: dict[str, set] = {}
    seen: set[str] = set()
    queue = ["/"]
    while queue and len(seen) < limit:
        url = queue.pop(0).replace("&amp;", "&")
        if url in seen or url.startswith(SKIP) or url.endswith(".pdf"):
            continue
        seen.add(url)
        before = _last_event_id()
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = response.content.decode("utf-8", "replace")
        shown = {name for name in people if name in body}
        missing = shown - _names_read(_reads_since(before), people)
        if missing:
            unlogged[url] = missing
        if "html" in response.get("Content-Type", ""):
            queue += [u for u in HREF.findall(body) if u not in seen]
    return unlogged, seen


@pytest.mark.parametrize("role", ROLES)
def test_every_page_that_shows_a_candidates_name_logs_the_read(tenant_a, known, login, role):
    user = users_for(tenant_a)[role]
    client = login("alpha", user=user, client=Client(HTTP_HOST=TENANTS["alpha"]["domain"]))
    unlogged, seen = walk(client, known)
    assert "/" in seen and len(seen) > 1
    assert unlogged == {}, f"{role}: pages showing a name, no read logged"
