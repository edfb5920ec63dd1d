"""Compute a jobcentre's key figures for a period [period_from, period_to] (days inclusive).

The result is a plain dictionary (stored as JSON and printed by `kpi_report`): figures
for the whole jobcentre, per centre, company, branche and month, the contracts' goals
beside what happened, the campaign goals, and the waiting list. PostgreSQL computes all
of it in one statement (`statement.py`); this module passes the parameters.
"""

import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction

from billing.selectors import BILLABLE_STATUSES
from billing.totals import mentor_support_spending
from candidates.models import DIRECT_SUCCESS_OUTCOMES, Outcome
from centers.models import Branche

from ..models import JobcenterSettings, JobRun
from ..rules import (
    CAMPAIGN_ACTIVATION_GOAL_PCT,
    CAMPAIGN_SELF_SUPPORTING_GOAL_PCT,
    change_from_baseline_pct,
    goal1_attainment_pct,
    pct,
)
from .statement import FORMAT, KPI_SQL, KPI_STORE_SQL, ROW_FIELDS, RULE_PARAMS


def _params(*, period_from: date, period_to: date, centre_ids) -> dict:
    if period_to < period_from:
        raise ValueError("Perioden slutter før den starter.")
    return {
        "f": period_from,
        "t": period_to,
        "all_centres": centre_ids is None,
        "centres": list(centre_ids or []),
        # the billing totals' parameters (billing/totals.py)
        "start": period_from,
        "end": period_to,
        "statuses": [str(s) for s in BILLABLE_STATUSES],
        "all": True,
        "ids": [],
        "direct": [str(c) for c in DIRECT_SUCCESS_OUTCOMES],
        "saving_default": JobcenterSettings._meta.get_field("yearly_benefit_saving").default,
        **RULE_PARAMS,
    }


def _no_jit(cursor) -> None:
    # The statement runs in tens of milliseconds; PostgreSQL's JIT would spend about 50 ms
    # compiling it first (its cost estimate passes jit_above_cost).
    cursor.execute("SET LOCAL jit = off")


def _round(value, places: str) -> float:
    return float(Decimal(str(value)).quantize(Decimal(places), ROUND_HALF_UP))


def _group_figures(row: list, saving: Decimal) -> dict:
    """The documented figures of one group from its stored counts (see ROW_FIELDS)."""
    n = dict(zip(ROW_FIELDS, row[: len(ROW_FIELDS)], strict=True))
    o_all, o_u25 = row[len(ROW_FIELDS)], row[len(ROW_FIELDS) + 1]
    ended, ended_u25, avail = n["ended"], n["ended_u25"], n["avail"]
    codes = Outcome.values
    cost = Decimal(str(n["cost"]))
    return {
        "place_days_available": avail,
        "place_days_occupied": n["occupied"],
        "occupancy_pct": pct(n["occupied"], avail),
        "courses_started": n["started"],
        "courses_ended": ended,
        "candidates": n["people"],
        "candidates_active_at_end": n["active"],
        # started / (available / days) / (days / 365)
        "flow_per_place_year": _round(n["started"] * 365 / avail, "0.01") if avail else None,
        "avg_duration_weeks": _round(n["ended_days"] / ended / 7, "0.1") if ended else None,
        "extended_pct": pct(n["extended"], ended),
        "outcomes": {
            c: {"count": o_all[i], "pct": pct(o_all[i], ended)} for i, c in enumerate(codes)
        },
        "outcomes_under_25": {
            c: {"count": o_u25[i], "pct": pct(o_u25[i], ended_u25)} for i, c in enumerate(codes)
        },
        "outcomes_25_plus": {
            c: {"count": o_all[i] - o_u25[i], "pct": pct(o_all[i] - o_u25[i], ended - ended_u25)}
            for i, c in enumerate(codes)
        },
        "direct_success_pct": pct(n["direct"], ended),
        "self_supporting_4w_pct": pct(n["ss4"], n["f4"]),
        "self_supporting_13w_pct": pct(n["ss13"], n["f13"]),
        "self_supporting_26w_pct": pct(n["ss26"], n["f26"]),
        # the persons each self-supporting share is built from (followed up at N weeks)
        "followed_up_4w": n["f4"],
        "followed_up_13w": n["f13"],
        "followed_up_26w": n["f26"],
        "cost_total": float(cost),
        "cost_per_place_week": _round(cost * 7 / avail, "0.01") if avail else None,
        "savings_estimate": float(n["direct"] * saving),
    }


