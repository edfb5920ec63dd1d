"""Key figures on a small dataset computed by hand.

Period 1 Jan - 31 Mar 2025 (90 days).
Centre A (company X, detail): contract K1 1 Jan - 31 Dec 2025, 4 places, 1,500 kr per place
per month; a signed amendment from 1 Mar gives 6 places.
    available: 59 days x 4 + 31 days x 6 = 236 + 186 = 422 place-days
Centre B (company Y, offentlig): contract K2 15 Feb - 30 Jun 2025, 2 places, training only.
    available: 45 days (15 Feb - 31 Mar) x 2 = 90 place-days            total 512
Courses (occupied days inside the period):
    c1 P1 (34 y) K1  6 Jan - 14 Feb ordinaert_job, self-supporting at 4 w     40
    c2 P2 (21 y) K1 13 Jan - 30 Apr (still going on 31 Mar)                  78
    c3 P3 (23 y) K1 17 Feb - 20 Mar uddannelse                                32
    c4 P4 (44 y) K2 15 Feb - running                                          45
    c5 P1 (34 y) K1  3 Mar -  7 Mar langtidssygemelding                        5
    c6 P5        K1  7 Apr - (after the period: not counted)                   0
                                                                   total     200
"""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from candidates.models import Referral
from contracts.models import Amendment
from reports.kpi.figures import figures_expand
from reports.models import JobcenterCost, JobcenterSettings, KpiResult
from reports.services import kpi_figures_compute
from tests.factories import (
    CandidateFactory,
    CentreFactory,
    CompanyFactory,
    ContractFactory,
    CourseFactory,
)

F, T = date(2025, 1, 1), date(2025, 3, 31)


def build_dataset():
    centre_a = CentreFactory(name="Center A", company=CompanyFactory(name="X", branche="detail"))
    centre_b = CentreFactory(
        name="Center B", company=CompanyFactory(name="Y", branche="offentlig", sector="public")
    )
    k1 = ContractFactory(
        centre=centre_a,
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        places=4,
        payment_model="per_place_month",
        payment_amount=Decimal(1500),
        goal_ordinary_job_pct=20,
        goal_education_pct=10,
    )
    Amendment.objects.create(
        contract=k1,
        version=2,
        valid_from=date(2025, 3, 1),
        reason="Flere pladser",
        places=6,
        payment_model="per_place_month",
        payment_amount=Decimal(1500),
        status="signed",
        chief_signed_at=datetime(2025, 2, 20, tzinfo=UTC),
        director_signed_at=datetime(2025, 2, 21, tzinfo=UTC),
    )
    from contracts.services import contract_places_ensure

    contract_places_ensure(contract=k1, places=6)
    k2 = ContractFactory(
        centre=centre_b,
        start=date(2025, 2, 15),
        end=date(2025, 6, 30),
        places=2,
        payment_model="training_only",
        payment_amount=None,
    )
    p1 = CandidateFactory(birth_date=date(1990, 6, 1))
    p2 = CandidateFactory(birth_date=date(2003, 5, 1))
    p3 = CandidateFactory(birth_date=date(2002, 1, 1))
    p4 = CandidateFactory(birth_date=date(1980, 9, 9))
    p5 = CandidateFactory(birth_date=date(1985, 2, 2))
    place = {n: k1.place_set.get(number=n) for n in range(1, 7)}
    CourseFactory(
        candidate=p1,
        contract=k1,
        place=place[1],
        start=date(2025, 1, 6),
        end=date(2025, 2, 14),
        outcome="ordinaert_job",
        self_supporting_4w=True,
    )
    CourseFactory(
        candidate=p2,
        contract=k1,
        place=place[2],
        start=date(2025, 1, 13),
        planned_end=date(2025, 4, 30),
        end=date(2025, 4, 30),
        outcome="ukendt",
    )
    CourseFactory(
        candidate=p3,
        contract=k1,
        place=place[1],
        start=date(2025, 2, 17),
        end=date(2025, 3, 20),
        outcome="uddannelse",
    )
    CourseFactory(
        candidate=p4, contract=k2, place=k2.place_set.get(number=1), start=date(2025, 2, 15)
    )
    CourseFactory(
        candidate=p1,
        contract=k1,
        place=place[3],
        start=date(2025, 3, 3),
        end=date(2025, 3, 7),
        outcome="langtidssygemelding",
    )
    CourseFactory(candidate=p5, contract=k1, place=place[4], start=date(2025, 4, 7))
    waiting = CandidateFactory()
    Referral.objects.create(candidate=waiting, referred_on=date(2025, 3, 1), reason="Ledig")
    placed = CandidateFactory()
    Referral.objects.create(
        candidate=placed,
        referred_on=date(2025, 2, 1),
        reason="Ledig",
        status="tilbagekaldt",
        closed_on=date(2025, 3, 15),
    )
    JobcenterCost.objects.create(year=2025, jobkonsulent_salaries=365000, mentor_courses=0)
    settings = JobcenterSettings.current()
    settings.target_group_size = 10
    settings.save()
    return centre_a, centre_b


