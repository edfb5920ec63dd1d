"""candidates/rules.py: the course rules as pure functions, and the callers that must not
restate them (services, the contract's course_weeks, the import, the demo generator)."""

import copy
import importlib
import importlib.util
import sys
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from candidates import rules
from candidates.services import course_extend, course_start
from codes import lab
from codes.lists import TargetGroup
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


# --- rules by date and target group (LAB § 61, codes/lab.py) --------------------------------

DAGPENGE = rules.course_limits(
    version=lab.LAB_2020, target_group="dagpenge", legal_frame="virksomhedspraktik"
)
AKTIVITETSPARAT = rules.course_limits(
    version=lab.LAB_2020,
    target_group="aktivitetsparat_kontanthjaelp",
    legal_frame="virksomhedspraktik",
)


def test_todays_version_gives_4_weeks_without_extension_to_dagpenge_and_job_ready_13_to_others():
    version = lab.rules_version_on(date(2026, 12, 1))
    assert version.id == "lab-2020" and version.valid_from == date(2020, 1, 1)
    assert lab.rules_version_on(date(2019, 12, 31)) is None
    four = {"dagpenge", "jobparat_kontanthjaelp", "uddannelsesparat", "selvforsoergende_jobparat"}
    for group in TargetGroup.values:
        if group == "ikke_angivet":
            assert group not in version.initial_weeks  # no rule: the course start asks
            continue
        assert version.initial_weeks[group] == (4 if group in four else 13), group
        assert (group in version.extendable) == (group not in four), group
    assert version.max_hours_per_week == Decimal(37)
    to_26, beyond = version.steps
    assert (to_26.up_to_weeks, to_26.ground) == (26, "assessment")
    assert (beyond.up_to_weeks, beyond.ground, beyond.step_weeks) == (None, "very_special_need", 13)
    for step in version.steps:
        assert step.consult == ("kandidaten", "virksomheden", "medarbejderrepræsentanterne")


def test_an_insured_unemployed_persons_course_is_refused_from_day_29():
    assert (DAGPENGE.initial_weeks, DAGPENGE.extendable) == (4, False)
    day_28 = MONDAY + timedelta(days=27)
    assert (
        rules.normal_planned_end(
            start=MONDAY, contract_weeks=13, contract_end=date(2030, 1, 1), max_weeks=4
        )
        == day_28
    )
    ok = {"start": MONDAY, "reason": "Vurdering", "consulted_on": MONDAY, "limits": DAGPENGE}
    assert rules.extension_problem(planned_end=day_28, **ok) is None
    refused = rules.extension_problem(planned_end=day_28 + timedelta(days=1), **ok)
    assert "højst være i virksomhedspraktik i 4 uger uden forlængelse" in refused
    assert "LAB § 61, stk. 1, nr. 1" in refused and "02.03.2025" in refused
    assert not rules.can_be_extended(start=MONDAY, planned_end=day_28, limits=DAGPENGE)
    assert rules.can_be_extended(start=MONDAY, planned_end=MONDAY + timedelta(13), limits=DAGPENGE)


