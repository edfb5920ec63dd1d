"""Reads on Centerkontrakter for the pages. Query counts do not grow with the data."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from centers.models import (
    Centre,
    Place,
    Workplace,
)

from . import rules
from .models import (
    OPEN_STATUSES,
    Amendment,
    AmendmentStatus,
    ApprovalSettings,
    Contract,
    ContractApproval,
    ContractDocument,
    ContractStatus,
    SigningLink,
)

# A place whose course ends within this many days counts as "free soon" in visitation.
SOON_DAYS = rules.SOON_DAYS


def contracts_list(*, status: str | None = None) -> QuerySet[Contract]:
    """All contracts of the jobcentre with centre and company, newest period first."""
    contracts = Contract.objects.select_related("centre__company").order_by("-start", "-pk")
    if status:
        contracts = contracts.filter(status=status)
    return contracts


def contracts_for_list(*, status: str | None = None) -> QuerySet:
    """The contract list's rows: the columns it shows, no more (ten years of a large
    jobcentre are thousands of contracts; the list pages by keyset, documents/paging.py),
    as named tuples (`row.pk`, `row.centre__name`): three model instances a row (contract,
    centre, company) cost a fifth of the page (issue 24)."""
    return contracts_list(status=status).values_list(
        "pk",
        "start",
        "end",
        "places",
        "status",
        "centre__name",
        "centre__company__name",
        "centre__company__cvr",
        named=True,
    )


@dataclass
class ContractVersion:
    """One version of a contract as the page shows it: terms, signatures, link and PDFs."""

    number: int
    row: Contract | Amendment  # holds terms and signatures of this version
    amendment: Amendment | None
    signing_link: SigningLink | None = None
    preview: ContractDocument | None = None
    signed_document: ContractDocument | None = None
    documents: list[ContractDocument] = field(default_factory=list)

    @property
    def is_signed(self) -> bool:
        return self.row.is_signed

    @property
    def chief_name(self) -> str:
        from .pdf import chief_signatory_name

        return chief_signatory_name(self.row)

    @property
    def signatures_not_recorded(self) -> bool:
        """A contract in force whose signatures were never recorded here (carried over by
        the import from before the application): signed on paper, not "unsigned"."""
        return (
            self.amendment is None
            and not (self.row.chief_signed_at or self.row.director_signed_at)
            and self.row.status in rules.CAPACITY_STATUSES + ("ended",)
        )

    @property
    def status_label(self) -> str:
        """This version's signing state in the words the page uses everywhere (the
        contract's own status - Aktiv, Opsagt - is shown once, above the versions)."""
        row = self.row
        if row.is_signed:
            return _("Underskrevet af begge parter")
        if self.signatures_not_recorded:
            return _("Underskrevet uden for systemet (underskrifterne er ikke registreret)")
        if row.chief_signed_at:
            return _("Mangler direktørens underskrift")
        if row.director_signed_at:
            return _("Mangler jobcenterchefens underskrift")
        if row.is_ready_for_signing:
            return _("Til underskrift")
        return _("Udkast")


def contract_versions(*, contract: Contract) -> list[ContractVersion]:
    """Every version of `contract` (1 = the contract, then the amendments), in four queries."""
    versions = [ContractVersion(number=1, row=contract, amendment=None)]
    for amendment in contract.amendments.select_related("chief_signed_by", "created_by").order_by(
        "version"
    ):
        versions.append(
            ContractVersion(number=amendment.version, row=amendment, amendment=amendment)
        )
    by_number = {v.number: v for v in versions}
    # The newest link of each version (DISTINCT ON: one row per version).
    links = (
        SigningLink.objects.filter(contract=contract)
        .order_by("version", "-created_at")
        .distinct("version")
    )
    for link in links:
        if link.version in by_number:
            by_number[link.version].signing_link = link
    # The newest preview and the signed PDF of each version.
    documents = (
        ContractDocument.objects.filter(contract=contract)
        .order_by("version", "kind", "-created_at")
        .distinct("version", "kind")
    )
    for document in documents:
        version = by_number.get(document.version)
        if version is None:
            continue
        if document.kind == ContractDocument.Kind.SIGNED:
            version.signed_document = document
        else:
            version.preview = document
    return versions


@dataclass(frozen=True)
class AwaitingSignature:
    contract: Contract
    version: int
    label: str


