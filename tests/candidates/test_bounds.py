"""Issue 17, finding 8 on the course page: hours valid from 9999-12-31 were stored; hours
typed "25,5" (issue 23) became 255. One parser (codes.parse) for both."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from candidates.models import CourseHours
from tests.conftest import TODAY
from tests.factories import CourseFactory


@pytest.fixture
def course(centre_setup):
    """A running course of the centre's contract, started twelve weeks ago."""
    placed = {key: centre_setup[key] for key in ("candidate", "contract")}
    with schema_context("alpha"):
        return CourseFactory(**placed, start=TODAY - timedelta(weeks=12))


def hours_rows(course):
    with schema_context("alpha"):
        return list(
            CourseHours.objects.filter(course=course).values_list("valid_from", "hours_per_week")
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"valid_from": "9999-12-31", "hours_per_week": "20"}, "Datoen skal ligge mellem"),
        ({"valid_from": "0001-01-01", "hours_per_week": "20"}, "Datoen skal ligge mellem"),
        ({"valid_from": TODAY.isoformat(), "hours_per_week": "NaN"}, "Skal være et tal"),
        ({"valid_from": TODAY.isoformat(), "hours_per_week": "sNaN"}, "Skal være et tal"),
        ({"valid_from": TODAY.isoformat(), "hours_per_week": "Infinity"}, "Skal være et tal"),
    ],
)
def test_course_hours_from_impossible_dates_or_nan_are_refused(as_role, course, data, message):
    before = hours_rows(course)
    response = as_role("jobkonsulent").post(f"/kandidater/forloeb/{course.pk}/timer/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert hours_rows(course) == before


def test_course_hours_typed_with_a_danish_comma_are_25_and_a_half(as_role, course):
    data = {"valid_from": TODAY.isoformat(), "hours_per_week": "25,5"}
    response = as_role("jobkonsulent").post(f"/kandidater/forloeb/{course.pk}/timer/", data)
    assert response.status_code == 302
    assert (TODAY, Decimal("25.5")) in hours_rows(course)