def test_a_13_week_course_extends_to_26_with_an_assessment_beyond_only_with_a_very_special_need():
    week_13, week_26 = (rules.weeks_end(start=MONDAY, weeks=w) for w in (13, 26))
    base = {"start": MONDAY, "limits": AKTIVITETSPARAT, "current_planned_end": week_13}
    # to 26 weeks: the concrete assessment (the reason) and the representatives heard
    assert "begrundelse" in rules.extension_problem(
        planned_end=week_26, reason="", consulted_on=MONDAY, **base
    )
    assert "medarbejderrepræsentanterne" in rules.extension_problem(
        planned_end=week_26, reason="Vurdering", consulted_on=None, **base
    )
    assert (
        rules.extension_problem(
            planned_end=week_26, reason="Vurdering", consulted_on=MONDAY, **base
        )
        is None
    )
    # beyond 26 weeks: not without the very special need, which is its own field ...
    base["current_planned_end"] = week_26
    week_39 = rules.weeks_end(start=MONDAY, weeks=39)
    no_need = rules.extension_problem(
        planned_end=week_39, reason="Vurdering", consulted_on=MONDAY, **base
    )
    assert "ud over 26 uger kræver et helt særligt behov" in no_need
    need = {"reason": "Vurdering", "consulted_on": MONDAY, "very_special_need": "Tæt på ansættelse"}
    assert rules.extension_problem(planned_end=week_39, **need, **base) is None
    # ... and 13 weeks at a time, from the 26 weeks
    assert "højst 13 uger ad gangen" in rules.extension_problem(
        planned_end=week_39 + timedelta(days=1), **need, **base
    )
    base["current_planned_end"] = week_13
    assert "Forlæng først op til 26 uger" in rules.extension_problem(
        planned_end=week_39, **need, **base
    )


def test_other_legal_frames_and_courses_without_a_group_keep_the_concepts_13_and_26_weeks():
    for limits in (
        rules.course_limits(
            version=lab.LAB_2020,
            target_group="dagpenge",
            legal_frame="saerligt_tilrettelagt_projekt",
        ),
        rules.course_limits(
            version=None, target_group="dagpenge", legal_frame="virksomhedspraktik"
        ),
        rules.course_limits(
            version=lab.LAB_2020, target_group=None, legal_frame="virksomhedspraktik"
        ),
    ):
        assert limits == rules.CONCEPT_LIMITS
    assert rules.CONCEPT_LIMITS.limits_weeks == (13, 26)


def test_a_course_needs_a_known_target_group():
    assert "Angiv kandidatens målgruppe" in rules.target_group_problem("ikke_angivet")
    assert "Angiv kandidatens målgruppe" in rules.target_group_problem("kontanthjaelp")
    assert rules.target_group_problem("sygedagpenge") is None


def test_a_new_law_is_a_new_rules_version_not_new_code():
    """A made-up version from 1 January 2027 (the planned main law) with other numbers: the
    same functions give its limits from its first day, the old version before it."""
    made_up = lab.RulesVersion(
        id="lab-2027-test",
        name="Opdigtet lov til test",
        valid_from=date(2027, 1, 1),
        source="test",
        initial_weeks=MappingProxyType({"dagpenge": 6, "aktivitetsparat_kontanthjaelp": 8}),
        extendable=frozenset({"aktivitetsparat_kontanthjaelp"}),
        steps=(
            lab.ExtensionStep(
                up_to_weeks=None, ground="very_special_need", consult=(), step_weeks=4
            ),
        ),
        max_hours_per_week=Decimal(30),
    )
    versions = (*lab.RULES_VERSIONS, made_up)
    assert lab.rules_version_on(date(2026, 12, 31), versions) is lab.LAB_2020
    assert lab.rules_version_on(date(2027, 1, 1), versions) is made_up
    assert lab.rules_version_by_id("lab-2027-test", versions) is made_up
    start = date(2027, 1, 4)
    limits = rules.course_limits(
        version=made_up, target_group="dagpenge", legal_frame="virksomhedspraktik"
    )
    assert (limits.initial_weeks, limits.extendable, limits.max_hours_per_week) == (6, False, 30)
    assert rules.normal_planned_end(
        start=start,
        contract_weeks=13,
        contract_end=date(2030, 1, 1),
        max_weeks=limits.initial_weeks,
    ) == rules.weeks_end(start=start, weeks=6)
    assert "højst 30 timer" in rules.hours_problem(
        hours_per_week=31, legal_frame="virksomhedspraktik", max_hours=limits.max_hours_per_week
    )
    longer = rules.course_limits(
        version=made_up,
        target_group="aktivitetsparat_kontanthjaelp",
        legal_frame="virksomhedspraktik",
    )
    week_8 = rules.weeks_end(start=start, weeks=8)
    need = {
        "start": start,
        "reason": "x",
        "consulted_on": None,
        "limits": longer,
        "current_planned_end": week_8,
    }
    assert "helt særligt behov" in rules.extension_problem(
        planned_end=week_8 + timedelta(1), **need
    )
    assert (
        rules.extension_problem(
            planned_end=week_8 + timedelta(weeks=4), very_special_need="y", **need
        )
        is None
    )


