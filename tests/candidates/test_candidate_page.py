"""The candidate page (issue 24): its history lists the changes to the record, not the
page's own views (those stay in the audit log's access log), and it decrypts no CPR number:
it shows the number masked."""

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from tests.factories import CandidateFactory


def _history(page: str) -> str:
    return page[page.index('id="historik"') :]


def test_the_history_lists_the_changes_and_the_views_stay_in_the_access_log(as_role, centre_setup):
    candidate = centre_setup["candidate"]
    client = as_role("jobkonsulent")
    url = f"/kandidater/{candidate.pk}/"
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert (
        client.post(
            url + "maalgruppe/", {"target_group": "sygedagpenge", "valid_from": "2025-05-01"}
        ).status_code
        == 302
    )
    history = _history(client.get(url).content.decode())
    assert "Målgruppe ændret" in history
    assert "Kandidat vist" not in history
    with schema_context("alpha"):
        views = AuditEvent.objects.filter(
            action="candidate.view", object_id=str(candidate.pk), is_access=True
        )
        assert views.count() == 4  # every view is still logged as a read


@pytest.mark.usefixtures("tenant_a")
def test_a_record_without_changes_says_so_however_often_it_was_viewed(as_role):
    with schema_context("alpha"):
        candidate = CandidateFactory(name="Bo Bech")  # made directly: no change logged
    client = as_role("sagsbehandler")
    for _ in range(2):
        page = client.get(f"/kandidater/{candidate.pk}/").content.decode()
    assert "Ingen ændringer registreret." in _history(page)


def test_the_page_and_its_print_show_the_number_masked_without_decrypting_it(as_role, centre_setup):
    candidate = centre_setup["candidate"]  # born 1 June 2004
    client = as_role("jobkonsulent")
    for url in (f"/kandidater/{candidate.pk}/", f"/kandidater/{candidate.pk}/udskrift/"):
        response = client.get(url)
        assert "010604-XXXX" in response.content.decode()
        assert "cpr" in response.context["candidate"].get_deferred_fields()


def _person_with_every_kind_of_row(people, centre_setup, *, courses: range):
    """The candidate with ended courses numbered `courses` (a later number starts later), each with
    two hours rows, an extension, two notes and a goal with two sub-goals; a referral and
    a target-group change, all written by the jobkonsulent."""
    from datetime import date, timedelta
    from decimal import Decimal

    from candidates.models import (
        CourseHours,
        Extension,
        FollowUpNote,
        Goal,
        Referral,
        TargetGroupChange,
    )
    from tests.factories import CourseFactory

    user = people["jobkonsulent"]
    candidate, contract = centre_setup["candidate"], centre_setup["contract"]
    with schema_context("alpha"):
        for n in courses:
            start = date(2025, 1, 6) + timedelta(weeks=15 * n)
            course = CourseFactory(
                candidate=candidate,
                contract=contract,
                start=start,
                end=start + timedelta(weeks=13),
                outcome="uddannelse",
            )
            CourseHours.objects.create(
                course=course, valid_from=start + timedelta(days=7), hours_per_week=Decimal("12.5")
            )
            Extension.objects.create(
                course=course,
                previous_planned_end=course.planned_end,
                new_planned_end=course.planned_end + timedelta(days=14),
                reason=f"Forlænget <{n}>",
                representatives_consulted_on=start,
                created_by=user,
            )
            for day, text in ((1, "Første notat"), (2, "Andet notat")):
                FollowUpNote.objects.create(
                    course=course,
                    date=start + timedelta(days=day),
                    text=f"{text} {n}",
                    created_by=user,
                )
            goal = Goal.objects.create(course=course, text=f"Mål {n}", progress=1)
            for sub in ("a", "b"):
                Goal.objects.create(course=course, parent=goal, text=f"Delmål {n}{sub}", progress=2)
        Referral.objects.create(
            candidate=candidate,
            referred_on=course.start - timedelta(days=5),
            reason="Ledig",
            created_by=user,
            status=Referral.Status.VISITERET,
            course=course,
        )
        TargetGroupChange.objects.create(
            candidate=candidate,
            target_group="dagpenge",
            valid_from=course.start - timedelta(days=4),
            created_by=user,
        )
    return candidate


def test_the_page_shows_every_course_with_its_rows_in_a_fixed_number_of_queries(
    as_role, people, centre_setup, django_assert_max_num_queries
):
    """The referrals, target groups and courses with hours, extensions, notes and goals
    are read in one query (candidates.selectors.candidate_overview): the page shows them
    all, in their order, with who wrote them, and costs the same with three courses as
    with one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_role("jobkonsulent")
    candidate = _person_with_every_kind_of_row(people, centre_setup, courses=range(1))
    url = f"/kandidater/{candidate.pk}/"
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _person_with_every_kind_of_row(people, centre_setup, courses=range(1, 3))
    with django_assert_max_num_queries(len(one)):
        page = client.get(url).content.decode()
    author = str(people["jobkonsulent"])
    for n in range(3):
        assert f"Forlænget &lt;{n}&gt;" in page
        assert f"<li>Delmål {n}a: God fremgang</li><li>Delmål {n}b: God fremgang</li>" in page
        assert page.index(f"Andet notat {n}") < page.index(f"Første notat {n}")  # newest first
    assert page.count(f"({author}): Første notat") == 3
    assert page.count("12,5 fra") == 3 and page.count("Brugsen Nord, Plads 1") == 3
    assert page.index("Mål 2") < page.index("Mål 1") < page.index("Mål 0")  # newest course first
    assert "Dagpengemodtager" in page and "Ledig" in page and page.count(author) >= 5
