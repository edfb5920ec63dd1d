""" "Alle mødt" for a whole centre, and the mentor's hours form saved as it is drawn (issue 23)."""

import re
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from mentors.models import Attendance, MentorHours
from tests.conftest import tenant_client

from .conftest import HTMX, WEDNESDAY, course_beside


def all_present(client, centre, *, day=WEDNESDAY, htmx=True):
    headers = HTMX if htmx else {}
    return client.post(
        f"/mentor/center/{centre.pk}/alle-moedt/", {"date": day.isoformat()}, **headers
    )


@pytest.fixture
def second(site):
    """A second candidate at the site's centre, already registered sick today."""
    course = course_beside(site, candidate="Søren Syg", hours=Decimal(30))
    with schema_context("alpha"):
        Attendance.objects.create(
            course=course, date=WEDNESDAY, status="sick", hours=0, recorded_by=site.mentor_user
        )
    return course


def test_all_present_marks_the_unregistered_present_with_planned_hours_and_keeps_the_rest(
    mentor_client, site, second
):
    response = all_present(mentor_client, site.centre)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 markeret mødt med de planlagte timer" in body
    assert "1 var allerede registreret og er uændrede" in body
    with schema_context("alpha"):
        karin = Attendance.objects.get(course=site.course, date=WEDNESDAY)
        assert (karin.status, karin.hours) == ("present", Decimal("4.0"))  # 20 h / 5 days
        assert karin.recorded_by == site.mentor_user
        assert Attendance.objects.get(course=second, date=WEDNESDAY).status == "sick"
        events = AuditEvent.objects.filter(action="attendance.record", object_id=str(karin.pk))
        assert events.count() == 1
        assert events.get().actor_label == site.mentor_user.email

    # Sent again (a lost answer, a double tap): nothing new is stored or logged.
    assert all_present(mentor_client, site.centre).status_code == 200
    with schema_context("alpha"):
        assert Attendance.objects.filter(date=WEDNESDAY).count() == 2
        assert AuditEvent.objects.filter(action__startswith="attendance.").count() == 1


def test_all_present_without_javascript_redirects_with_the_summary(mentor_client, site):
    response = all_present(mentor_client, site.centre, htmx=False)
    assert response.status_code == 302
    follow = mentor_client.get(response["Location"])
    assert "markeret mødt" in follow.content.decode()


def test_all_present_for_a_day_in_the_future_is_refused_and_changes_nothing(mentor_client, site):
    from datetime import timedelta

    response = all_present(mentor_client, site.centre, day=WEDNESDAY + timedelta(days=1))
    assert response.status_code == 422
    assert "fremtiden" in response.content.decode()
    with schema_context("alpha"):
        assert not Attendance.objects.exists()


def test_all_present_is_the_centres_own_mentors_only(
    login, site, other_site, beta_site, consultant_client
):
    other = login("alpha", user=other_site.mentor_user, client=tenant_client("alpha"))
    assert all_present(other, site.centre).status_code == 404
    assert all_present(consultant_client, site.centre).status_code == 404
    beta = login("beta", user=beta_site.mentor_user, client=tenant_client("beta"))
    assert all_present(beta, site.centre).status_code == 404
    with schema_context("alpha"):
        assert not Attendance.objects.exists()


def test_the_hours_form_saves_the_week_it_was_drawn_with(mentor_client, site):
    """The week field comes back as drawn: ISO in <input type=date>, not 05.03.2025."""
    page = mentor_client.get("/mentor/timer/").content.decode()
    week = re.search(r'<input type="date" name="week" value="([^"]*)"', page).group(1)
    assert week == "2025-03-03"
    response = mentor_client.post(
        "/mentor/timer/", {"centre": site.centre.pk, "week": week, "hours": "7,5"}
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        row = MentorHours.objects.get()
        assert (row.week_start.isoformat(), row.hours) == ("2025-03-03", Decimal("7.5"))
