"""candidates/rules.py: the course rules as pure functions, and the callers that must not
restate them (services, the contract's course_weeks, the import, the demo generator)."""

import copy
import importlib.util
import sys
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from candidates import rules
from candidates.services import course_extend, course_start
from contracts.models import Contract
from dataimport.validation import ExistingRefs, validate
from tests.conftest import ROOT, make_user
from tests.domain.test_import import GOOD
from tests.factories import CandidateFactory, ContractFactory

MONDAY = date(2025, 2, 3)


# --- durations and the 13-week rule (LAB § 61) ---------------------------------------------


def test_thirteen_weeks_are_91_days_counting_both_ends():
    assert rules.NORMAL_COURSE_DAYS == 91
    assert rules.weeks_end(start=MONDAY, weeks=13) == date(2025, 5, 4)  # the 13th Sunday
    assert rules.course_days(start=MONDAY, last_day=date(2025, 5, 4)) == 91


def test_a_course_is_extended_from_its_92nd_day_not_its_93rd():
    last_normal = MONDAY + timedelta(days=90)
    assert not rules.is_extended(start=MONDAY, last_day=last_normal)
    assert rules.is_extended(start=MONDAY, last_day=last_normal + timedelta(days=1))
    assert rules.extension_limit_passed(start=MONDAY, planned_end=last_normal) is None
    assert rules.extension_limit_passed(start=MONDAY, planned_end=last_normal + timedelta(1)) == 13


def test_the_26_week_limit_is_passed_on_day_183():
    day_182 = MONDAY + timedelta(days=181)
    assert rules.extension_limit_passed(start=MONDAY, planned_end=day_182) == 13
    assert rules.extension_limit_passed(start=MONDAY, planned_end=day_182 + timedelta(1)) == 26


def test_new_courses_are_planned_at_most_13_weeks_whatever_the_contract_says():
    far = date(2030, 1, 1)
    assert rules.normal_planned_end(start=MONDAY, contract_weeks=26, contract_end=far) == (
        date(2025, 5, 4)
    )
    assert rules.normal_planned_end(start=MONDAY, contract_weeks=8, contract_end=far) == (
        MONDAY + timedelta(weeks=8, days=-1)
    )
    # never after the contract's end
    assert rules.normal_planned_end(
        start=MONDAY, contract_weeks=13, contract_end=date(2025, 3, 1)
    ) == date(2025, 3, 1)


def test_an_extension_needs_a_reason_and_beyond_13_weeks_the_consultation_date():
    beyond = MONDAY + timedelta(weeks=20)
    within = MONDAY + timedelta(weeks=12)
    assert "begrundelse" in rules.extension_problem(
        start=MONDAY, planned_end=within, reason=" ", consulted_on=None
    )
    assert (
        rules.extension_problem(start=MONDAY, planned_end=within, reason="x", consulted_on=None)
        is None
    )
    assert "ud over 13 uger" in rules.extension_problem(
        start=MONDAY, planned_end=beyond, reason="x", consulted_on=None
    )
    assert (
        rules.extension_problem(start=MONDAY, planned_end=beyond, reason="x", consulted_on=MONDAY)
        is None
    )


def test_week_numbers_and_the_due_lists_weeks_round_down():
    assert rules.week_number(start=MONDAY, day=MONDAY + timedelta(days=6)) == 1
    assert rules.week_number(start=MONDAY, day=MONDAY + timedelta(days=7)) == 2
    assert rules.weeks_passed(start=MONDAY, planned_end=date(2025, 5, 4)) == 13
    assert rules.weeks_passed(start=MONDAY, planned_end=date(2025, 5, 3)) == 12


# --- follow-up, hours, places, age ------------------------------------------------------------


def test_follow_ups_fall_due_4_13_and_26_weeks_after_the_end():
    end = date(2025, 3, 14)
    assert [rules.follow_up_due_on(end=end, weeks=w) for w in rules.FOLLOW_UP_WEEKS] == [
        date(2025, 4, 11),
        date(2025, 6, 13),
        date(2025, 9, 12),
    ]
    assert rules.follow_up_due_on(end=None, weeks=4) is None
    assert rules.follow_up_has_fallen_due(end=end, weeks=4, today=date(2025, 4, 11))
    assert not rules.follow_up_has_fallen_due(end=end, weeks=4, today=date(2025, 4, 10))
    with pytest.raises(ValueError):
        rules.follow_up_due_on(end=end, weeks=8)


@pytest.mark.parametrize(
    ("hours", "frame", "refused"),
    [
        (0, "virksomhedspraktik", None),
        (37, "virksomhedspraktik", None),
        (Decimal("37.5"), "virksomhedspraktik", "højst 37 timer"),
        (40, "saerligt_tilrettelagt_projekt", None),
        (61, "saerligt_tilrettelagt_projekt", "mellem 0 og 60"),
        (-1, "virksomhedspraktik", "mellem 0 og 60"),
    ],
)
def test_weekly_hours_are_0_60_and_at_most_37_in_virksomhedspraktik(hours, frame, refused):
    problem = rules.hours_problem(hours_per_week=hours, legal_frame=frame)
    assert problem is None if refused is None else refused in problem