def contracts_awaiting_chief_signature(*, limit: int = 20) -> list[AwaitingSignature]:
    """Approved contracts and amendments the jobcenterchef has not signed yet (two queries),
    with what the start page shows of them: the centre and its company's name."""
    items = [
        AwaitingSignature(contract=c, version=1, label=str(c.centre))
        for c in contracts_list(status=ContractStatus.APPROVED)
        .filter(chief_signed_at__isnull=True)
        .only("id", "centre__name", "centre__company__name")[:limit]
    ]
    amendments = (
        Amendment.objects.filter(status=AmendmentStatus.DRAFT, chief_signed_at__isnull=True)
        .select_related("contract__centre__company")
        .only(
            "id",
            "version",
            "contract__id",
            "contract__centre__name",
            "contract__centre__company__name",
        )[:limit]
    )
    items += [
        AwaitingSignature(
            contract=a.contract,
            version=a.version,
            label=f"{a.contract.centre} (tillæg v{a.version})",
        )
        for a in amendments
    ]
    return items[:limit]


@dataclass(frozen=True)
class InProgress:
    """A contract in progress as the start page's card shows it."""

    pk: int
    centre_name: str
    status: str
    status_label: str


# Drafts, approved contracts waiting for signatures and contracts with an open amendment.
# The card's columns in one statement: the ORM's DISTINCT over every column of a join with
# the amendments cost more to build and plan than to run (issue 24).
# The two kinds are read from their partial indexes (open contracts, one draft amendment per
# contract): an OR of the two filtered every contract of the jobcentre (issue 24).
_IN_PROGRESS_SQL = """
    SELECT k.id, ce.name, k.status FROM {contract} k JOIN {centre} ce ON ce.id = k.centre_id
    WHERE k.id IN (SELECT o.id FROM {contract} o WHERE o.status = ANY(%(open)s)
                   UNION SELECT a.contract_id FROM {amendment} a WHERE a.status = %(draft)s)
    ORDER BY k.start DESC, k.id DESC LIMIT %(limit)s
"""


def contracts_in_progress(*, limit: int = 20) -> list[InProgress]:
    """Drafts, approved contracts waiting for signatures and contracts with an open
    amendment, newest period first, with the centre's name and the status."""
    sql = _IN_PROGRESS_SQL.format(
        contract=Contract._meta.db_table,
        centre=Centre._meta.db_table,
        amendment=Amendment._meta.db_table,
    )
    params: dict[str, Any] = {
        "open": [str(s) for s in OPEN_STATUSES],
        "draft": str(AmendmentStatus.DRAFT),
        "limit": limit,
    }
    labels = dict(ContractStatus.choices)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            InProgress(pk=pk, centre_name=name, status=status, status_label=str(labels[status]))
            for pk, name, status in cursor.fetchall()
        ]


# --- Capacity: places busy and ending soon -------------------------------------------------


def contracts_with_capacity(*, today: date, centre=None) -> QuerySet:
    """Contracts a course can start under now or soon, with `busy` and `ending_soon` place
    counts from PostgreSQL (one query whatever the number of courses)."""
    soon = today + timedelta(days=SOON_DAYS)
    counted = Q(place_set__number__lte=F("places"))
    qs = (
        _capacity_contracts(today=today)
        .select_related("centre__company", "centre__consultant")
        .annotate(
            busy=_busy_places(today=today),
            ending_soon=Count(
                "place_set",
                filter=counted
                & Q(place_set__courses__pk__isnull=False)
                & Q(place_set__courses__end__isnull=True)
                & Q(place_set__courses__planned_end__lte=soon),
                distinct=True,
            ),
        )
        .order_by("centre__name", "start")
    )
    if centre is not None:
        qs = qs.filter(centre=centre)
    return qs


def _capacity_contracts(*, today: date) -> QuerySet[Contract]:
    """The contracts a course can start under now or soon (rules.CAPACITY_STATUSES)."""
    return Contract.objects.filter(
        status__in=rules.CAPACITY_STATUSES,
        start__lte=today + timedelta(days=SOON_DAYS),
        end__gte=today,
    )


def _busy_places(*, today: date) -> Count:
    """A contract's places (within its number of places) held by a course now or later."""
    # A place with no course at all meets the LEFT JOIN with NULLs: it must not count.
    holds = Q(place_set__courses__pk__isnull=False) & rules.occupying_q(
        today, date.max, prefix="place_set__courses__"
    )
    return Count("place_set", filter=Q(place_set__number__lte=F("places")) & holds, distinct=True)


@dataclass(frozen=True)
class FreePlaces:
    """One contract of a consultant's centres with its free places, as the start page's card
    shows it."""

    pk: int
    centre_name: str
    places: int
    free: int


