"""Reads on candidates, courses, places, the venteliste and the due list."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import JSONObject

from audit.models import AuditEvent
from centers.models import Centre, Place
from contracts.models import Contract
from contracts.selectors import SOON_DAYS, contracts_with_capacity
from documents.nested import (
    DB,
    columns,
    compiled_by_id,
    instance,
    rows_array,
    user_instance,
    user_of,
)

from . import rules
from .attendance import readers as attendance_readers
from .cpr_crypto import cpr_hmac
from .due import (  # noqa: F401
    DueCount,
    DueItem,
    courses_due_for_follow_up,
    due_items_count,
    due_items_page,
)
from .models import (
    Candidate,
    Course,
    CourseHours,
    Extension,
    FollowUpNote,
    Goal,
    Referral,
    TargetGroupChange,
)

if TYPE_CHECKING:  # for the annotations only: no import at run time
    from contracts.models import Contract

    from .models import Course


def place_free_from(*, contract, day: date, today: date | None = None) -> Place | None:
    """The lowest-numbered place of the contract with no course on or after `day`.

    A running course (no end) holds its place indefinitely; an ended one frees it the day
    after its end. With `today` (booking ahead), a running course planned to end from today
    up to the day before `day` frees its place after its planned end (rules.occupies).
    """
    # Held on some day from `day` on (rules.occupies): running, ending later, or starting later.
    busy = Course.objects.filter(place=OuterRef("pk")).filter(
        Course.occupying_q(day, date.max, today=today)
    )
    return (
        Place.objects.filter(contract=contract, number__lte=contract.places)
        .exclude(Exists(busy))
        .order_by("number")
        .first()
    )


# --- Candidates ---------------------------------------------------------------------------


def candidate_id_of_course(pk) -> int | None:
    """The candidate a course page shows (for the audit log of reads); None if gone."""
    return Course.objects.filter(pk=pk).values_list("candidate_id", flat=True).first()


def candidate_id_of_referral(pk) -> int | None:
    """The candidate a referral page shows (for the audit log of reads); None if gone."""
    return Referral.objects.filter(pk=pk).values_list("candidate_id", flat=True).first()


def candidate_by_cpr(*, cpr: str):
    """The candidate with this CPR number (dash and spaces allowed), found by its blind index."""
    return Candidate.objects.filter(cpr_hmac=cpr_hmac(cpr)).first()


def candidates_for_list(*, course_count: bool = False) -> QuerySet:
    """Candidates with their state (venteliste / i forløb) and current centre, one query.

    `centre_name` is the running course's centre, None when the candidate is in no course
    (a running course always has a centre): the page tells "i forløb" from it. `in_course`
    is there for the filter only (`alias`): a selected EXISTS was planned as a hash of every
    running course, where the 50 rows shown need 50 look-ups in the index of running courses
    by candidate. `course_count` (the export's column) on request."""
    running = Course.objects.filter(candidate=OuterRef("pk"), end__isnull=True)
    candidates = Candidate.objects.alias(in_course=Exists(running)).annotate(
        waiting=Exists(
            Referral.objects.filter(candidate=OuterRef("pk"), status=Referral.Status.VENTER)
        ),
        centre_name=Subquery(running.order_by("-start").values("contract__centre__name")[:1]),
    )
    if course_count:
        candidates = candidates.annotate(
            course_count=Subquery(
                Course.objects.filter(candidate=OuterRef("pk"))
                .values("candidate")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            )
        )
    return candidates


# --- Venteliste ---------------------------------------------------------------------------


def waiting_list(*, today: date) -> QuerySet:
    """Waiting referrals, oldest first, with `waited` (a timedelta) computed in PostgreSQL."""
    return (
        Referral.objects.filter(status=Referral.Status.VENTER)
        .select_related("candidate", "created_by")
        .defer("candidate__cpr")  # shown masked (Candidate.cpr_masked): none decrypted
        .annotate(
            waited=ExpressionWrapper(
                Value(today, output_field=DateField()) - F("referred_on"),
                output_field=DurationField(),
            )
        )
        .order_by("referred_on", "id")
    )


@dataclass(frozen=True)
class Waiting:
    """A waiting referral as the start page's card shows it."""

    pk: int
    candidate_id: int
    name: str
    waited_days: int


_WAITING_FIRST_SQL = """
    SELECT r.id, r.candidate_id, p.name, r.referred_on
    FROM {referral} r JOIN {candidate} p ON p.id = r.candidate_id
    WHERE r.status = %(waiting)s ORDER BY r.referred_on, r.id LIMIT %(limit)s
"""


def waiting_list_first(*, today: date, limit: int) -> list[Waiting]:
    """The `limit` longest waiting of `waiting_list`, with the columns the start page shows:
    the candidate's name and the days waited. One statement: the ORM took longer to build
    it than PostgreSQL to run it (issue 24)."""
    sql = _WAITING_FIRST_SQL.format(
        referral=Referral._meta.db_table, candidate=Candidate._meta.db_table
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"waiting": Referral.Status.VENTER, "limit": limit})
        rows = cursor.fetchall()
    return [
        Waiting(pk=pk, candidate_id=candidate_id, name=name, waited_days=(today - day).days)
        for pk, candidate_id, name, day in rows
    ]