def test_the_benefit_gives_a_default_target_group_only_where_it_is_unambiguous():
    (path,) = (ROOT / "candidates" / "migrations").glob("*_target_group.py")
    migration = importlib.import_module(f"candidates.migrations.{path.stem}")

    assert lab.default_target_group("forsikret_ledig") == "dagpenge"
    assert lab.default_target_group("ledighedsydelse") == "fleksjob_visiteret"
    for benefit in ("kontanthjaelp", "starthjaelp", "uddannelseshjaelp"):
        assert lab.default_target_group(benefit) == "ikke_angivet"
    # the migration keeps a frozen copy: it must say what the documented default says
    assert {str(k): str(v) for k, v in lab.TARGET_GROUP_FROM_BENEFIT.items()} == migration.DERIVED


# --- visitation: centres ranked by fit (issue 23) ------------------------------------------

VISIT_DAY = date(2025, 9, 1)


def _offer(**kw):
    base = {
        "tasks": ("produktion",),
        "age_min": 18,
        "age_max": 64,
        "barriers": (),
        "clean_record": False,
        "free_now": 0,
    }
    return rules.Offer(**{**base, **kw})


def _ranked(seeker, offers: dict):
    verdicts = {
        name: rules.visitation_fit(seeker=seeker, offer=offer, today=VISIT_DAY)
        for name, offer in offers.items()
    }
    order = sorted(verdicts, key=lambda n: rules.visitation_order(verdicts[n], n))
    return order, verdicts


def test_the_centre_meeting_barrier_and_wishes_comes_before_one_with_only_a_free_place():
    # The walk's case: a free place alone used to come first; the centre whose target group
    # names the candidate's barrier and whose tasks meet the wishes came 4th.
    seeker = rules.Seeker(age=36, barriers=("sprog",), wishes="lager, gerne bager")
    order, verdicts = _ranked(
        seeker,
        {
            "Kun plads": _offer(tasks=("rengøring", "køkken"), free_now=2),
            "Passer": _offer(
                tasks=("bager", "lager"),
                barriers=("sprog",),
                free_soon=1,
                frees_on=VISIT_DAY + timedelta(days=5),
            ),
            "Kun ønsker": _offer(tasks=("lager",), free_now=1),
        },
    )
    assert order == ["Passer", "Kun ønsker", "Kun plads"]
    best = verdicts["Passer"]
    assert best.bookable and best.start_on == date(2025, 9, 6)
    assert best.reasons == (
        "Centrets arbejdsopgaver passer til kandidatens ønsker om bager og lager.",
        "Kontraktens målgruppe omfatter kandidatens barriere: sprog.",
        "Kandidaten er 36 år og inden for kontraktens målgruppe på 18-64 år.",
        "Centret har ingen ledig plads nu, men en plads bliver ledig den 06.09.2025; "
        "forløbet kan starte den dag.",
    )
    assert verdicts["Kun plads"].reasons[0] == (
        "Centrets arbejdsopgaver nævnes ikke i kandidatens ønsker."
    )


