"""Reads for billing: contract payments for any period, statements of a month.

The one function other apps should call is `contract_payments()` (or its bulk form
`contracts_payments()`): what a contract pays the company for a period by the contract's
own rules - independent of whether statements were built or approved.
"""

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from candidates.models import Course
from centers.models import Place
from contracts.models import Amendment, AmendmentStatus, Contract, ContractStatus
from mentors.models import MentorGrant, MentorHours, MentorTraining

from . import rules
from .models import BillingRun, Statement, StatementLine

# A contract pays from the moment both parties signed it; drafts and approvals do not.
BILLABLE_STATUSES = (
    ContractStatus.SIGNED,
    ContractStatus.ACTIVE,
    ContractStatus.ENDED,
    ContractStatus.TERMINATED,
)


def billable_contracts(*, start: date, end: date, contract_ids=None) -> list[Contract]:
    """Signed contracts whose period meets start..end, with their signed amendments (2 queries)."""
    qs = Contract.objects.filter(
        status__in=BILLABLE_STATUSES, start__lte=end, end__gte=start
    ).select_related("centre__company")
    if contract_ids is not None:
        qs = qs.filter(pk__in=list(contract_ids))
    return list(
        qs.prefetch_related(
            Prefetch(
                "amendments",
                queryset=Amendment.objects.filter(status=AmendmentStatus.SIGNED).order_by(
                    "valid_from", "version"
                ),
                to_attr="signed_amendments",
            )
        ).order_by("centre__name", "start", "pk")
    )


def terms_timeline(contract: Contract) -> rules.TermsTimeline:
    """The contract (version 1, from its start) and its signed amendments, each from valid_from.

    Needs `signed_amendments` as `billable_contracts()` prefetches it.
    """
    amendments = getattr(contract, "signed_amendments", None)
    if amendments is None:
        amendments = contract.amendments.filter(status=AmendmentStatus.SIGNED).order_by(
            "valid_from", "version"
        )
    versions = [rules.Terms.of(contract, version=1, valid_from=contract.start)]
    versions += [
        rules.Terms.of(a, version=a.version, valid_from=max(a.valid_from, contract.start))
        for a in amendments
    ]
    versions.sort(key=lambda t: (t.valid_from, t.version))
    return rules.TermsTimeline(
        contract_start=contract.start, contract_end=contract.end, versions=tuple(versions)
    )


