"""Reads of the integration API: each resource's rows, in the order a sync needs them.

A list is ordered by (changed time, id) and paged by a cursor after the last row, so a
client that stores the last cursor (or the newest `updated_at` it saw) and asks with
`changed_since` gets every row changed since, each once, however many change meanwhile.
Resources without a changed time (places) are ordered by id. Each list is a few queries
whatever the page holds (related rows are prefetched).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from billing.models import Statement, StatementLine
from billing.selectors import statement_lines
from candidates.models import Candidate, Course, Referral
from centers.models import Centre, Company, Place, Workplace
from contracts.models import Amendment, Contract
from mentors.models import Attendance, MentorHours
from reports.models import KpiResult
from reports.selectors import kpi_result_for_period

from . import rules
from .models import ApiKey


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


def page_by_time(
    rows: QuerySet,
    *,
    field: str = "updated_at",
    changed_since: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page:
    """One page of `rows` ordered by (`field`, id), from `changed_since` on, after `cursor`.

    Raises ValueError for a cursor that is not one of ours."""
    rows = rows.order_by(field, "id")
    if changed_since is not None:
        rows = rows.filter(**{f"{field}__gte": changed_since})
    if cursor:
        moment, last_id = rules.cursor_decode(cursor, with_time=True)
        rows = rows.filter(Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "id__gt": last_id}))
    found = list(rows[: limit + 1])
    if len(found) <= limit:
        return Page(found, None)
    last = found[limit - 1]
    return Page(found[:limit], rules.cursor_encode(getattr(last, field), last.pk))


def page_by_id(rows: QuerySet, *, cursor: str | None, limit: int) -> Page:
    rows = rows.order_by("id")
    if cursor:
        (last_id,) = rules.cursor_decode(cursor, with_time=False)
        rows = rows.filter(id__gt=last_id)
    found = list(rows[: limit + 1])
    if len(found) <= limit:
        return Page(found, None)
    return Page(found[:limit], rules.cursor_encode(found[limit - 1].pk))


def api_keys() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("created_by").order_by("-created_at", "-pk")


def companies() -> QuerySet[Company]:
    return Company.objects.prefetch_related(
        Prefetch("workplaces", queryset=Workplace.objects.order_by("id"))
    )


def centres() -> QuerySet[Centre]:
    return Centre.objects.all()


def contracts() -> QuerySet[Contract]:
    return Contract.objects.prefetch_related(
        Prefetch("amendments", queryset=Amendment.objects.order_by("version"))
    )


def places(*, today: date) -> QuerySet[Place]:
    """Places with `occupied`: a course placed in it on `today`."""
    running = Course.objects.filter(place=OuterRef("pk"), start__lte=today).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    return Place.objects.select_related("contract").annotate(occupied=Exists(running))


def candidates() -> QuerySet[Candidate]:
    return Candidate.objects.all()


def referrals() -> QuerySet[Referral]:
    return Referral.objects.all()


def courses() -> QuerySet[Course]:
    return Course.objects.select_related("contract")


def attendance() -> QuerySet[Attendance]:
    return Attendance.objects.select_related("course")


def mentor_hours() -> QuerySet[MentorHours]:
    return MentorHours.objects.all()


def statements() -> QuerySet[Statement]:
    return Statement.objects.prefetch_related(
        Prefetch("lines", queryset=StatementLine.objects.order_by("position"))
    )


def statement_with_lines(*, pk: int) -> tuple[Statement, list[StatementLine]] | None:
    """A statement with its company and centre, and its lines; None when there is none."""
    statement = (
        Statement.objects.select_related("centre__company", "contract", "corrects")
        .filter(pk=pk)
        .first()
    )
    if statement is None:
        return None
    return statement, list(statement_lines(statement=statement))


def kpi_for_period(*, period_from: date, period_to: date) -> KpiResult | None:
    return kpi_result_for_period(period_from=period_from, period_to=period_to)