def waiting_list_shown(queryset: QuerySet) -> QuerySet:
    """`waiting_list` (filtered) narrowed to what the waiting list's page shows, as rows of
    plain values (no model instances: 50 referrals with their deferred candidates cost more
    to build than the page's statement, issue 24): the referral's id, date, days waited and
    wishes, the candidate's id, name, masked CPR (birth date and index,
    Candidate.cpr_masked_of) and wishes. Not the export, which shows the reason too."""
    return queryset.select_related(None).values_list(*WAITING_VALUES, named=True)


# The waiting list page's columns (candidates/rows.py waiting_rows reads them by name).
WAITING_VALUES = (
    "pk",
    "referred_on",
    "waited",
    "wishes",
    "candidate_id",
    "candidate__name",
    "candidate__birth_date",
    "candidate__cpr_hmac",
    "candidate__wishes",
)


def referrals_by_user(*, user) -> QuerySet:
    """The user's referrals with what the sagsbehandler's start page shows of them: the
    person's name, the day, the status and the centre of the course (no CPR read)."""
    return (
        Referral.objects.filter(created_by=user)
        .select_related("candidate", "course__contract__centre")
        .only(
            "referred_on",
            "status",
            "candidate__name",
            "course__contract__centre__name",
        )
        .order_by("-referred_on", "-id")
    )


# --- Visitation: centres ranked by fit ------------------------------------------------------
# The ranking is a rule (candidates.rules.visitation_fit, visitation_order); these reads
# gather its inputs from the contracts.


def contract_tasks(contract) -> list[str]:
    """The centre's work tasks plus those written into the contract (comma/line separated)."""
    tasks = list(contract.centre.work_tasks or [])
    for part in re.split(r"[,;\n]", contract.work_tasks or ""):
        part = part.strip()
        if part and part.lower() not in {t.lower() for t in tasks}:
            tasks.append(part)
    return tasks


@dataclass
class Fit:
    """One contract's centre and how it fits one candidate (rules.Verdict)."""

    contract: "Contract"
    verdict: rules.Verdict

    @property
    def centre(self):
        return self.contract.centre

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.verdict.reasons

    @property
    def excluded(self) -> str:
        return self.verdict.excluded

    @property
    def blocked(self) -> bool:
        return bool(self.verdict.excluded)

    @property
    def start_on(self) -> date | None:
        return self.verdict.start_on

    @property
    def can_start_now(self) -> bool:
        """A course can be booked here: a place is free now or frees within SOON_DAYS."""
        return self.verdict.bookable


def places_freeing_soon(*, contract_ids, today: date) -> dict[int, tuple[int, date]]:
    """Per contract: the places whose running course is planned to end within SOON_DAYS
    (they free the day after; contracts.rules.occupies) with no course booked after it, and
    the first day one frees. The same courses as contracts_with_capacity's `ending_soon`,
    less the overdue ones and those with a successor booked. One query."""
    soon = today + timedelta(days=SOON_DAYS)
    booked_after = Course.objects.filter(place=OuterRef("place"), start__gt=OuterRef("start"))
    rows = (
        Course.objects.filter(
            contract_id__in=list(contract_ids),
            end__isnull=True,
            planned_end__gte=today,
            planned_end__lte=soon,
        )
        .filter(planned_end__lt=F("contract__end"), place__number__lte=F("contract__places"))
        .exclude(Exists(booked_after))
        .order_by()
        .values("contract_id")
        .annotate(n=Count("place_id", distinct=True), first=Min("planned_end"))
    )
    return {r["contract_id"]: (r["n"], r["first"] + timedelta(days=1)) for r in rows}


