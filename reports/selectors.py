"""Reads of the reports app."""

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from billing.totals import mentor_support_spending
from candidates.models import Course
from codes.memo import ROW_VERSION, VersionMemo
from mentors.models import OvoYear
from mentors.rules import ovo_per_person

from .kpi.figures import figures_current, figures_expand
from .models import JobRun, KpiResult


def job_runs_latest(*, limit: int) -> QuerySet[JobRun]:
    return JobRun.objects.order_by("-created_at")[:limit]


# The expanded figures of stored results, kept in each process by stored row version
# (codes.memo; issue 24: decoding the 72 KB of stored counts and expanding them was a sixth
# of the dashboard's request).
_EXPANDED = VersionMemo(keep=16)


def kpi_result_for_period(
    *, period_from: date, period_to: date, groups: bool = True, goals: bool = True
) -> KpiResult | None:
    """The stored figures of the period, with `figures` read into the documented figures
    (without the per-centre, company and branche figures when groups=False, without the
    contracts' goals when goals=False: see figures_expand); None when there are none, or
    only in a layout from before an upgrade (the page then offers to compute them, and the
    nightly job does). One query when this process has expanded the stored version before,
    two otherwise."""
    result: Any = next(iter(KpiResult.objects.raw(_RESULT_SQL, [period_from, period_to])), None)
    if result is None:
        return None
    schema = connection.schema_name  # type: ignore[attr-defined]
    figures = _EXPANDED.get((schema, result.pk, result.row_version, groups, goals))
    if figures is None:
        stored = (
            KpiResult.objects.filter(pk=result.pk)
            .annotate(row_version=ROW_VERSION)
            .values_list("row_version", "figures")
            .first()
        )
        if stored is None or not figures_current(stored[1]):
            return None
        result.row_version = stored[0]
        figures = _EXPANDED.put(
            (schema, result.pk, result.row_version, groups, goals),
            figures_expand(stored[1], groups=groups, goals=goals),
        )
    # `row_version` names the stored version the figures are from (codes.memo).
    result.figures = figures
    return result


def kpi_results_recent(*, limit: int = 8) -> QuerySet[KpiResult]:
    return KpiResult.objects.only("period_from", "period_to", "computed_at").order_by(
        "-computed_at"
    )[:limit]


def kpi_job_for_period(*, period_from: date, period_to: date) -> JobRun | None:
    """The latest key-figure job run of the period (its parameters are the period)."""
    parameters = {"from": period_from.isoformat(), "to": period_to.isoformat()}
    return next(
        iter(JobRun.objects.raw(_JOB_SQL, [JobRun.Kind.STATISTICS, json.dumps(parameters)])),
        None,
    )


# The dashboard's reads of one row each, as plain statements (issue 24: building and
# compiling them with the ORM was 2 ms of the KPI page's Python, the database's work 0.1 ms).
# Raw querysets keep the routing (KpiResult is read from the replica when there is one).
_JOB_SQL = (  # the model's table; values are parameters
    f"SELECT * FROM {JobRun._meta.db_table} WHERE kind = %s AND parameters = %s::jsonb"  # noqa: S608
    " ORDER BY created_at DESC, id DESC LIMIT 1"
)
# Every column but the stored counts (`figures`, read when this process has not expanded
# this version yet), and the row version (codes.memo.ROW_VERSION).
_RESULT_SQL = (  # noqa: S608 - the model's columns and table; values are parameters
    "SELECT {columns}, {version} AS row_version FROM {table}"
    " WHERE period_from = %s AND period_to = %s LIMIT 1"
).format(
    columns=", ".join(
        str(f.column) for f in KpiResult._meta.concrete_fields if f.name != "figures"
    ),
    version=ROW_VERSION.sql,
    table=KpiResult._meta.db_table,
)


def places_today(*, today: date, centre_ids: list[int] | None = None) -> dict:
    """Places agreed today (signed amendments included), occupied and empty."""
    centre_filter = "AND k.centre_id = ANY(%(centres)s)" if centre_ids is not None else ""
    # A course's contract is only needed for its centre: the whole jobcentre's count reads
    # the partial indexes of running courses (the index alone: it carries the columns) and
    # of ended ones, each on its own (an OR of the two read every running course's row).
    running_join = (
        "JOIN contracts_contract k2 ON k2.id = c.contract_id" if centre_ids is not None else ""
    )
    query = f"""
        SELECT COALESCE(SUM(COALESCE((
                   SELECT a.places FROM contracts_amendment a
                   WHERE a.contract_id = k.id AND a.status = 'signed' AND a.valid_from <= %(d)s
                   ORDER BY a.valid_from DESC LIMIT 1), k.places)), 0),
               (SELECT COUNT(*) FROM (
                    SELECT c.id FROM candidates_course c {running_join}
                    WHERE c."end" IS NULL AND c.start <= %(d)s {centre_filter.replace("k.", "k2.")}
                    UNION ALL
                    SELECT c.id FROM candidates_course c {running_join}
                    WHERE c."end" >= %(d)s AND c.start <= %(d)s {centre_filter.replace("k.", "k2.")}
                ) held)
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


@dataclass(frozen=True)
class OvoShare:
    """The centres' share of the year's ØVO cap, as the KPI page shows it (year to date)."""

    year: int
    until: date
    centres_spending: Decimal
    entered: bool  # the jobcentre has entered the year's figures
    computed_at: datetime | None = None  # stored with the key figures then; None: now
    cap_per_person: Decimal | None = None
    full_time_persons: Decimal | None = None
    other_spending: Decimal | None = None
    centres_per_person: Decimal | None = None
    other_per_person: Decimal | None = None
    total_per_person: Decimal | None = None
    headroom_per_person: Decimal | None = None


# The year's figures (`year` is unique), a plain statement like the dashboard's other reads.
_OVO_YEAR_SQL = f"SELECT * FROM {OvoYear._meta.db_table} WHERE year = %s"  # noqa: S608


def ovo_share(*, until: date, stored: KpiResult | None = None) -> OvoShare:
    """The centres' mentor-support spending from 1 January of `until`'s year to `until`,
    per full-time person in the target groups, beside the cap and the other ØVO spending
    the jobcentre entered for that year (mentors.models.OvoYear; LAB § 203 a). The spending
    is the one stored with the period's key figures (`stored`, as of its computed_at) when
    there is one, else computed now."""
    if stored is not None and stored.mentor_support_ytd is not None:
        spending, computed_at = stored.mentor_support_ytd, stored.computed_at
    else:
        spending = mentor_support_spending(start=date(until.year, 1, 1), end=until)
        computed_at = None
    row: OvoYear | None = next(iter(OvoYear.objects.raw(_OVO_YEAR_SQL, [until.year])), None)
    share = OvoShare(
        year=until.year,
        until=until,
        centres_spending=spending,
        entered=False,
        computed_at=computed_at,
    )
    if row is None:
        return share
    centres = ovo_per_person(spending=spending, full_time_persons=row.full_time_persons)
    other = ovo_per_person(spending=row.other_spending, full_time_persons=row.full_time_persons)
    return replace(
        share,
        entered=True,
        cap_per_person=row.cap_per_person,
        full_time_persons=row.full_time_persons,
        other_spending=row.other_spending,
        centres_per_person=centres,
        other_per_person=other,
        total_per_person=centres + other,
        headroom_per_person=row.cap_per_person - centres - other,
    )