# The consultant's contracts a course can start under now or soon (_capacity_contracts) with
# their busy places (_busy_places: rules.occupying from today on, within the contract's
# number of places), in one statement with the card's columns: the ORM's aggregate over
# the places' courses cost more to build than PostgreSQL took to run it (issue 24).
# tests/contracts pins it to contracts_with_capacity's `busy`.
_FREE_PLACES_SQL = """
    SELECT k.id, ce.name, k.places,
           (SELECT count(DISTINCT p.id) FROM {place} p JOIN {course} c ON c.place_id = p.id
            WHERE p.contract_id = k.id AND p.number <= k.places
              AND c.start <= %(last)s AND (c."end" IS NULL OR c."end" >= %(today)s)) AS busy
    FROM {contract} k JOIN {centre} ce ON ce.id = k.centre_id
    WHERE ce.consultant_id = %(consultant)s AND k.status = ANY(%(statuses)s)
      AND k.start <= %(soon)s AND k."end" >= %(today)s
    ORDER BY ce.name, k.start, k.id
"""


def free_places_of_consultant(*, today: date, consultant) -> list[FreePlaces]:
    """The consultant's centres' contracts a course can start under now or soon, with their
    free places (rules.free_places), by centre and start. The columns shown, no more: the
    whole contract with its centre, company and consultant cost more than the card."""
    sql = _FREE_PLACES_SQL.format(
        place=Place._meta.db_table,
        course=Place._meta.get_field("courses").related_model._meta.db_table,
        contract=Contract._meta.db_table,
        centre=Centre._meta.db_table,
    )
    params: dict[str, Any] = {
        "today": today,
        "last": date.max,  # rules.occupying_q(today, date.max): held now or later
        "soon": today + timedelta(days=SOON_DAYS),
        "statuses": list(rules.CAPACITY_STATUSES),
        "consultant": consultant.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        FreePlaces(
            pk=pk,
            centre_name=name,
            places=places,
            free=rules.free_places(places=places, busy=busy),
        )
        for pk, name, places, busy in rows
    ]


@dataclass
class WorkplaceHeadroom:
    """The staff-ratio rule at one workplace on one day: its limit, who is placed, what is free.

    `employees` is None when nobody has stated the ordinary employees yet (then there is no
    limit to place under, `limit` is 0); `statement_ok` tells whether the latest written
    statement on or before the day says the ratio is reasonable (None: there is none).
    """

    workplace: "WorkplaceRef"
    employees: Decimal | None
    placed: int
    others: int
    statement_ok: bool | None

    @property
    def limit(self) -> int:
        return 0 if self.employees is None else rules.staff_ratio_limit(self.employees)

    @property
    def free(self) -> int:
        return rules.free_places(places=self.limit, busy=self.placed + self.others)

    @property
    def needs_attention(self) -> bool:
        """Nobody more can be placed here, or a fact the rule needs is missing: the
        employees, or a written statement that the ratio is reasonable."""
        return self.employees is None or self.free == 0 or self.statement_ok is not True


def headrooms_needing_attention(
    headrooms: list[WorkplaceHeadroom], *, limit: int
) -> list[WorkplaceHeadroom]:
    """The first `limit` workplaces that need attention (`needs_attention`), fullest first
    (least free room), in their given order within that: the KPI page's short table; the
    workplaces page lists them all."""
    waiting = [h for h in headrooms if h.needs_attention]
    return sorted(waiting, key=lambda h: h.free)[:limit]


@dataclass(frozen=True, slots=True)
class WorkplaceRef:
    """What a headroom shows of its workplace: the link, the name and the P-number (and
    str(workplace), as Workplace prints it)."""

    pk: int
    name: str
    p_number: str

    def __str__(self) -> str:
        return Workplace.label(self.name, self.p_number)


def workplaces_headroom(
    *,
    workplaces: QuerySet[Workplace],
    day: date,
    exclude_contract: Contract | None = None,
    today: date | None = None,
) -> list[WorkplaceHeadroom]:
    """The headroom of each workplace on `day`, in `workplaces`' order, in one query.

    Placed: this jobcentre's courses holding a place on `day` at the workplace's centres
    (contracts.rules.occupies), leaving out those of `exclude_contract` (its own places are
    what is being set). Others: the persons placed by others on `day`. Employees: the latest
    statement on or before `day`. With `today` (a placement booked ahead), a running course
    planned to end from today up to the day before `day` is not counted on `day`.
    """
    # The workplaces' own query (its filter and order) is the statement's first part: the
    # ORM's compiling of a second statement and its round trip were a third of the
    # headroom's cost on the KPI page (issue 24).
    try:
        listed, listed_params = workplaces.values_list(
            "id", "name", "p_number"
        ).query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (`pk__in=[]`)
        return []
    params: dict[str, Any] = {f"w{i}": value for i, value in enumerate(listed_params)}
    listed = listed % tuple(f"%(w{i})s" for i in range(len(listed_params)))
    ahead = today is not None and day > today
    params |= {
        "day": day,
        "today": today,
        "exclude": exclude_contract.pk if exclude_contract is not None else 0,
    }
    sql = HEADROOM_SQL.format(
        workplaces=listed, frees_as_planned=FREES_AS_PLANNED_SQL if ahead else ""
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        WorkplaceHeadroom(
            workplace=WorkplaceRef(pk, name, p_number),
            employees=employees,
            statement_ok=statement_ok,
            others=others,
            placed=placed,
        )
        for pk, name, p_number, employees, statement_ok, others, placed in rows
    ]