def _offer(contract, *, today: date, soon: dict) -> rules.Offer:
    """The rule's view of one contract (with contracts_with_capacity's `busy`)."""
    free = rules.free_places(places=contract.places, busy=contract.busy)
    if contract.start > today:  # starts within SOON_DAYS: its places free on its first day
        free_now, free_soon, frees_on = 0, free, contract.start
    else:
        free_now = free
        free_soon, frees_on = soon.get(contract.pk, (0, None))
    return rules.Offer(
        tasks=tuple(contract_tasks(contract)),
        age_min=contract.target_age_min,
        age_max=contract.target_age_max,
        barriers=tuple(contract.target_barriers or ()),
        clean_record=contract.centre.requires_clean_record,
        free_now=free_now,
        free_soon=free_soon,
        frees_on=frees_on,
    )


def _seeker(candidate, *, wishes: str, today: date) -> rules.Seeker:
    return rules.Seeker(
        age=candidate.age_on(today), barriers=tuple(candidate.barriers or ()), wishes=wishes
    )


def centres_ranked_for_referral(*, referral, today: date) -> list[Fit]:
    """Every contract with room now or soon, best fit first, excluded ones last
    (rules.visitation_order). Two queries."""
    contracts = list(contracts_with_capacity(today=today))
    soon = places_freeing_soon(contract_ids=[c.pk for c in contracts], today=today)
    seeker = _seeker(
        referral.candidate, wishes=referral.wishes or referral.candidate.wishes, today=today
    )
    fits = [
        Fit(
            contract=c,
            verdict=rules.visitation_fit(
                seeker=seeker, offer=_offer(c, today=today, soon=soon), today=today
            ),
        )
        for c in contracts
    ]
    return sorted(fits, key=lambda f: rules.visitation_order(f.verdict, f.centre.name))


def waiting_list_for_contract(*, contract, today: date) -> list[tuple]:
    """The venteliste seen from one contract (to refill a place): (referral, fit) pairs,
    the fitting ones first and then the longest waiting. Three queries."""
    if not hasattr(contract, "busy"):
        contract = contracts_with_capacity(today=today).filter(pk=contract.pk).first() or contract
    if not hasattr(contract, "busy"):  # not running now or soon: nothing to fill
        contract.busy = contract.places
    offer = _offer(
        contract, today=today, soon=places_freeing_soon(contract_ids=[contract.pk], today=today)
    )
    pairs = [
        (
            r,
            Fit(
                contract=contract,
                verdict=rules.visitation_fit(
                    seeker=_seeker(r.candidate, wishes=r.wishes or r.candidate.wishes, today=today),
                    offer=offer,
                    today=today,
                ),
            ),
        )
        for r in waiting_list(today=today)
    ]
    return sorted(
        pairs, key=lambda p: rules.visitation_order(p[1].verdict, "") + (p[0].referred_on,)
    )


# --- Courses ------------------------------------------------------------------------------


def courses_for_list(*, today: date) -> QuerySet:
    """Courses with candidate, centre and the hours valid today, one query."""
    # The candidate's CPR number stays encrypted: a list shows it masked (cpr_masked).
    return (
        Course.objects.select_related("candidate", "contract__centre__consultant", "place")
        .defer("candidate__cpr")
        .annotate(
            hours_now=Subquery(
                CourseHours.objects.filter(course=OuterRef("pk"), valid_from__lte=today)
                .order_by("-valid_from")
                .values("hours_per_week")[:1]
            ),
        )
    )