def figures_current(raw: dict) -> bool:
    """Whether stored counts are in the layout this code reads (else: compute again)."""
    return raw.get("format") == FORMAT


def figures_expand(raw: dict, *, groups: bool = True, goals: bool = True) -> dict:
    """The documented key figures (the dashboard's, kpi_report's) from the stored counts.

    The statement stores counts only - what PostgreSQL aggregated; the percentages and
    amounts per place-week are arithmetic on them, done here when the figures are read.
    With groups=False the per-centre, per-company and per-branche figures (`by_centre`,
    `by_company`, `by_branche`) are left out: the dashboard and the start page show none of
    them, and expanding 150 centres and their companies was ~40 % of the dashboard's CPU
    (issue 24, docs/benchmarks.md). With goals=False the contracts' goals (`goals`, one row
    per contract of the period) are left out too: the start page shows none of them.
    """
    saving = Decimal(str(raw["saving"]))
    period_from, period_to = (date.fromisoformat(d) for d in raw["period"])
    result = {
        "period": {
            "from": period_from.isoformat(),
            "to": period_to.isoformat(),
            "days": (period_to - period_from).days + 1,
        },
        # distinct persons with a course in the period: what the place figures are built from
        "persons": raw["persons"],
        "overall": _group_figures(raw["overall"], saving),
        "by_month": [
            {
                "month": m_from[:7],
                "from": m_from,
                "to": m_to,
                "place_days_available": avail,
                "place_days_occupied": occupied,
                "occupancy_pct": pct(occupied, avail),
                "courses_started": started,
                "courses_ended": ended,
                "candidates_active_at_end": active,
                "persons_in_course": persons,
            }
            for m_from, m_to, avail, occupied, started, ended, active, persons in raw["months"]
        ],
        "waiting_list": {
            "count": raw["waiting"][0],
            "median_days_waited": raw["waiting"][1],
        },
    }
    if goals:
        result["goals"] = [
            {
                "contract_id": k_id,
                "centre": centre,
                "contract_period": f"{date.fromisoformat(start):%d.%m.%Y}-"
                f"{date.fromisoformat(end):%d.%m.%Y}",
                "courses_ended": ended,
                "ordinary_job_goal_pct": goal_job,
                "ordinary_job_pct": pct(job, ended),
                "education_goal_pct": goal_edu,
                "education_pct": pct(edu, ended),
            }
            for k_id, centre, start, end, goal_job, goal_edu, ended, job, edu in raw["goals"]
        ]
    if groups:
        result |= _groups(raw, saving)
    result["campaign"] = _campaign(result, raw["target"])
    # the jobcentre's goal 1 target in persons (JobcenterSettings), as computed
    result["goal1_target_persons"] = raw["goal1_target"]
    result["baseline_month"] = raw["baseline_month"]
    return result


def _groups(raw: dict, saving: Decimal) -> dict:
    """The figures per centre, company and branche."""
    branche_names = dict(Branche.choices)
    return {
        "by_centre": [
            {
                "centre_id": centre_id,
                "name": name,
                "occupancy_by_month": [pct(occupied, avail) for occupied, avail in series or []],
            }
            | _group_figures(row, saving)
            for centre_id, name, row, series in raw["centres"]
        ],
        "by_company": _companies(raw, saving),
        "by_branche": sorted(
            (
                {"branche": code, "name": str(branche_names.get(code, code))}
                | _group_figures(row, saving)
                for code, row in raw["branches"]
            ),
            key=lambda r: r["name"],
        ),
    }