def course_weeks(*, contract_ids, start: date, end: date) -> dict[int, list[rules.CourseWeek]]:
    """The course weeks that start in start..end, per contract, generated in PostgreSQL.

    Week k of a course starts on start + 7(k-1); a course's last week is the one its end
    (or, while running, its planned end) falls in. One query for all contracts.
    """
    ids = list(contract_ids)
    if not ids:
        return {}
    sql = f"""
        SELECT c.id, c.contract_id, p.number, gs.k,
               c.start + (gs.k - 1) * 7 AS week_start,
               COALESCE(c."end", c.planned_end) AS course_end
        FROM {Course._meta.db_table} c
        JOIN {Place._meta.db_table} p ON p.id = c.place_id
        CROSS JOIN LATERAL generate_series(
            GREATEST(1, (%(start)s::date - c.start + 6) / 7 + 1),
            LEAST((COALESCE(c."end", c.planned_end) - c.start) / 7 + 1,
                  (%(end)s::date - c.start) / 7 + 1)
        ) AS gs(k)
        WHERE c.contract_id = ANY(%(ids)s)
          AND c.start <= %(end)s AND COALESCE(c."end", c.planned_end) >= %(start)s
        ORDER BY c.contract_id, week_start, c.id
    """  # noqa: S608 - table names come from our models, values are parameters
    result: dict[int, list[rules.CourseWeek]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": ids, "start": start, "end": end})
        for course_id, contract_id, place, week_no, week_start, course_end in cursor.fetchall():
            result[contract_id].append(
                rules.CourseWeek(
                    course_id=course_id,
                    place_number=place,
                    week_no=week_no,
                    week_start=week_start,
                    course_end=course_end,
                )
            )
    return result


def logged_mentor_hours(*, centre_ids, start: date, end: date) -> dict[int, dict[date, Decimal]]:
    """Hours all mentors logged per centre per week (Monday) for the weeks meeting start..end."""
    first_monday = start - timedelta(days=start.weekday())
    rows = (
        MentorHours.objects.filter(
            centre_id__in=list(centre_ids), week_start__range=(first_monday, end)
        )
        .values("centre_id", "week_start")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    result: dict[int, dict[date, Decimal]] = defaultdict(dict)
    for row in rows:
        result[row["centre_id"]][row["week_start"]] = row["total"]
    return result


def mentor_grants(*, contract_ids) -> dict[int, list[rules.Grant]]:
    """Every mentor-support grant of each contract (through its place), one query.

    All of them, not only those meeting a period: a contract with any grant pays its
    mentor hours by the grants (billing.rules.compute), as the SQL twin decides.
    """
    rows = (
        MentorGrant.objects.filter(place__contract_id__in=list(contract_ids))
        .values(
            "pk",
            "place__contract_id",
            "place__number",
            "course_id",
            "start",
            "end",
            "hours_per_week",
            "hourly_rate",
        )
        .order_by("start", "pk")
    )
    result: dict[int, list[rules.Grant]] = defaultdict(list)
    for row in rows:
        result[row["place__contract_id"]].append(
            rules.Grant(
                grant_id=row["pk"],
                start=row["start"],
                end=row["end"],
                hours_per_week=row["hours_per_week"],
                hourly_rate=row["hourly_rate"],
                place_number=row["place__number"],
                course_id=row["course_id"],
            )
        )
    return result


def mentor_trainings(*, centre_ids, start: date, end: date) -> dict[int, list[dict]]:
    """Mentor courses and network meetings of each centre's mentors held in start..end."""
    rows = (
        MentorTraining.objects.filter(
            mentor__centres__in=list(centre_ids), date__range=(start, end)
        )
        .values(
            "pk",
            "mentor__centres",
            "date",
            "kind",
            "title",
            "mentor__user__first_name",
            "mentor__user__last_name",
            "mentor__user__email",
        )
        .order_by("date", "pk")
    )
    labels = dict(MentorTraining.Kind.choices)
    result: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        name = f"{row['mentor__user__first_name']} {row['mentor__user__last_name']}".strip()
        result[row["mentor__centres"]].append(
            {
                "date": row["date"].isoformat(),
                "kind": row["kind"],
                "kind_label": str(labels.get(row["kind"], row["kind"])),
                "title": row["title"],
                "mentor": name or row["mentor__user__email"],
            }
        )
    return result


def contracts_compute(
    *, start: date, end: date, contract_ids=None
) -> list[tuple[Contract, rules.Computed]]:
    """Every billable contract meeting start..end with its computed lines (7 queries in all)."""
    contracts = billable_contracts(start=start, end=end, contract_ids=contract_ids)
    ids = [c.pk for c in contracts]
    centre_ids = {c.centre_id for c in contracts}
    weeks = course_weeks(contract_ids=ids, start=start, end=end)
    logged = logged_mentor_hours(centre_ids=centre_ids, start=start, end=end)
    trainings = mentor_trainings(centre_ids=centre_ids, start=start, end=end)
    grants = mentor_grants(contract_ids=ids)
    return [
        (
            contract,
            rules.compute(
                timeline=terms_timeline(contract),
                start=start,
                end=end,
                weeks=weeks.get(contract.pk, []),
                logged_by_monday=logged.get(contract.centre_id, {}),
                trainings=trainings.get(contract.centre_id, []),
                grants=grants.get(contract.pk, []),
            ),
        )
        for contract in contracts
    ]


def contracts_payments(*, start: date, end: date, contract_ids=None) -> dict[int, Decimal]:
    """{contract id: payments for start..end} for every billable contract meeting the period.

    The bulk form of `contract_payments()`, with a fixed number of queries; contracts that
    pay nothing in the period (training_only, or no course weeks) are included with 0.00.
    """
    return {
        contract.pk: computed.total
        for contract, computed in contracts_compute(start=start, end=end, contract_ids=contract_ids)
    }


def contract_payments(*, contract: Contract, start: date, end: date) -> Decimal:
    """What `contract` pays the company for the days start..end (both included), in kroner.

    Computed by the contract's payment rules exactly as statements compute them (issue 8):
    course weeks starting in the period, mentor-hours days and place-days in the period,
    the establishment amount if the contract starts in the period; each line rounded to øre,
    the lines summed. Signed contracts and signed amendments only; a draft or unsigned
    contract pays Decimal("0.00"). Raises ValueError if end is before start.
    """
    if end < start:
        raise ValueError("end is before start")
    return contracts_payments(start=start, end=end, contract_ids=[contract.pk]).get(
        contract.pk, Decimal("0.00")
    )


# Statements


def statements_for_month(*, month: date) -> QuerySet[Statement]:
    """The month's statements, originals before their corrections, with line counts."""
    return (
        Statement.objects.filter(month=month)
        .select_related("centre__company", "contract", "approved_by", "corrects")
        .annotate(line_count=Count("lines"))
        .order_by("centre__name", "contract_id", "kind", "pk")
    )


@dataclass(frozen=True)
class MonthStatement:
    """One row of the month page's table: what it shows and no more."""

    pk: int
    centre_name: str
    company_name: str
    company_cvr: str
    payment_model: str
    kind: str
    status: str
    corrects_id: int | None
    hours_shortfall: bool
    line_count: int
    total: Decimal

    @property
    def is_correction(self) -> bool:
        return self.kind == Statement.Kind.CORRECTION


def statements_for_month_page(*, month: date) -> list[MonthStatement]:
    """The month page's rows (statements_for_month's order), with what its table shows and
    no more (issue 24): the centre and its company, the contract's payment model, and the
    line count from a subquery instead of a GROUP BY over every column of the joined rows.
    Plain values, not model instances: 150 statements with three joined models each were a
    tenth of the request in object construction alone."""
    # The count as a fixed SQL text rather than a Subquery(): resolving a Subquery copies
    # and relabels its inner query, a sixth of the page's view (py-spy, issue 24). The
    # statement table is the query's base table, so its name is its alias; no outside
    # value goes into the text.
    statements, lines = Statement._meta.db_table, StatementLine._meta.db_table
    line_count = RawSQL(  # noqa: S611
        f'SELECT COUNT(*) FROM "{lines}" l WHERE l.statement_id = "{statements}"."id"',  # noqa: S608
        (),
        output_field=IntegerField(),
    )
    rows = (
        Statement.objects.filter(month=month)
        .annotate(line_count=line_count)
        .order_by("centre__name", "contract_id", "kind", "pk")
        .values_list(
            "pk",
            "centre__name",
            "centre__company__name",
            "centre__company__cvr",
            "contract__payment_model",
            "kind",
            "status",
            "corrects_id",
            "hours_shortfall",
            "line_count",
            "total",
        )
    )
    return [MonthStatement(*row) for row in rows]


def statement_lines(*, statement: Statement) -> QuerySet[StatementLine]:
    return statement.lines.select_related("course__candidate").order_by("position")


def statement_version(*, statement: Statement) -> str:
    """A short fingerprint of what the statement page shows: its total, its shortfall mark
    and every line's figures. The approve form carries it; a rebuild in between changes it
    (issue 19: the chef approves only the statement that was shown)."""
    digest = hashlib.sha256(f"{statement.total}|{statement.hours_shortfall}".encode())
    lines = statement.lines.order_by("position").values_list(
        "position", "key", "description", "quantity", "rate", "amount"
    )
    for line in lines:
        digest.update(("|" + "|".join(str(value) for value in line)).encode())
    return digest.hexdigest()[:16]


def statement_lines_for_month(*, month: date) -> QuerySet[StatementLine]:
    """Every line of the month for the finance exports, in statement order."""
    return (
        StatementLine.objects.filter(statement__month=month)
        .select_related("statement__centre__company", "statement__contract")
        .order_by(
            "statement__centre__name",
            "statement__contract_id",
            "statement__kind",
            "statement_id",
            "position",
        )
    )


def months_overview(*, limit: int = 24) -> list[Mapping[str, object]]:
    """The latest months with statements: counts, open drafts and the month's total."""
    return list(
        Statement.objects.values("month")
        .annotate(
            statements=Count("pk"),
            drafts=Count("pk", filter=Q(status=Statement.Status.DRAFT)),
            total=Sum("total"),
        )
        .order_by("-month")[:limit]
    )


def latest_run(*, month: date) -> BillingRun | None:
    return (
        BillingRun.objects.filter(month=month)
        .select_related("requested_by")
        .order_by("-created_at", "-pk")
        .first()
    )
