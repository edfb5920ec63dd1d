"""Two mentors saving the same day at the same moment (issue 19, finding 1), against a live
server: each request in its own server thread with its own database connection.

Before the upsert, `select_for_update().first()` locked nothing while the day had no row, so
both inserted and one answered 500 (attendance_one_per_course_day) - 9 of 20 rounds.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.e2e.conftest import audit_events_delete
from tests.live import LiveClient, race

# The test database must exist (pytest-django creates it only for tests marked so); the
# requests run in the live server's threads, outside the test's transaction.
pytestmark = pytest.mark.django_db
ROUNDS = 20
EMAILS = ("anne.mentor@alpha.test", "bo.mentor@alpha.test")
NAMES = (("Anne", "Mentor"), ("Bo", "Mentor"))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    """One placed candidate, two mentors of the centre, committed; removed afterwards."""
    from accounts.services import user_create
    from mentors.models import Mentor
    from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

    today = timezone.localdate()  # the live server's own clock: no freezing across threads
    with django_db_blocker.unblock(), schema_context("alpha"):
        centre = CentreFactory(name="Kapløbscentret")
        contract = ContractFactory(
            centre=centre, start=today - timedelta(days=90), end=today + timedelta(days=300)
        )
        course = CourseFactory(
            contract=contract,
            place=contract.place_set.get(number=1),
            candidate=CandidateFactory(name="Dorte Dobbelt"),
            start=today - timedelta(days=60),
            hours_per_week=Decimal(20),
        )
        users, mentors = [], []
        for email, (first, last) in zip(
            EMAILS, [("Anne", "Mentor"), ("Bo", "Mentor")], strict=True
        ):
            user = user_create(
                email=email, password=None, roles=["mentor"], first_name=first, last_name=last
            )
            mentor = Mentor.objects.create(user=user, company=centre.company)
            mentor.centres.set([centre])
            users.append(user)
            mentors.append(mentor)
    try:
        yield {"course": course, "users": users, "today": today}
    finally:
        with django_db_blocker.unblock(), schema_context("alpha"):
            for email in EMAILS:
                audit_events_delete(actor_label=email)
            audit_events_delete(actor_label="")
            candidate = course.candidate
            course.delete()
            candidate.delete()
            contract.delete()
            centre.delete()
            for mentor, user in zip(mentors, users, strict=True):
                mentor.delete()
                user.delete()
            centre.company.delete()


def test_two_mentors_saving_a_new_day_at_once_never_get_a_500_and_the_last_one_wins(
    world, tenant_server, django_db_blocker
):
    from mentors.models import Attendance

    port = int(tenant_server("alpha").rsplit(":", 1)[1])
    anne, bo = (LiveClient(port).login(user) for user in world["users"])
    course = world["course"]
    url = f"/mentor/forloeb/{course.pk}/fremmoede/"
    posts = [
        (anne, {"status": "present", "hours": "6"}, "Anne Mentor", "Mødt"),
        (bo, {"status": "sick", "hours": ""}, "Bo Mentor", "Syg"),
    ]
    statuses = []
    for round_ in range(ROUNDS):
        day = world["today"] - timedelta(days=round_ + 1)

        def save(i, day=day):
            client, data, *_ = posts[i]
            return client.post(url, {"date": day.isoformat(), **data}, {"HX-Request": "true"})

        responses = race(2, save)
        statuses += [r.status for r in responses]
        assert [r.status for r in responses] == [200, 200], [r.body[:300] for r in responses]
        with django_db_blocker.unblock(), schema_context("alpha"):
            stored = Attendance.objects.select_related("recorded_by").get(course=course, date=day)
        # The last writer wins: the stored entry is one of the two, whole, with its saver.
        winner = 0 if stored.status == "present" else 1
        assert (stored.status, stored.hours) == (
            ("present", Decimal(6)) if winner == 0 else ("sick", Decimal(0))
        )
        assert stored.recorded_by == world["users"][winner]
        # The winner is told whose entry it replaced; the other saved first and was not.
        loser_name, loser_label = posts[1 - winner][2], posts[1 - winner][3]
        assert f"Erstattede registreringen fra {loser_name} ({loser_label}" in (
            responses[winner].body
        )
        assert "Erstattede" not in responses[1 - winner].body
        # Each page shows what was stored when it answered, and who saved it.
        for response in responses:
            assert "Registreret af Anne Mentor" in response.body or (
                "Registreret af Bo Mentor" in response.body
            )
    assert statuses.count(500) == 0