# Per workplace of {workplaces} (the caller's query: id, name, P-number and whatever its
# order adds, numbered in its order) on a day: the latest statement of its ordinary
# employees and the latest written statement on the ratio (on or before the day; the
# later id wins a tie), the persons others placed there on the day, and the places of its
# centres held on the day (contracts.rules.occupies: start <= day and running or ended on
# or after it). The day's courses are read from the partial indexes of running courses
# (which carries the columns read here) and of ended ones, once, and counted per
# workplace and place (a running course past its planned end and the next course of its
# place both hold the place); a count per workplace walked every course the workplace ever
# had: 54 ms for Copenhagen's 150 workplaces, issue 24. tests/contracts/test_staff_ratio.py
# pins the count to rules.occupies.
HEADROOM_SQL = """
WITH w AS MATERIALIZED (
    SELECT row_number() OVER () AS n, x.wid, x.wname, x.wp FROM ({workplaces}) x(wid, wname, wp)
),
held_on_day AS (
    SELECT c.contract_id, c.place_id FROM candidates_course c
    WHERE c."end" IS NULL AND c.start <= %(day)s {frees_as_planned}
    UNION ALL
    SELECT c.contract_id, c.place_id FROM candidates_course c
    WHERE c."end" >= %(day)s AND c.start <= %(day)s
),
held AS (
    SELECT p.id, count(*) AS placed FROM (
        SELECT DISTINCT ce.workplace_id AS id, h.place_id
        FROM held_on_day h
        JOIN contracts_contract k ON k.id = h.contract_id
        JOIN centers_centre ce ON ce.id = k.centre_id
        WHERE k.id <> %(exclude)s AND ce.workplace_id IN (SELECT wid FROM w)
    ) p
    GROUP BY p.id
)
SELECT w.wid, w.wname, w.wp,
       (SELECT e.ordinary_employees FROM centers_workplaceemployees e
        WHERE e.workplace_id = w.wid AND e.stated_on <= %(day)s
        ORDER BY e.stated_on DESC, e.id DESC LIMIT 1),
       (SELECT s.ratio_reasonable FROM centers_workplacestatement s
        WHERE s.workplace_id = w.wid AND s.given_on <= %(day)s
        ORDER BY s.given_on DESC, s.id DESC LIMIT 1),
       (SELECT COALESCE(SUM(o.persons), 0) FROM centers_workplaceotherplacement o
        WHERE o.workplace_id = w.wid AND o.start <= %(day)s
          AND (o."end" IS NULL OR o."end" >= %(day)s)),
       COALESCE(held.placed, 0)
FROM w LEFT JOIN held ON held.id = w.wid
ORDER BY w.n
"""
# Booking ahead (contracts.rules._frees_as_planned): a running course planned to end from
# today up to the day before `day` frees its place after its planned end.
FREES_AS_PLANNED_SQL = """AND NOT (c.planned_end >= %(today)s AND c.planned_end < %(day)s)"""


@dataclass
class ApprovalState:
    """A contract's approvals as its page shows them: each step of the jobcentre's
    settings with its approval (or None), then approvals of steps no longer in use
    (historical ones included)."""

    steps: list[tuple[str, ContractApproval | None]]
    other: list[ContractApproval]
    missing: list[str]


def contract_approval_state(*, contract: Contract) -> ApprovalState:
    """The approval steps and the approvals given to the present text (two queries)."""
    steps = ApprovalSettings.current().steps
    given = {approval.step: approval for approval in contract.current_approvals}
    return ApprovalState(
        steps=[(step, given.get(step)) for step in steps],
        other=[approval for step, approval in given.items() if step not in steps],
        missing=rules.approvals_missing(steps=steps, approved=given),
    )


def contract_courses_past_end(*, contract: Contract) -> list:
    """The contract's courses lasting beyond its termination date (contracts.rules
    .courses_past_termination), with candidate and place, for the jobkonsulent to move or
    end. Empty for a contract that is not terminated. One query."""
    if contract.terminated_on is None:
        return []
    courses = (
        contract.courses.filter(
            Q(end__isnull=True, planned_end__gte=contract.terminated_on)
            | Q(end__gt=contract.terminated_on)
        )
        .select_related("candidate", "place")
        .order_by("start", "pk")
    )
    return rules.courses_past_termination(courses=courses, terminated_on=contract.terminated_on)
