"""Issue 17, finding 8 on the mentor's pages: NaN hours and impossible dates get a Danish
answer and write nothing (they gave a 500, or mentor hours for year 1 that feed billing)."""

import pytest
from django_tenants.utils import schema_context

from mentors.models import Attendance, MentorHours

from .conftest import WEDNESDAY

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize("hours", ["NaN", "sNaN", "Infinity", "-inf"])
def test_attendance_hours_nan_get_a_danish_error_and_no_row(mentor_client, site, hours):
    data = {"date": WEDNESDAY.isoformat(), "status": "present", "hours": hours}
    response = mentor_client.post(f"/mentor/forloeb/{site.course.pk}/fremmoede/", data, **HTMX)
    assert response.status_code in (200, 422)
    assert "Timer skal være et tal" in response.content.decode()
    with schema_context("alpha"):
        assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("week", "hours", "message"),
    [
        (WEDNESDAY.isoformat(), "NaN", "Skal være et tal"),
        (WEDNESDAY.isoformat(), "sNaN", "Skal være et tal"),
        ("0001-01-01", "5", "Datoen skal ligge mellem"),
        ("9999-12-27", "5", "Datoen skal ligge mellem"),
    ],
)
def test_mentor_hours_nan_or_for_impossible_weeks_are_refused(
    mentor_client, site, week, hours, message
):
    data = {"centre": site.centre.pk, "week": week, "hours": hours}
    response = mentor_client.post("/mentor/timer/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    with schema_context("alpha"):
        assert not MentorHours.objects.exists()


def test_the_service_refuses_mentor_hours_for_the_week_of_year_1(site):
    from datetime import date

    from django.core.exceptions import ValidationError

    from mentors.services import mentor_hours_record

    with schema_context("alpha"), pytest.raises(ValidationError, match="Datoen skal ligge"):
        mentor_hours_record(
            mentor=site.mentor_user.mentor,
            centre=site.centre,
            week=date(1, 1, 1),
            hours="5",
            acting_user=site.mentor_user,
        )


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_day_page_of_an_impossible_date_is_404_not_500(mentor_client, site, day):  # noqa: ARG001
    assert mentor_client.get(f"/mentor/dag/{day}/").status_code == 404
    assert mentor_client.get(f"/mentor/uge/{day}/").status_code == 404
