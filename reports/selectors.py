"""Reads of the reports app."""

from datetime import date

from django.db import connection
from django.db.models import QuerySet

from candidates.models import Course

from .kpi.figures import figures_current, figures_expand
from .models import JobRun, KpiResult


def job_runs_latest(*, limit: int) -> QuerySet[JobRun]:
    return JobRun.objects.order_by("-created_at")[:limit]


def kpi_result_for_period(*, period_from: date, period_to: date) -> KpiResult | None:
    """The stored figures of the period, with `figures` read into the documented figures;
    None when there are none, or only in a layout from before an upgrade (the page then
    offers to compute them, and the nightly job does)."""
    result = KpiResult.objects.filter(period_from=period_from, period_to=period_to).first()
    if result is None or not figures_current(result.figures):
        return None
    result.figures = figures_expand(result.figures)
    return result


def kpi_results_recent(*, limit: int = 8) -> QuerySet[KpiResult]:
    return KpiResult.objects.only("period_from", "period_to", "computed_at").order_by(
        "-computed_at"
    )[:limit]


def kpi_job_for_period(*, period_from: date, period_to: date) -> JobRun | None:
    return (
        JobRun.objects.filter(
            kind=JobRun.Kind.STATISTICS,
            parameters={"from": period_from.isoformat(), "to": period_to.isoformat()},
        )
        .order_by("-created_at")
        .first()
    )


def places_today(*, today: date, centre_ids: list[int] | None = None) -> dict:
    """Places agreed today (signed amendments included), occupied and empty."""
    centre_filter = "AND k.centre_id = ANY(%(centres)s)" if centre_ids is not None else ""
    query = f"""
        SELECT COALESCE(SUM(COALESCE((
                   SELECT a.places FROM contracts_amendment a
                   WHERE a.contract_id = k.id AND a.status = 'signed' AND a.valid_from <= %(d)s
                   ORDER BY a.valid_from DESC LIMIT 1), k.places)), 0),
               (SELECT COUNT(*) FROM candidates_course c
                JOIN contracts_contract k2 ON k2.id = c.contract_id
                WHERE c.start <= %(d)s AND (c."end" IS NULL OR c."end" >= %(d)s)
                  {centre_filter.replace("k.", "k2.")})
        FROM contracts_contract k
        WHERE k.status IN ('signed', 'active', 'ended', 'terminated')
          AND k.start <= %(d)s AND k."end" >= %(d)s {centre_filter}
    """  # noqa: S608 - fixed fragments; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(query, {"d": today, "centres": centre_ids or []})
        places, occupied = cursor.fetchone()
    return {
        "places": int(places),
        "occupied": int(occupied),
        "empty": max(0, int(places) - int(occupied)),
    }


def centre_courses_in_period(*, centre_id: int, period_from: date, period_to: date) -> QuerySet:
    """The courses of one centre that overlap the period, for the drill-down."""
    return (
        Course.objects.filter(contract__centre_id=centre_id, start__lte=period_to)
        .exclude(end__lt=period_from)
        .select_related("candidate", "place", "contract")
        .order_by("-start", "pk")
    )
