"""The rules of a course in the domain layer: places, 13 weeks, extensions, outcomes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from candidates.services import (
    course_change_hours,
    course_end,
    course_extend,
    course_record_follow_up,
    course_start,
)
from candidates.validators import cpr_birth_date, cpr_masked
from centers.validators import cvr_is_valid
from tests.conftest import make_user
from tests.factories import CandidateFactory, ContractFactory


@pytest.fixture
def consultant(tenant_a):
    user = make_user(tenant_a, "jobkonsulent")
    with schema_context("alpha"):
        yield user


def start(candidate, contract, day=date(2025, 2, 3), user=None, hours=Decimal(10)):
    return course_start(
        candidate=candidate, contract=contract, start=day, hours_per_week=hours, acting_user=user
    )


def test_course_start_takes_the_first_free_place_and_plans_13_weeks(consultant):
    contract = ContractFactory(places=2)
    first = start(CandidateFactory(), contract, user=consultant)
    second = start(CandidateFactory(), contract, user=consultant)
    assert (first.place.number, second.place.number) == (1, 2)
    assert first.planned_end == date(2025, 5, 4)  # 13 weeks: 3 Feb - 4 May
    assert first.hours.get().hours_per_week == Decimal(10)
    assert AuditEvent.objects.filter(action="course.start", object_id=str(first.pk)).exists()


@pytest.mark.usefixtures("consultant")
def test_course_start_is_refused_clearly_when_no_place_is_free():
    contract = ContractFactory(places=1)
    start(CandidateFactory(), contract)
    with pytest.raises(ValidationError, match="ingen ledig plads"):
        start(CandidateFactory(), contract)


def test_ending_a_course_frees_its_place_from_the_next_day(consultant):
    contract = ContractFactory(places=1)
    course = start(CandidateFactory(), contract)
    course_end(course=course, end=date(2025, 3, 14), outcome="uddannelse", acting_user=consultant)
    with pytest.raises(ValidationError, match="ingen ledig plads"):
        start(CandidateFactory(), contract, day=date(2025, 3, 14))
    assert start(CandidateFactory(), contract, day=date(2025, 3, 15)).place == course.place


@pytest.mark.usefixtures("consultant")
def test_candidate_cannot_start_a_second_course():
    candidate = CandidateFactory()
    start(candidate, ContractFactory())
    with pytest.raises(ValidationError, match="allerede i et forløb"):
        start(candidate, ContractFactory(), day=date(2025, 3, 1))


@pytest.mark.usefixtures("consultant")
def test_course_start_outside_the_contract_is_refused():
    contract = ContractFactory(start=date(2025, 1, 1), end=date(2025, 12, 31))
    with pytest.raises(ValidationError, match="kontraktens periode"):
        start(CandidateFactory(), contract, day=date(2026, 1, 5))


@pytest.mark.usefixtures("consultant")
def test_planned_end_never_passes_the_contract_end():
    contract = ContractFactory(start=date(2025, 1, 1), end=date(2025, 3, 31))
    course = start(CandidateFactory(), contract, day=date(2025, 3, 3))
    assert course.planned_end == date(2025, 3, 31)


def test_course_can_only_end_with_a_known_outcome_code(consultant):
    course = start(CandidateFactory(), ContractFactory())
    with pytest.raises(ValidationError, match="Ukendt udslusningskode"):
        course_end(course=course, end=date(2025, 3, 1), outcome="job", acting_user=consultant)
    with pytest.raises(ValidationError, match="før forløbets start"):
        course_end(course=course, end=date(2025, 1, 1), outcome="ukendt", acting_user=consultant)
    course.refresh_from_db()
    assert course.end is None and course.outcome is None


def test_extension_beyond_13_weeks_needs_reason_and_consultation_date(consultant):
    course = start(CandidateFactory(), ContractFactory())
    with pytest.raises(ValidationError, match="begrundelse"):
        course_extend(
            course=course,
            new_planned_end=date(2025, 6, 1),
            reason=" ",
            representatives_consulted_on=date(2025, 4, 20),
            acting_user=consultant,
        )
    with pytest.raises(ValidationError, match="medarbejderrepræsentanterne"):
        course_extend(
            course=course,
            new_planned_end=date(2025, 6, 1),
            reason="Behov for mere tid",
            representatives_consulted_on=None,
            acting_user=consultant,
        )
    course.refresh_from_db()
    assert course.planned_end == date(2025, 5, 4)
    course_extend(
        course=course,
        new_planned_end=date(2025, 6, 1),
        reason="Behov for mere tid",
        representatives_consulted_on=date(2025, 4, 20),
        acting_user=consultant,
    )
    course.refresh_from_db()
    assert course.planned_end == date(2025, 6, 1)
    extension = course.extensions.get()
    assert extension.previous_planned_end == date(2025, 5, 4)
    assert extension.representatives_consulted_on == date(2025, 4, 20)


def test_extension_beyond_26_weeks_names_the_26_week_limit(consultant):
    course = start(CandidateFactory(), ContractFactory())
    with pytest.raises(ValidationError, match="ud over 26 uger"):
        course_extend(
            course=course,
            new_planned_end=date(2025, 9, 30),
            reason="Individuel vurdering",
            representatives_consulted_on=None,
            acting_user=consultant,
        )


def test_extension_cannot_pass_the_contract_end(consultant):
    contract = ContractFactory(end=date(2025, 5, 31))
    course = start(CandidateFactory(), contract)
    with pytest.raises(ValidationError, match="kontraktens slutdato"):
        course_extend(
            course=course,
            new_planned_end=date(2025, 6, 30),
            reason="x",
            representatives_consulted_on=date(2025, 4, 1),
            acting_user=consultant,
        )


def test_weekly_hours_ramp_up_is_kept_as_history(consultant):
    course = start(CandidateFactory(), ContractFactory(), hours=Decimal(10))
    course_change_hours(
        course=course,
        valid_from=date(2025, 2, 17),
        hours_per_week=Decimal(20),
        acting_user=consultant,
    )
    course_change_hours(
        course=course,
        valid_from=date(2025, 3, 3),
        hours_per_week=Decimal(30),
        acting_user=consultant,
    )
    assert [h.hours_per_week for h in course.hours.order_by("valid_from")] == [10, 20, 30]
    with pytest.raises(ValidationError, match="mellem 0 og 60"):
        course_change_hours(
            course=course,
            valid_from=date(2025, 3, 10),
            hours_per_week=Decimal(61),
            acting_user=consultant,
        )


def test_follow_up_is_recorded_only_when_due(consultant):
    course = start(CandidateFactory(), ContractFactory())
    course_end(
        course=course, end=date(2025, 3, 31), outcome="ordinaert_job", acting_user=consultant
    )
    with pytest.raises(ValidationError, match="falder først den 28.04.2025"):
        course_record_follow_up(
            course=course,
            weeks=4,
            self_supporting=True,
            today=date(2025, 4, 27),
            acting_user=consultant,
        )
    course_record_follow_up(
        course=course,
        weeks=4,
        self_supporting=True,
        today=date(2025, 4, 28),
        acting_user=consultant,
    )
    course.refresh_from_db()
    assert course.self_supporting_4w is True
    with pytest.raises(ValidationError, match="4, 13 eller 26"):
        course_record_follow_up(
            course=course,
            weeks=8,
            self_supporting=True,
            today=date(2026, 1, 1),
            acting_user=consultant,
        )


@pytest.mark.parametrize(
    ("cvr", "valid"),
    [
        ("35954716", True),
        ("10150817", True),
        ("35954717", False),
        ("1234567", False),
        ("0123456x", False),
        ("03595471", False),
    ],
)
def test_cvr_modulus_11(cvr, valid):
    assert cvr_is_valid(cvr) is valid


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("0203851234", date(1985, 3, 2)),
        ("0101004123", date(2000, 1, 1)),  # 7th digit 4, year 00 -> 2000s
        ("0101404123", date(1940, 1, 1)),  # 7th digit 4, year 40 -> 1900s
        ("3112575999", date(2057, 12, 31)),  # 7th digit 5, year 57 -> 2000s
        ("3112585999", date(1858, 12, 31)),  # 7th digit 5, year 58 -> 1800s
        ("3002851234", None),  # 30 February
        ("020385123", None),
        ("0203851239", date(1985, 3, 2)),  # no modulus 11 since 2007
    ],
)
def test_cpr_is_a_real_date_plus_four_digits(cpr, born):
    assert cpr_birth_date(cpr) == born


def test_cpr_is_shown_masked():
    assert cpr_masked("0203851234") == "020385-XXXX"
