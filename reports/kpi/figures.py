"""Compute a jobcentre's key figures for a period [period_from, period_to] (days inclusive).

The result is a plain dictionary (stored as JSON and printed by `kpi_report`): figures
for the whole jobcentre, per centre, company, branche and month, the contracts' goals
beside what happened, the campaign goals, and the waiting list. PostgreSQL computes all
of it in one statement (`statement.py`); this module passes the parameters.
"""

import json
from datetime import date

from django.db import connection, transaction

from billing.selectors import BILLABLE_STATUSES
from candidates.models import DIRECT_SUCCESS_OUTCOMES, Outcome
from centers.models import Branche

from .statement import KPI_SQL, KPI_STORE_SQL

CAMPAIGN_ACTIVATION_GOAL_PCT = 16  # of the target group in company activation each month
CAMPAIGN_SELF_SUPPORTING_GOAL_PCT = 20  # self-supporting 4 weeks after the course


def _params(*, period_from: date, period_to: date, settings, centre_ids) -> dict:
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
        "codes": list(Outcome.values),
        "direct": [str(c) for c in DIRECT_SUCCESS_OUTCOMES],
        "branche_names": json.dumps({code: str(label) for code, label in Branche.choices}),
        "saving": settings.yearly_benefit_saving,
        "target": settings.target_group_size,
        "activation_goal": CAMPAIGN_ACTIVATION_GOAL_PCT,
        "self_supporting_goal": CAMPAIGN_SELF_SUPPORTING_GOAL_PCT,
    }


def _no_jit(cursor) -> None:
    # The statement runs in tens of milliseconds; PostgreSQL's JIT would spend about 50 ms
    # compiling it first (its cost estimate passes jit_above_cost).
    cursor.execute("SET LOCAL jit = off")


def kpi_compute(*, period_from: date, period_to: date, settings, centre_ids=None) -> dict:
    """All key figures for the period, optionally for some centres only.

    `settings` (JobcenterSettings) gives the yearly benefit saving and the target group
    size. Costs are the contracts' payments by the billing rules plus the jobcentre's own
    yearly costs pro rata by day, shared between the centres by their place-days.
    Raises ValueError when the period ends before it starts.
    """
    params = _params(
        period_from=period_from, period_to=period_to, settings=settings, centre_ids=centre_ids
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _no_jit(cursor)
        cursor.execute(KPI_SQL, params)
        figures = cursor.fetchone()[0]
    return figures if isinstance(figures, dict) else json.loads(figures)


def kpi_store(*, period_from: date, period_to: date, settings, job_run_id: int | None) -> int:
    """Compute the whole jobcentre's figures and store them for the period (replacing any
    stored before) in one statement; returns the KpiResult id."""
    params = _params(
        period_from=period_from, period_to=period_to, settings=settings, centre_ids=None
    )
    params["job_run"] = job_run_id
    with transaction.atomic(), connection.cursor() as cursor:
        _no_jit(cursor)
        cursor.execute(KPI_STORE_SQL, params)
        return cursor.fetchone()[0]