@pytest.fixture
def dataset(tenant_a):  # noqa: ARG001 - a fixture asked for its effect
    with schema_context("alpha"):
        yield build_dataset()


@pytest.mark.usefixtures("dataset")
def test_overall_figures_match_the_hand_computation():
    figures = kpi_figures_compute(period_from=F, period_to=T)
    o = figures["overall"]
    assert o["place_days_available"] == 512
    assert o["place_days_occupied"] == 200
    assert o["occupancy_pct"] == 39.1  # 200 / 512
    assert o["courses_started"] == 5
    assert o["courses_ended"] == 3
    assert o["candidates"] == 4  # P1 twice
    assert o["candidates_active_at_end"] == 2  # P2 and P4 on 31 March
    assert o["flow_per_place_year"] == 3.56  # 5 x 365 / 512
    assert o["avg_duration_weeks"] == 3.7  # (40 + 32 + 5) / 3 / 7
    assert o["extended_pct"] == 0.0
    assert o["outcomes"]["ordinaert_job"] == {"count": 1, "pct": 33.3}
    assert o["outcomes"]["uddannelse"] == {"count": 1, "pct": 33.3}
    assert o["outcomes"]["ukendt"] == {"count": 0, "pct": 0.0}
    assert o["outcomes_under_25"]["uddannelse"] == {"count": 1, "pct": 100.0}  # P3 only
    assert o["outcomes_25_plus"]["ordinaert_job"] == {"count": 1, "pct": 50.0}
    assert o["direct_success_pct"] == 66.7  # 2 of 3
    assert o["self_supporting_4w_pct"] == 100.0  # the one recorded
    assert o["self_supporting_13w_pct"] is None
    # 21,000 kr to K1 (Jan 4 x 1,500 + Feb 4 x 1,500 + Mar 6 x 1,500) + 365,000 x 90/365
    assert o["cost_total"] == 111000.0
    assert o["cost_per_place_week"] == 1517.58  # 111,000 / (512 / 7)
    assert o["savings_estimate"] == 65000.0  # 2 people x 32,500
    assert figures["waiting_list"] == {"count": 1, "median_days_waited": 30.0}


def test_figures_per_centre_branche_and_month(dataset):
    centre_a, centre_b = dataset
    figures = kpi_figures_compute(period_from=F, period_to=T)
    by_centre = {r["name"]: r for r in figures["by_centre"]}
    assert by_centre["Center A"]["place_days_available"] == 422
    assert by_centre["Center A"]["place_days_occupied"] == 155
    assert by_centre["Center A"]["occupancy_pct"] == 36.7
    assert by_centre["Center B"]["occupancy_pct"] == 50.0  # 45 / 90
    assert by_centre["Center B"]["cost_total"] == pytest.approx(90000 * 90 / 512, abs=0.01)
    assert {r["branche"]: r["place_days_available"] for r in figures["by_branche"]} == {
        "detail": 422,
        "offentlig": 90,
    }
    months = [
        (
            m["month"],
            m["place_days_available"],
            m["place_days_occupied"],
            m["courses_started"],
            m["courses_ended"],
            m["candidates_active_at_end"],
        )
        for m in figures["by_month"]
    ]
    assert months == [
        ("2025-01", 124, 45, 2, 0, 2),
        ("2025-02", 140, 68, 2, 1, 3),
        ("2025-03", 248, 87, 1, 2, 2),
    ]
    assert by_centre["Center B"]["occupancy_by_month"] == [None, 50.0, 50.0]
    goal = figures["goals"][0]
    assert (goal["ordinary_job_goal_pct"], goal["ordinary_job_pct"]) == (20, 33.3)
    campaign = figures["campaign"]
    assert [m["pct_of_target_group"] for m in campaign["months"]] == [20.0, 30.0, 20.0]
    assert all(m["goal_met"] for m in campaign["months"])
    assert campaign["self_supporting_goal_met"] is True


def test_companies_of_one_and_of_two_centres(dataset):
    centre_a, centre_b = dataset
    second = CentreFactory(name="Center A2", company=centre_a.company)
    k = ContractFactory(centre=second, start=date(2025, 1, 1), end=date(2025, 12, 31), places=1)
    CourseFactory(
        candidate=CandidateFactory(),
        contract=k,
        place=k.place_set.get(number=1),
        start=date(2025, 3, 3),
        end=date(2025, 3, 12),
        outcome="uddannelse",
    )
    figures = kpi_figures_compute(period_from=F, period_to=T)
    by_centre = {r["name"]: r for r in figures["by_centre"]}
    by_company = {r["name"]: r for r in figures["by_company"]}
    assert [r["name"] for r in figures["by_company"]] == ["X", "Y"]
    # X runs Center A and Center A2: its own sums; Y runs Center B only: B's figures
    x = by_company["X"]
    assert x["place_days_available"] == 422 + 90  # one place, 1 January - 31 March
    assert x["place_days_occupied"] == 155 + 10
    assert x["courses_ended"] == by_centre["Center A"]["courses_ended"] + 1
    assert x["candidates"] == by_centre["Center A"]["candidates"] + 1
    assert x["outcomes"]["uddannelse"]["count"] == 2
    assert {k: v for k, v in by_company["Y"].items() if k not in ("company_id", "name")} == {
        k: v
        for k, v in by_centre["Center B"].items()
        if k not in ("centre_id", "name", "occupancy_by_month")
    }
    assert by_company["Y"]["company_id"] == centre_b.company_id