def test_a_course_occupies_start_to_end_or_open_ended_while_running():
    end = date(2025, 3, 14)
    assert rules.occupies(start=MONDAY, end=end, first=MONDAY)
    assert rules.occupies(start=MONDAY, end=end, first=end)
    assert not rules.occupies(start=MONDAY, end=end, first=end + timedelta(days=1))
    assert not rules.occupies(start=MONDAY, end=end, first=MONDAY - timedelta(days=1))
    assert rules.occupies(start=MONDAY, end=None, first=date(2030, 1, 1))
    # a period: any day of first..last
    assert rules.occupies(start=MONDAY, end=end, first=date(2025, 1, 1), last=MONDAY)


def test_free_places_are_places_minus_busy_never_negative():
    assert rules.free_places(places=4, busy=1) == 3
    assert rules.free_places(places=2, busy=3) == 0


def test_age_counts_the_birthday_itself_and_unge_are_under_25():
    born = date(2000, 3, 2)
    assert rules.age_on(birth_date=born, day=date(2025, 3, 1)) == 24
    assert rules.age_on(birth_date=born, day=date(2025, 3, 2)) == 25
    assert rules.is_young(birth_date=born, day=date(2025, 3, 1))
    assert not rules.is_young(birth_date=born, day=date(2025, 3, 2))


# --- the course_weeks bypass is closed ------------------------------------------------------


@pytest.fixture
def consultant(tenant_a):
    user = make_user(tenant_a, "jobkonsulent")
    with schema_context("alpha"):
        yield user


def test_a_contract_saying_26_weeks_still_plans_13_and_going_beyond_is_an_extension(consultant):
    # As an older row or an earlier import could hold it (the validator came later).
    contract = ContractFactory(course_weeks=26)
    course = course_start(
        candidate=CandidateFactory(),
        contract=contract,
        start=MONDAY,
        hours_per_week=Decimal(10),
        acting_user=consultant,
    )
    assert course.planned_end == date(2025, 5, 4)  # 13 weeks, not 26
    assert not course.extensions.exists()
    with pytest.raises(ValidationError, match="medarbejderrepræsentanterne"):
        course_extend(
            course=course,
            new_planned_end=date(2025, 8, 3),
            reason="Individuel vurdering",
            representatives_consulted_on=None,
            acting_user=consultant,
        )


def test_a_contracts_normal_course_length_is_at_most_13_weeks():
    field = Contract._meta.get_field("course_weeks")
    field.run_validators(13)
    with pytest.raises(ValidationError, match="højst 13 uger"):
        field.run_validators(14)


# --- the import and the demo generator apply the same rule ------------------------------------

EXISTING = ExistingRefs(
    companies=set(),
    centres=set(),
    contracts={},
    candidates=set(),
    courses={},
    consultants={"konsulent@alpha.test": 1},
)


def _problems(data):
    return [str(p) for p in validate(data, existing=EXISTING, today=date(2026, 10, 31))[1]]


def test_the_import_refuses_a_contract_whose_normal_course_is_longer_than_13_weeks():
    data = copy.deepcopy(GOOD)
    data["contracts"][0]["course_weeks"] = 26
    (problem,) = _problems(data)
    assert problem.startswith("contracts[k1].course_weeks: skal være mellem 1 og 13 uger")


def _ninety_two_days(data):
    """f3 (start 2025-04-07) ended on its 92nd day, without an extension."""
    f3 = data["courses"][2]
    f3.update(planned_end="2025-07-07", end="2025-07-07", outcome="ukendt")
    return data


def test_the_import_refuses_a_92_day_course_without_its_extension():
    assert _problems(copy.deepcopy(GOOD)) == []
    (problem,) = _problems(_ninety_two_days(copy.deepcopy(GOOD)))
    assert "courses[f3].extension_reason: forløb over 13 uger kræver" in problem


def _demo_generator(monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "make_demo_data", ROOT / "scripts" / "make_demo_data.py"
    )
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look themselves up
    spec.loader.exec_module(module)
    return module


def test_the_demo_generator_checks_with_the_imports_rule_not_one_day_later(monkeypatch):
    demo = _demo_generator(monkeypatch)
    data = copy.deepcopy(GOOD)
    data["companies"][1]["cvr"] = "35954708"  # the demo wants its CVR numbers unique
    f3 = data["courses"][2]
    f3.update(planned_end="2025-07-06", end="2025-07-06", outcome="ukendt")  # 91 days
    demo.validate(data, cut_off=date(2026, 10, 31))
    # Its own copy asked (last - start).days > 91 and let the 92nd day pass.
    with pytest.raises(AssertionError, match="forløb over 13 uger"):
        demo.validate(_ninety_two_days(data), cut_off=date(2026, 10, 31))


def test_the_kpi_statement_takes_13_weeks_and_unge_as_parameters_not_literals():
    from reports.kpi.statement import KPI_SQL, RULE_PARAMS

    assert RULE_PARAMS == {"normal_course_days": 91, "unge_age": 25}
    assert "%(normal_course_days)s" in KPI_SQL and "%(unge_age)s" in KPI_SQL
    assert " 91" not in KPI_SQL and "'25 years'" not in KPI_SQL
