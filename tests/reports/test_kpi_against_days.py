"""The key-figure statement against a day-by-day count in Python, on generated courses.

The statement counts place-days per month from each course's first and last day and
people started from the few who started twice; this checks both against the plain
definitions - walk every day of the period - on seeded random data: courses begun
before the period, running past it or still running, people with several courses in
one period (in the same centre and in other centres), contracts ending mid-month, and
periods starting and ending mid-month.
"""

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django_tenants.utils import schema_context

from billing.rules import month_last_day
from reports.services import kpi_figures_compute
from tests.factories import (
    CandidateFactory,
    CentreFactory,
    CompanyFactory,
    ContractFactory,
    CourseFactory,
)

PERIODS = [
    (date(2025, 1, 1), date(2025, 12, 31)),
    (date(2025, 2, 10), date(2025, 6, 17)),
    (date(2025, 3, 31), date(2025, 4, 1)),
    (date(2024, 11, 15), date(2025, 2, 28)),
]


def build(rng: random.Random):
    # two centres of one company: a person may start in both
    shop = CompanyFactory(name="Firma 0", branche="detail")
    town = CompanyFactory(name="Firma 1", branche="offentlig")
    centres = [
        CentreFactory(name=f"Center {i}", company=company)
        for i, company in enumerate([shop, shop, town])
    ]
    contracts = [
        ContractFactory(centre=centre, start=start, end=end, places=places)
        for centre, start, end, places in [
            (centres[0], date(2024, 10, 1), date(2025, 9, 14), 3),
            (centres[1], date(2025, 1, 20), date(2025, 12, 31), 2),
            (centres[2], date(2024, 12, 1), date(2025, 12, 31), 2),
        ]
    ]
    # each place: courses one after another, some left running at the end
    spans = []
    for contract in contracts:
        for place in contract.place_set.all():
            day = contract.start + timedelta(days=rng.randint(0, 20))
            while day <= contract.end:
                length = rng.randint(1, 120)
                end = day + timedelta(days=length - 1)
                if end > contract.end or rng.random() < 0.05:
                    spans.append((day, None, contract, place))
                    break
                spans.append((day, end, contract, place))
                day = end + timedelta(days=rng.randint(1, 15))
    # people: often someone new, sometimes someone whose last course has ended
    free_from = {}
    courses = []
    for start, end, contract, place in sorted(spans, key=lambda s: (s[0], s[2].pk, s[3].pk)):
        candidates = [c for c, free in free_from.items() if free <= start]
        if candidates and rng.random() < 0.4:
            person = rng.choice(sorted(candidates, key=lambda c: c.pk))
        else:
            person = CandidateFactory(birth_date=date(1970 + rng.randint(0, 35), 1, 1))
        free_from[person] = date.max if end is None else end + timedelta(days=1)
        courses.append(
            CourseFactory(
                candidate=person,
                contract=contract,
                place=place,
                start=start,
                planned_end=end or min(start + timedelta(days=90), contract.end),
                end=end,
                outcome="ordinaert_job" if end else None,
            )
        )
    return centres, contracts, courses


def months_of(f: date, t: date):
    m = f.replace(day=1)
    while m <= t:
        yield max(m, f), min(month_last_day(m), t)
        m = month_last_day(m) + timedelta(days=1)


def expected(centres, contracts, courses, f: date, t: date):
    """The figures by walking every day of the period."""
    occupied = defaultdict(int)  # (centre id, month start) -> place-days
    available = defaultdict(int)
    by_month = {}
    for m_from, m_to in months_of(f, t):
        started = ended = 0
        day = m_from
        while day <= m_to:
            for k in contracts:
                if k.start <= day <= k.end:
                    available[k.centre_id, m_from] += k.places
            for c in courses:
                last = c.end or date.max
                if max(c.start, c.contract.start) <= day <= min(last, c.contract.end):
                    occupied[c.contract.centre_id, m_from] += 1
            day += timedelta(days=1)
        started = sum(1 for c in courses if m_from <= c.start <= m_to)
        ended = sum(1 for c in courses if c.end and m_from <= c.end <= m_to)
        active = sum(1 for c in courses if c.start <= m_to and (c.end is None or c.end >= m_to))
        by_month[f"{m_from:%Y-%m}"] = (
            sum(v for (_, m), v in available.items() if m == m_from),
            sum(v for (_, m), v in occupied.items() if m == m_from),
            started,
            ended,
            active,
        )
    started = [c for c in courses if f <= c.start <= t]
    people = {
        ("centre", centre.name): len(
            {c.candidate_id for c in started if c.contract.centre_id == centre.pk}
        )
        for centre in centres
    }
    for company in {centre.company for centre in centres}:
        people["company", company.name] = len(
            {c.candidate_id for c in started if c.contract.centre.company_id == company.pk}
        )
    people["all", ""] = len({c.candidate_id for c in started})
    series = {
        centre.name: [
            (occupied[centre.pk, m_from], available[centre.pk, m_from])
            for m_from, _ in months_of(f, t)
        ]
        for centre in centres
    }
    return by_month, people, series


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.usefixtures("tenant_a")
def test_month_series_and_people_equal_a_day_by_day_count(seed):
    with schema_context("alpha"):
        centres, contracts, courses = build(random.Random(seed))
        assert any(
            sum(1 for d in courses if d.candidate_id == c.candidate_id) > 1 for c in courses
        ), "the data should hold people with more than one course"
        for f, t in PERIODS:
            figures = kpi_figures_compute(period_from=f, period_to=t)
            by_month, people, series = expected(centres, contracts, courses, f, t)
            got_months = {
                m["month"]: (
                    m["place_days_available"],
                    m["place_days_occupied"],
                    m["courses_started"],
                    m["courses_ended"],
                    m["candidates_active_at_end"],
                )
                for m in figures["by_month"]
            }
            assert got_months == by_month, (f, t)
            got_people = {("centre", r["name"]): r["candidates"] for r in figures["by_centre"]}
            got_people.update(
                {("company", r["name"]): r["candidates"] for r in figures["by_company"]}
            )
            got_people["all", ""] = figures["overall"]["candidates"]
            assert {k: v for k, v in people.items() if v} == {
                k: v for k, v in got_people.items() if v
            }, (f, t)
            for row in figures["by_centre"]:
                occupancy = [round(o * 100 / a, 1) if a else None for o, a in series[row["name"]]]
                assert row["occupancy_by_month"] == occupancy, (f, t, row["name"])