def test_figures_for_some_centres_only(dataset):
    centre_a, centre_b = dataset
    figures = kpi_figures_compute(period_from=F, period_to=T, centre_ids=[centre_b.pk])
    assert figures["overall"]["place_days_available"] == 90
    assert figures["overall"]["courses_started"] == 1


@pytest.mark.usefixtures("tenant_a")
def test_a_period_with_nothing_gives_zeros_not_errors():
    with schema_context("alpha"):
        figures = kpi_figures_compute(period_from=date(2030, 1, 1), period_to=date(2030, 1, 31))
    assert figures["overall"]["place_days_available"] == 0
    assert figures["overall"]["occupancy_pct"] is None
    assert figures["by_centre"] == []


@pytest.mark.usefixtures("dataset")
def test_job_stores_the_figures_and_a_rerun_replaces_them(django_capture_on_commit_callbacks):
    from reports.models import JobRun
    from reports.services import kpi_job_execute, kpi_job_queue

    with django_capture_on_commit_callbacks(execute=False):
        run = kpi_job_queue(period_from=F, period_to=T, acting_user=None)
        again = kpi_job_queue(period_from=F, period_to=T, acting_user=None)
    assert again.pk == run.pk  # a queued period is not queued twice
    kpi_job_execute(job_run_id=run.pk)
    run.refresh_from_db()
    assert run.state == JobRun.State.DONE
    assert run.started_at <= run.finished_at
    stored = KpiResult.objects.get(period_from=F, period_to=T)
    assert figures_expand(stored.figures)["overall"]["occupancy_pct"] == 39.1
    # The same job delivered twice (a worker died before acknowledging): still one result.
    kpi_job_execute(job_run_id=run.pk)
    assert KpiResult.objects.filter(period_from=F, period_to=T).count() == 1


@pytest.mark.usefixtures("tenant_a")
def test_a_failing_job_is_marked_failed_with_the_reason_and_stores_nothing():
    from reports.models import JobRun
    from reports.services import kpi_job_execute

    with schema_context("alpha"):
        run = JobRun.objects.create(
            kind=JobRun.Kind.STATISTICS, parameters={"from": "2025-03-31", "to": "2025-01-01"}
        )
        with pytest.raises(ValueError):
            kpi_job_execute(job_run_id=run.pk)
        run.refresh_from_db()
        assert run.state == JobRun.State.FAILED
        assert "Perioden slutter før den starter" in run.message
        assert not KpiResult.objects.exists()
        assert kpi_job_execute(job_run_id=run.pk + 1000) is None  # no such run


@pytest.mark.usefixtures("dataset")
def test_savings_and_campaign_use_the_jobcentres_settings():
    JobcenterSettings.objects.update(yearly_benefit_saving=40000, target_group_size=20)
    figures = kpi_figures_compute(period_from=F, period_to=T)
    assert figures["overall"]["savings_estimate"] == 80000.0  # 2 people x 40,000
    assert figures["campaign"]["target_group_size"] == 20
    # A jobcentre that never saved its settings gets the default saving and no target.
    JobcenterSettings.objects.all().delete()
    figures = kpi_figures_compute(period_from=F, period_to=T)
    assert figures["overall"]["savings_estimate"] == 65000.0  # 2 x 32,500
    assert figures["campaign"]["target_group_size"] is None
    assert figures["campaign"]["months"][0]["pct_of_target_group"] is None


@pytest.mark.usefixtures("dataset")
def test_kpi_report_command_prints_the_figures_as_json(capsys):
    call_command(
        "kpi_report",
        "--schema",
        "alpha",
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-31",
        "--format",
        "json",
    )
    data = json.loads(capsys.readouterr().out)
    assert data["occupancy_pct"] == 39.1
    assert data["place_days_available"] == 512
    assert data["outcomes"]["uddannelse"] == {"count": 1, "pct": 33.3}
    assert data["cost_per_place_week"] == 1517.58
    assert {c["name"] for c in data["by_centre"]} == {"Center A", "Center B"}


@pytest.mark.usefixtures("tenant_a")
def test_kpi_report_refuses_bad_periods_in_danish():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Perioden slutter før den starter"):
        call_command(
            "kpi_report", "--schema", "alpha", "--from", "2025-03-01", "--to", "2025-01-01"
        )
    with pytest.raises(CommandError, match="Ugyldig periode"):
        call_command(
            "kpi_report", "--schema", "alpha", "--from", "2025-02-30", "--to", "2025-03-01"
        )
    with pytest.raises(CommandError, match="findes intet jobcenter"):
        call_command("kpi_report", "--schema", "nope", "--from", "2025-01-01", "--to", "2025-03-01")