def campaign_with_baseline(
    figures: dict, *, baseline_month: str, baseline_persons: int | None
) -> dict:
    """The campaign object extended with the baseline month and goal 1 (issue 30).

    Persons in activation keep their one definition (in a course on the month's last day):
    the period's last month against the baseline month's (`baseline_persons`, from that
    month's figures), and against the jobcentre's target. Percentages 1 decimal.
    """
    campaign = dict(figures["campaign"])
    last = campaign["months"][-1]["persons_in_activation"] if campaign["months"] else None
    target = figures["goal1_target_persons"]
    campaign["baseline"] = {"month": baseline_month, "persons_in_activation": baseline_persons}
    campaign["change_from_baseline_pct"] = change_from_baseline_pct(
        baseline=baseline_persons, current=last
    )
    campaign["goal1_target_persons"] = target
    campaign["goal1_attainment_pct"] = goal1_attainment_pct(persons=last, target=target)
    return campaign


def _companies(raw: dict, saving: Decimal) -> list[dict]:
    """Companies of several centres are stored with their own counts; a company with one
    centre in the period is stored with that centre's id, and has its counts."""
    centre_rows = {centre_id: row for centre_id, _name, row, _series in raw["centres"]}
    return [
        {"company_id": company_id, "name": name}
        | _group_figures(row if row is not None else centre_rows[centre_id], saving)
        for company_id, name, row, centre_id in raw["companies"]
    ]


def _campaign(result: dict, size: int | None) -> dict:
    months = []
    for m in result["by_month"]:
        share = pct(m["candidates_active_at_end"], size)
        months.append(
            {
                "month": m["month"],
                # the one definition: in a course on the month's last day
                "persons_in_activation": m["candidates_active_at_end"],
                # the campaign's count: distinct persons in a course on any day of the month
                "persons_in_course_in_month": m["persons_in_course"],
                "pct_of_target_group": share,
                "goal_met": share >= CAMPAIGN_ACTIVATION_GOAL_PCT if share is not None else None,
            }
        )
    self_supporting = result["overall"]["self_supporting_4w_pct"]
    return {
        "target_group_size": size,
        "activation_goal_pct": CAMPAIGN_ACTIVATION_GOAL_PCT,
        "months": months,
        "self_supporting_4w_goal_pct": CAMPAIGN_SELF_SUPPORTING_GOAL_PCT,
        "self_supporting_4w_pct": self_supporting,
        "self_supporting_goal_met": (
            self_supporting >= CAMPAIGN_SELF_SUPPORTING_GOAL_PCT
            if self_supporting is not None
            else None
        ),
    }


def kpi_compute(*, period_from: date, period_to: date, centre_ids=None) -> dict:
    """All key figures for the period, optionally for some centres only.

    The jobcentre's settings (JobcenterSettings) give the yearly benefit saving and the
    target group size. Costs are the contracts' payments by the billing rules plus the
    jobcentre's own yearly costs pro rata by day, shared between the centres by their
    place-days.
    Raises ValueError when the period ends before it starts.
    """
    params = _params(period_from=period_from, period_to=period_to, centre_ids=centre_ids)
    with transaction.atomic(), connection.cursor() as cursor:
        _no_jit(cursor)
        cursor.execute(KPI_SQL, params)
        raw = cursor.fetchone()[0]
    return figures_expand(raw if isinstance(raw, dict) else json.loads(raw))


def kpi_store(*, period_from: date, period_to: date, job_run_id: int | None) -> int:
    """Compute the whole jobcentre's figures, store their counts for the period (replacing
    any stored before) and mark the job run done, in one statement; returns the KpiResult
    id. Read the figures back through `figures_expand`. The ØVO box's mentor support of
    period_to's year up to period_to is stored beside them, from the same snapshot."""
    params = _params(period_from=period_from, period_to=period_to, centre_ids=None)
    params["job_run"] = job_run_id
    params["done"] = str(JobRun.State.DONE)
    with transaction.atomic(), connection.cursor() as cursor:
        _no_jit(cursor)
        params["mentor_support_ytd"] = mentor_support_spending(
            start=date(period_to.year, 1, 1), end=period_to
        )
        cursor.execute(KPI_STORE_SQL, params)
        return cursor.fetchone()[0]