def test_free_places_are_said_in_whole_sentences_singular_and_plural():
    seeker = rules.Seeker(age=30, barriers=(), wishes="")
    one = rules.visitation_fit(seeker=seeker, offer=_offer(free_now=1), today=VISIT_DAY)
    two = rules.visitation_fit(seeker=seeker, offer=_offer(free_now=2), today=VISIT_DAY)
    none = rules.visitation_fit(seeker=seeker, offer=_offer(), today=VISIT_DAY)
    assert one.reasons[-1] == "Centret har 1 ledig plads nu."
    assert two.reasons[-1] == "Centret har 2 ledige pladser nu."
    assert none.reasons[-1] == (
        "Centret har ingen ledig plads nu, og ingen bliver ledig inden for 14 dage."
    )
    assert not none.bookable and one.start_on == VISIT_DAY
    for verdict in (one, two, none):
        assert all(r[0].isupper() and r.endswith(".") for r in verdict.reasons)


def test_a_clean_record_requirement_excludes_with_the_reason_said():
    seeker = rules.Seeker(age=40, barriers=("kriminalitet", "sprog"), wishes="lager")
    order, verdicts = _ranked(
        seeker,
        {
            "Vagt": _offer(tasks=("lager",), barriers=("sprog",), clean_record=True, free_now=3),
            "Andet": _offer(free_now=1),
        },
    )
    assert order == ["Andet", "Vagt"]  # excluded last, whatever its points
    assert verdicts["Vagt"].excluded == (
        "Centret kræver ren straffeattest, og kandidaten har oplyst en dom."
    )
    assert not verdicts["Vagt"].bookable


def test_an_age_outside_the_target_ages_counts_against_and_equal_fits_go_by_places():
    young = rules.Seeker(age=19, barriers=(), wishes="")
    order, verdicts = _ranked(
        young,
        {
            "Unge": _offer(age_min=18, age_max=24, free_soon=1, frees_on=VISIT_DAY),
            "Voksne": _offer(age_min=30, age_max=None, free_now=4),
            "Alle, 1 ledig": _offer(age_min=None, age_max=None, free_now=1),
            "Alle, 3 ledige": _offer(age_min=None, age_max=None, free_now=3),
            "Alle, ledig om 3 dage": _offer(
                age_min=None, age_max=None, free_soon=2, frees_on=VISIT_DAY + timedelta(days=3)
            ),
        },
    )
    assert order == [
        "Unge",
        "Alle, 3 ledige",
        "Alle, 1 ledig",
        "Alle, ledig om 3 dage",
        "Voksne",
    ]
    assert verdicts["Voksne"].reasons[0] == (
        "Kandidaten er 19 år og uden for kontraktens målgruppe på mindst 30 år."
    )


def test_a_running_course_frees_its_place_after_its_planned_end_when_booking_ahead():
    from contracts import rules as place_rules

    planned = VISIT_DAY + timedelta(days=4)
    running = {"start": date(2025, 6, 1), "end": None, "planned_end": planned}
    # Booking from the day after the planned end: free. On the planned end: held.
    assert not place_rules.occupies(**running, first=planned + timedelta(days=1), today=VISIT_DAY)
    assert place_rules.occupies(**running, first=planned, today=VISIT_DAY)
    # Without booking ahead a running course holds its place indefinitely, as before.
    assert place_rules.occupies(**running, first=planned + timedelta(days=30))
    # Overdue (its planned end has passed and it still runs): it keeps its place.
    overdue = {**running, "planned_end": VISIT_DAY - timedelta(days=1)}
    assert place_rules.occupies(**overdue, first=VISIT_DAY + timedelta(days=3), today=VISIT_DAY)


def test_the_due_lists_note_and_follow_up_windows():
    start, today = date(2025, 3, 3), date(2025, 6, 2)
    assert rules.note_due_on(last_note=None, start=start) == date(2025, 3, 10)
    assert rules.note_due_on(last_note=date(2025, 5, 26), start=start) == today
    for weeks in (4, 13, 26):
        first, last = rules.follow_up_end_window(weeks=weeks, today=today)
        assert rules.follow_up_due_on(end=last, weeks=weeks) == today
        oldest = today - timedelta(days=rules.FOLLOW_UP_VISIBLE_DAYS)
        assert rules.follow_up_due_on(end=first, weeks=weeks) == oldest