def course_detail(*, pk: int):
    """One course with everything its page shows, in a fixed number of queries."""
    return (
        Course.objects.select_related(
            "candidate", "contract__centre__consultant", "contract__centre__company", "place"
        )
        .prefetch_related(
            "hours",
            "extensions__created_by",
            "notes__created_by",
            Prefetch(
                "goal_set",
                queryset=Goal.objects.filter(parent__isnull=True).prefetch_related("sub_goals"),
                to_attr="main_goals",
            ),
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class CandidateOverview:
    candidate: object
    referrals: list
    courses: list
    attendance: dict
    history: list
    target_group_changes: list


def _overview_query(pk: int) -> QuerySet:
    of_course = {"course": OuterRef("pk")}
    return Candidate.objects.filter(pk=pk).values(
        candidate=columns(Candidate, exclude=Candidate.LIST_DEFERRED),
        referral_rows=rows_array(
            Referral.objects.filter(candidate=OuterRef("pk")).order_by("-referred_on", "-id"),
            user=user_of("created_by"),
        ),
        change_rows=rows_array(
            TargetGroupChange.objects.filter(candidate=OuterRef("pk")).order_by(
                "-valid_from", "-id"
            ),
            user=user_of("created_by"),
        ),
        course_rows=rows_array(
            Course.objects.filter(candidate=OuterRef("pk")).order_by("-start", "-id"),
            centre=JSONObject(id=F("contract__centre_id"), name=F("contract__centre__name")),
            place_number=F("place__number"),
            hour_rows=rows_array(CourseHours.objects.filter(**of_course).order_by("valid_from")),
            extension_rows=rows_array(
                Extension.objects.filter(**of_course).order_by("created_at", "id")
            ),
            note_rows=rows_array(
                FollowUpNote.objects.filter(**of_course).order_by("-date", "-id"),
                user=user_of("created_by"),
            ),
            goal_rows=rows_array(Goal.objects.filter(**of_course).order_by("parent_id", "id")),
        ),
    )


_overview_row = compiled_by_id(_overview_query)


def candidate_overview(*, pk: int, history_limit: int = 100) -> CandidateOverview | None:
    """Everything about one person (None: no such person) for the candidate page and its
    print view, in three queries whatever the number of courses, notes or goals: the
    person, their referrals, target-group changes and courses with their hours,
    extensions, notes and goals in one (documents/nested.py: a query per kind of row was
    most of the page, issue 24), the history and the attendance (the mentors app's
    reader).

    `history` is the changes made to the person's record (who did what, newest first), not
    the reads: every opening of the page is logged as a read, and a person seen often would
    have their changes pushed off the page by their own page views. The reads are the
    access log's (audit.selectors.access_log_for_candidate, the audit pages)."""
    try:
        row = _overview_row(pk)
    except LookupError:
        return None
    # Without the encrypted number: the page shows it masked (Candidate.cpr_masked).
    candidate = instance(Candidate, row["candidate"], exclude=Candidate.LIST_DEFERRED)
    referrals = [_with_user(instance(Referral, r), r) for r in row["referral_rows"]]
    changes = [_with_user(instance(TargetGroupChange, r), r) for r in row["change_rows"]]
    courses: list = [_overview_course(r) for r in row["course_rows"]]  # with the shown rows
    ids = {
        "candidates.candidate": [candidate.pk],
        "candidates.referral": [r.pk for r in referrals],
        "candidates.course": [c.pk for c in courses],
        "candidates.followupnote": [n.pk for c in courses for n in c.note_list],
        "candidates.goal": [
            g.pk for c in courses for m in c.main_goals for g in (m, *m.sub_goal_list)
        ],
    }
    who = Q()
    for object_type, pks in ids.items():
        if pks:
            who |= Q(object_type=object_type, object_id__in=[str(pk) for pk in pks])
    history = list(
        AuditEvent.objects.filter(who, is_access=False)
        .select_related("actor")
        .order_by("-at")[:history_limit]
    )
    attendance = attendance_readers.summary(course_ids=[c.pk for c in courses])
    for course in courses:
        course.attendance_rows = attendance.get(course.pk, [])
    return CandidateOverview(
        candidate=candidate,
        referrals=referrals,
        courses=courses,
        attendance=attendance,
        history=history,
        target_group_changes=changes,
    )


def _with_user(obj, row: dict):
    obj.created_by = user_instance(row["user"])
    return obj


def _overview_course(row: dict) -> Course:
    """A course of candidate_overview's query with what the page shows of it: centre,
    place, `hour_list`, `extension_list`, `note_list` and `main_goals` (each with its
    `sub_goal_list`)."""
    course = instance(Course, row)
    centre = Centre.from_db(DB, ["id", "name"], [row["centre"]["id"], row["centre"]["name"]])
    course.contract = Contract.from_db(DB, ["id", "centre_id"], [course.contract_id, centre.pk])
    course.contract.centre = centre
    if course.place_id is not None:
        course.place = Place.from_db(DB, ["id", "number"], [course.place_id, row["place_number"]])
    course.hour_list = [instance(CourseHours, h) for h in row["hour_rows"]]
    course.extension_list = [instance(Extension, e) for e in row["extension_rows"]]
    course.note_list = [_with_user(instance(FollowUpNote, n), n) for n in row["note_rows"]]
    goals = [instance(Goal, g) for g in row["goal_rows"]]
    subs: dict[int, list] = {}
    for goal in goals:
        goal.sub_goal_list = subs.setdefault(goal.pk, [])
    course.main_goals = []
    for goal in goals:
        if goal.parent_id is None:
            course.main_goals.append(goal)
        else:
            subs.setdefault(goal.parent_id, []).append(goal)
    return course


# --- Opfølgning: the due list (candidates/due.py) -----------------------------------------
