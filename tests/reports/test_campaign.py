"""The campaign's arithmetic (issue 30) with Middelfart's numbers: 22 persons in company
activation in June 2009, 84 in January 2011, 102 in March 2011, target 44.

The contract has 110 places from 2009 to 2011. 22 courses run 1 June - 15 July 2009 (in a
course on 30 June), 84 run 3 - 31 January 2011 (ending on the month's last day: still in it
that day), 102 start 1 March 2011 and run on, and one more person is in a course 1 - 10 March
2011 only: in a course in March, but not on its last day.
"""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from reports import rules
from reports.models import JobcenterSettings
from reports.services import kpi_figures_compute
from tests.factories import CandidateFactory, ContractFactory, CourseFactory


def build_middelfart():
    contract = ContractFactory(start=date(2009, 1, 1), end=date(2011, 12, 31), places=110)
    places = list(contract.place_set.order_by("number"))
    people = [CandidateFactory() for _ in range(103)]
    for i in range(22):
        CourseFactory(
            candidate=people[i],
            contract=contract,
            place=places[i],
            start=date(2009, 6, 1),
            end=date(2009, 7, 15),
            outcome="ukendt",
        )
    for i in range(84):
        CourseFactory(
            candidate=people[i],
            contract=contract,
            place=places[i],
            start=date(2011, 1, 3),
            end=date(2011, 1, 31),
            outcome="ukendt",
        )
    for i in range(102):
        CourseFactory(
            candidate=people[i], contract=contract, place=places[i], start=date(2011, 3, 1)
        )
    CourseFactory(
        candidate=people[102],
        contract=contract,
        place=places[102],
        start=date(2011, 3, 1),
        end=date(2011, 3, 10),
        outcome="ukendt",
    )
    settings = JobcenterSettings.current()
    settings.goal1_target_persons = 44
    settings.target_group_size = 500
    settings.save()


@pytest.fixture
def middelfart(tenant_a):  # noqa: ARG001 - a fixture asked for its effect
    with schema_context("alpha"):
        build_middelfart()


def _report(*args) -> dict:
    out = StringIO()
    call_command(
        "kpi_report",
        "--schema",
        "alpha",
        "--from",
        "2011-01-01",
        "--to",
        "2011-03-31",
        *args,
        stdout=out,
    )
    return json.loads(out.getvalue())


@pytest.mark.usefixtures("middelfart")
def test_kpi_report_with_baseline_gives_middelfarts_change_and_goal1_attainment():
    campaign = _report("--baseline", "2009-06")["campaign"]
    assert campaign["baseline"] == {"month": "2009-06", "persons_in_activation": 22}
    assert [m["persons_in_activation"] for m in campaign["months"]] == [84, 0, 102]
    assert campaign["change_from_baseline_pct"] == 363.6  # the campaign reports +364 %
    assert campaign["goal1_target_persons"] == 44
    assert campaign["goal1_attainment_pct"] == 231.8  # 102 / 44
    # without --baseline the object is what it was
    plain = _report()["campaign"]
    assert "baseline" not in plain and "goal1_attainment_pct" not in plain


@pytest.mark.usefixtures("middelfart")
def test_persons_in_a_course_in_the_month_count_any_day_beside_the_last_day():
    with schema_context("alpha"):
        figures = kpi_figures_compute(period_from=date(2011, 1, 1), period_to=date(2011, 3, 31))
    months = figures["campaign"]["months"]
    assert [m["persons_in_activation"] for m in months] == [84, 0, 102]  # on the last day
    assert [m["persons_in_course_in_month"] for m in months] == [84, 0, 103]  # on any day
    assert figures["persons"] == 103


def test_a_bad_baseline_month_is_refused_in_danish(tenant_a):  # noqa: ARG001
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM"):
        _report("--baseline", "juni 2009")
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM"):
        _report("--baseline", "2009-13")


def test_the_campaign_rules():
    assert rules.change_from_baseline_pct(baseline=22, current=102) == 363.6
    assert rules.change_from_baseline_pct(baseline=0, current=5) is None
    assert rules.goal1_attainment_pct(persons=102, target=44) == 231.8
    assert rules.goal1_attainment_pct(persons=102, target=None) is None
    assert rules.suppressed(4) and not rules.suppressed(5)
    assert rules.split_suppressed([0, 12, 4]) and not rules.split_suppressed([0, 12, 5])
    assert rules.month_parse("2009-06") == date(2009, 6, 1)
    assert rules.month_last_day(date(2011, 2, 1)) == date(2011, 2, 28)


def test_the_chef_sets_goal1_target_and_baseline_month_and_a_bad_month_changes_nothing(
    login, tenant_a
):
    chef = login(tenant_a, "jobcenterchef")
    form = {
        "target_group_size": "500",
        "goal1_target_persons": "44",
        "baseline_month": "2009-06",
        "yearly_benefit_saving": "32500",
        "form-TOTAL_FORMS": "0",
        "form-INITIAL_FORMS": "0",
    }
    assert chef.post("/statistik/indstillinger/", form).status_code == 302
    with schema_context("alpha"):
        settings = JobcenterSettings.current()
        assert (settings.goal1_target_persons, settings.campaign_baseline_month) == (
            44,
            date(2009, 6, 1),
        )
    bad = chef.post("/statistik/indstillinger/", form | {"baseline_month": "juni 2009"})
    assert bad.status_code == 200 and "ÅÅÅÅ-MM" in bad.content.decode()
    with schema_context("alpha"):
        assert JobcenterSettings.current().campaign_baseline_month == date(2009, 6, 1)
    assert 'value="2009-06"' in chef.get("/statistik/indstillinger/").content.decode()


def test_the_nightly_job_keeps_the_baseline_month_ready_beside_the_standard_periods(
    tenant_a,  # noqa: ARG001 - a fixture asked for its effect
    frozen_today,  # noqa: ARG001
):
    from reports.models import JobRun
    from reports.tasks import kpi_nightly

    with schema_context("alpha"):
        settings = JobcenterSettings.current()
        settings.campaign_baseline_month = date(2009, 6, 1)
        settings.save()
        assert kpi_nightly() == 4  # three standard periods and the baseline month
        assert JobRun.objects.filter(
            kind=JobRun.Kind.STATISTICS, parameters={"from": "2009-06-01", "to": "2009-06-30"}
        ).exists()
