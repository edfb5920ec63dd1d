"""Compute a jobcentre's key figures for a period [period_from, period_to] (days inclusive).

The result is a plain dictionary (stored as JSON and printed by `kpi_report`): figures
for the whole jobcentre, per centre, company, branche and month, the contracts' goals
beside what happened, the campaign goals, and the waiting list.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction

from candidates.models import Outcome
from centers.models import Branche, Centre, Company

from . import sql

CAMPAIGN_ACTIVATION_GOAL_PCT = 16  # of the target group in company activation each month
CAMPAIGN_SELF_SUPPORTING_GOAL_PCT = 20  # self-supporting 4 weeks after the course


def pct(part, whole) -> float | None:
    """Per cent rounded to 1 decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def kroner(amount) -> float:
    return float(Decimal(amount).quantize(Decimal("0.01"), ROUND_HALF_UP))


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _rows(query: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        names = [col.name for col in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _figures(row: dict, period: Period, costs: Decimal, saving_per_person: Decimal) -> dict:
    available = int(row["place_days_available"] or 0)
    occupied = int(row["place_days_occupied"] or 0)
    started = int(row["courses_started"] or 0)
    ended = int(row["courses_ended"] or 0)
    ended_u25 = int(row["ended_under_25"] or 0)
    outcomes, outcomes_u25, outcomes_25 = {}, {}, {}
    for code in Outcome.values:
        n_all = int(row[f"o_all_{code}"] or 0)
        n_u25 = int(row[f"o_u25_{code}"] or 0)
        outcomes[code] = {"count": n_all, "pct": pct(n_all, ended)}
        outcomes_u25[code] = {"count": n_u25, "pct": pct(n_u25, ended_u25)}
        outcomes_25[code] = {"count": n_all - n_u25, "pct": pct(n_all - n_u25, ended - ended_u25)}
    direct = int(row["direct_success"] or 0)
    place_weeks = Decimal(available) / 7
    figures = {
        "place_days_available": available,
        "place_days_occupied": occupied,
        "occupancy_pct": pct(occupied, available),
        "courses_started": started,
        "courses_ended": ended,
        "candidates": int(row["candidates"] or 0),
        "candidates_active_at_end": int(row["candidates_active_at_end"] or 0),
        "flow_per_place_year": (
            round(started * 365 / available, 2) if available else None
        ),  # started / (available / days) / (days / 365)
        "avg_duration_weeks": (round(int(row["ended_days"]) / ended / 7, 1) if ended else None),
        "extended_pct": pct(row["ended_extended"] or 0, ended),
        "outcomes": outcomes,
        "outcomes_under_25": outcomes_u25,
        "outcomes_25_plus": outcomes_25,
        "direct_success_pct": pct(direct, ended),
        "cost_total": kroner(costs),
        "cost_per_place_week": kroner(costs / place_weeks) if available else None,
        "savings_estimate": kroner(direct * saving_per_person),
    }
    for weeks in (4, 13, 26):
        figures[f"self_supporting_{weeks}w_pct"] = pct(
            row[f"self_supporting_{weeks}w"] or 0, row[f"followed_{weeks}w"] or 0
        )
    return figures


def kpi_compute(
    *,
    period_from: date,
    period_to: date,
    settings,
    payments_by_centre: dict[int, Decimal] | None = None,
    own_costs: Decimal = Decimal(0),
    centre_ids: list[int] | None = None,
) -> dict:
    """All key figures for the period, optionally for some centres only.

    `settings` gives the yearly benefit saving and the target group size;
    `payments_by_centre` the contract payments of the period per centre id; `own_costs`
    the jobcentre's own costs for the period, shared between the centres by their
    place-days available.
    """
    if period_to < period_from:
        raise ValueError("Perioden slutter før den starter.")
    with transaction.atomic():
        # These statements run in tens of milliseconds; PostgreSQL's JIT would spend about
        # 50 ms compiling them first (their cost estimates pass jit_above_cost).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        return _kpi_compute(
            period_from=period_from,
            period_to=period_to,
            settings=settings,
            payments_by_centre=payments_by_centre,
            own_costs=own_costs,
            centre_ids=centre_ids,
        )


def _kpi_compute(
    *,
    period_from: date,
    period_to: date,
    settings,
    payments_by_centre: dict[int, Decimal] | None,
    own_costs: Decimal,
    centre_ids: list[int] | None,
) -> dict:
    period = Period(period_from, period_to)
    params = {"f": period_from, "t": period_to, "centres": centre_ids or []}
    filtered = centre_ids is not None
    saving = Decimal(settings.yearly_benefit_saving)
    groups = _rows(sql.grouped_figures_sql(centre_filter=filtered), params)
    costs_by_centre = _costs_by_centre(groups, payments_by_centre or {}, own_costs)

    names = dict(Centre.objects.values_list("pk", "name"))
    company_of = dict(Centre.objects.values_list("pk", "company_id"))
    company_names = dict(Company.objects.values_list("pk", "name"))
    branche_of_company = dict(Company.objects.values_list("pk", "branche"))
    branche_names = dict(Branche.choices)

    # Costs per company and branche: sums of their centres' costs, built once.
    cost_sums: dict[tuple[str, str], Decimal] = {("all", ""): Decimal(0)}
    for centre, amount in costs_by_centre.items():
        company = company_of.get(centre)
        for key in (
            ("all", ""),
            ("centre", str(centre)),
            ("company", str(company)),
            ("branche", branche_of_company.get(company, "")),
        ):
            cost_sums[key] = cost_sums.get(key, Decimal(0)) + amount

    def costs_for(scope: str, key: str) -> Decimal:
        return cost_sums.get((scope, key), Decimal(0))

    result = {
        "period": {
            "from": period_from.isoformat(),
            "to": period_to.isoformat(),
            "days": period.days,
        },
        "overall": None,
        "by_centre": [],
        "by_company": [],
        "by_branche": [],
    }
    empty = dict.fromkeys(groups[0], 0) if groups else {}
    for row in groups:
        scope, key = row["grp_scope"], row["grp_key"]
        figures = _figures(row, period, costs_for(scope, key), saving)
        if scope == "all":
            result["overall"] = figures
        elif scope == "centre":
            result["by_centre"].append(
                {"centre_id": int(key), "name": names.get(int(key), key)} | figures
            )
        elif scope == "company":
            result["by_company"].append(
                {"company_id": int(key), "name": company_names.get(int(key), key)} | figures
            )
        else:
            result["by_branche"].append(
                {"branche": key, "name": str(branche_names.get(key, key))} | figures
            )
    if result["overall"] is None:
        result["overall"] = _figures(
            {**empty, **dict.fromkeys(_empty_row_keys(), 0)}, period, Decimal(0), saving
        )
    for key in ("by_centre", "by_company", "by_branche"):
        result[key].sort(key=lambda r: r["name"])

    result["by_month"] = []
    centre_months: dict[int, list] = {}
    monthly = _tuples(sql.monthly_figures_sql(centre_filter=filtered), params)
    month_index: dict = {}
    for m_from, *_rest in monthly:
        month_index.setdefault(m_from, len(month_index))
    for m_from, m_to, centre, avail, occupied, started, ended, active in monthly:
        if centre is not None:
            # One value per month of the period; None where the centre had no places.
            series = centre_months.setdefault(centre, [None] * len(month_index))
            series[month_index[m_from]] = pct(occupied, avail)
            continue
        result["by_month"].append(
            {
                "month": m_from.strftime("%Y-%m"),
                "from": m_from.isoformat(),
                "to": m_to.isoformat(),
                "place_days_available": int(avail),
                "place_days_occupied": int(occupied),
                "occupancy_pct": pct(occupied, avail),
                "courses_started": int(started),
                "courses_ended": int(ended),
                "candidates_active_at_end": int(active),
            }
        )
    for row in result["by_centre"]:
        row["occupancy_by_month"] = centre_months.get(row["centre_id"], [])
    result["goals"] = _goals(params, filtered)
    result["campaign"] = _campaign(result, settings)
    count, median = _tuples(sql.WAITING_LIST_SQL, params)[0]
    result["waiting_list"] = {
        "count": int(count),
        "median_days_waited": float(median) if median is not None else None,
    }
    return result


def _costs_by_centre(groups: list[dict], payments: dict, own_costs: Decimal) -> dict:
    available = {
        int(r["grp_key"]): Decimal(r["place_days_available"] or 0)
        for r in groups
        if r["grp_scope"] == "centre"
    }
    total = sum(available.values(), Decimal(0))
    return {
        centre: Decimal(payments.get(centre, 0))
        + (own_costs * days / total if total else Decimal(0))
        for centre, days in available.items()
    }


def own_costs_for_period(period_from: date, period_to: date, yearly: dict[int, Decimal]) -> Decimal:
    """The jobcentre's yearly costs (salaries, mentor courses) pro rata by day."""
    total = Decimal(0)
    for year in range(period_from.year, period_to.year + 1):
        first, last = max(period_from, date(year, 1, 1)), min(period_to, date(year, 12, 31))
        days_in_year = (date(year, 12, 31) - date(year, 1, 1)).days + 1
        total += yearly.get(year, Decimal(0)) * ((last - first).days + 1) / days_in_year
    return total


def _empty_row_keys() -> list[str]:
    keys = [
        "place_days_available",
        "place_days_occupied",
        "courses_started",
        "courses_ended",
        "candidates",
        "candidates_active_at_end",
        "ended_days",
        "ended_extended",
        "direct_success",
        "ended_under_25",
    ]
    for weeks in (4, 13, 26):
        keys += [f"followed_{weeks}w", f"self_supporting_{weeks}w"]
    keys += [f"o_all_{c}" for c in Outcome.values] + [f"o_u25_{c}" for c in Outcome.values]
    return keys


def _tuples(query: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _goals(params: dict, filtered: bool) -> list[dict]:
    query = sql.GOALS_SQL.format(
        centre_filter="AND k.centre_id = ANY(%(centres)s)" if filtered else ""
    )
    goals = []
    for k_id, centre, start, end, goal_job, goal_edu, ended, job, edu in _tuples(query, params):
        goals.append(
            {
                "contract_id": k_id,
                "centre": centre,
                "contract_period": f"{start:%d.%m.%Y}-{end:%d.%m.%Y}",
                "courses_ended": ended,
                "ordinary_job_goal_pct": goal_job,
                "ordinary_job_pct": pct(job, ended),
                "education_goal_pct": goal_edu,
                "education_pct": pct(edu, ended),
            }
        )
    return goals


def _campaign(result: dict, settings) -> dict:
    size = settings.target_group_size
    months = [
        {
            "month": m["month"],
            "persons_in_activation": m["candidates_active_at_end"],
            "pct_of_target_group": pct(m["candidates_active_at_end"], size),
            "goal_met": (
                pct(m["candidates_active_at_end"], size) >= CAMPAIGN_ACTIVATION_GOAL_PCT
                if size
                else None
            ),
        }
        for m in result["by_month"]
    ]
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
