"""Reads for the mentor's pages and the attendance statistics.

A mentor reads only courses placed in the mentor's own centres, and of the candidate only
the name: every query here selects the candidate's name and nothing else of the candidate.
Each read is a fixed number of queries whatever the number of candidates or days.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, TruncWeek

from audit.models import AuditEvent
from candidates.models import Course, CourseHours
from centers.models import Centre
from codes import clock

from . import rules
from .models import (
    Attendance,
    AttendanceFlag,
    AttendanceStatus,
    Mentor,
    MentorSettings,
    ProgressNote,
)

WORKDAYS_PER_WEEK = 5
STATS_RECENT_WEEKS = 4
CHART_WEEKS = 8
# Agreed absence (holiday, appointments) is agreed: it does not lower the attendance rate.
COUNTED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.SICK, AttendanceStatus.ABSENT)


def week_start(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def mentor_for_user(user) -> Mentor | None:
    """The user's mentor profile, or None (a mentor without one sees no candidates)."""
    return Mentor.objects.filter(user=user).select_related("company").first()


def centres_for_mentor(user) -> QuerySet[Centre]:
    return Centre.objects.filter(mentors__user=user).order_by("name")


def courses_for_mentor(user, *, today: date | None = None) -> QuerySet[Course]:
    """The courses placed in one of the mentor's centres that are running or ended within
    the jobcentre's N weeks (mentors.rules.course_visible_to_mentor; N from MentorSettings,
    read in the same query): the scope of all mentor reads."""
    # The setting read as a fixed SQL text, not as a Subquery: resolving a Subquery copies
    # and relabels its whole inner query at every filter() (a fifth of an attendance save's
    # view, issue 24). No outside value goes into it: the table name is the model's.
    weeks = RawSQL(  # noqa: S611
        f"SELECT ended_course_weeks FROM {MentorSettings._meta.db_table} "  # noqa: S608
        "WHERE singleton LIMIT 1",
        (),
        output_field=IntegerField(),
    )
    # The SQL twin of rules.ended_visible_since: today - 7 x N days (date - integer).
    since = ExpressionWrapper(
        Value(today or clock.today(), output_field=DateField())
        - Coalesce(weeks, Value(rules.DEFAULT_ENDED_COURSE_WEEKS)) * Value(rules.DAYS_PER_WEEK),
        output_field=DateField(),
    )
    return Course.objects.filter(
        Q(end__isnull=True) | Q(end__gte=since), contract__centre__mentors__user=user
    )


def courses_placed(courses: QuerySet[Course], *, first: date, last: date) -> QuerySet[Course]:
    """Courses whose candidate is placed on at least one day from `first` to `last`."""
    return courses.filter(Course.occupying_q(first, last))


def _with_names_only(courses: QuerySet[Course]) -> QuerySet[Course]:
    """The course with the candidate's name and centre: never CPR, benefit or barriers."""
    return courses.select_related("candidate", "contract__centre").only(
        "id",
        "start",
        "end",
        "planned_end",
        "goals",
        "candidate__name",
        "contract__centre__id",
        "contract__centre__name",
        "contract__centre__work_tasks",
        "contract__centre__consultant_id",
    )


def weekly_hours_by_course(course_ids) -> dict[int, list[tuple[date, Decimal]]]:
    """Each course's weekly-hours steps (valid_from, hours), oldest first, in one query."""
    steps: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(_HOURS_SQL, [list(course_ids)])
        for course_id, valid_from, hours in cursor:
            steps[course_id].append((valid_from, hours))
    return steps


# Plain statements over a list of course ids the caller has scoped (issue 24: compiling an
# IN list of 48 ids was a tenth of the mentor's day page).
_HOURS_SQL = (
    f"SELECT course_id, valid_from, hours_per_week FROM {CourseHours._meta.db_table}"  # noqa: S608
    " WHERE course_id = ANY(%s) ORDER BY course_id, valid_from"
)
_RECORDED_SQL = (
    f"SELECT course_id, date, status, hours FROM {Attendance._meta.db_table}"  # noqa: S608
    " WHERE course_id = ANY(%s) AND date = ANY(%s)"
)


def hours_per_week_on(steps: list[tuple[date, Decimal]], day: date) -> Decimal:
    """The weekly hours in force on `day` (the first step if `day` is before all of them)."""
    current = steps[0][1] if steps else Decimal(0)
    for valid_from, hours in steps:
        if valid_from <= day:
            current = hours
    return current


def day_hours(weekly: Decimal) -> Decimal:
    """The prefilled hours of a day: the weekly hours spread over five working days."""
    return (weekly / WORKDAYS_PER_WEEK).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class AttendanceRow:
    """One candidate on one day, as the attendance buttons show it."""

    course_id: int
    candidate_name: str
    centre_name: str
    day: date
    planned_hours: Decimal
    status: str | None = None
    hours: Decimal | None = None
    saved: bool = False
    error: str = ""
    # Who saved the stored state and when (the row after a save shows it).
    recorded_by: object = None
    recorded_at: datetime | None = None
    # Another person's entry this save replaced (mentors.models.ReplacedEntry), if any.
    replaced: object = None
    # Whose row it is, for the page's read in the audit log (audit/reads.py).
    candidate_id: int | None = None
    # The row's links, set by the view from one reverse() per page (mentors.views.row_links).
    save_url: str = ""
    course_url: str = ""

    @property
    def dom_id(self) -> str:
        """The row's element id: the page's script finds a waiting tap's row by it."""
        return f"att-{self.course_id}-{self.day:%Y%m%d}"

    @property
    def hours_value(self) -> Decimal:
        """What the hours field shows: the recorded hours, else the planned ones."""
        if self.status == AttendanceStatus.PRESENT and self.hours:
            return self.hours
        return self.planned_hours

    @property
    def status_label(self) -> str:
        return str(AttendanceStatus(self.status).label) if self.status else ""


def attendance_rows(courses: QuerySet[Course], *, days: list[date]) -> dict[date, list]:
    """Rows per day for every course placed on that day, in three queries.

    `courses` is already scoped to what the user may see (a mentor's centres). The rows
    read only the columns they show (no course goals or centre work tasks: a day page has
    48 rows at Copenhagen scale, issue 24).
    """
    if not days:
        return {}
    placed = list(
        courses_placed(courses, first=min(days), last=max(days))
        .order_by("candidate__name", "id")
        .values_list(
            "id", "start", "end", "candidate_id", "candidate__name", "contract__centre__name"
        )
    )
    ids = [course_id for course_id, *_rest in placed]
    steps = weekly_hours_by_course(ids)
    with connection.cursor() as cursor:
        cursor.execute(_RECORDED_SQL, [ids, list(days)])
        recorded = {(course_id, day): (status, hours) for course_id, day, status, hours in cursor}
    # A course whose weekly hours never changed plans the same hours every day: worked out
    # once, not once a day (the week has 7 x 48 rows at Copenhagen scale).
    same_every_day = {
        course_id: day_hours(hours_per_week_on(steps.get(course_id, []), days[0]))
        for course_id in ids
        if len(steps.get(course_id, [])) <= 1
    }
    result: dict[date, list[AttendanceRow]] = {}
    for day in sorted(days):
        rows = []
        for course_id, start, end, candidate_id, name, centre_name in placed:
            if not (start <= day and (end is None or day <= end)):
                continue
            status, hours = recorded.get((course_id, day), (None, None))
            planned = same_every_day.get(course_id)
            if planned is None:
                planned = day_hours(hours_per_week_on(steps[course_id], day))
            rows.append(
                AttendanceRow(
                    course_id=course_id,
                    candidate_name=name,
                    centre_name=centre_name,
                    day=day,
                    planned_hours=planned,
                    status=status,
                    hours=hours,
                    candidate_id=candidate_id,
                )
            )
        result[day] = rows
    return result


def attendance_stored(course: Course, *, day: date) -> Attendance | None:
    """The day's row as PostgreSQL holds it now, with who saved it (one query)."""
    return Attendance.objects.select_related("recorded_by").filter(course=course, date=day).first()


def attendance_row(course: Course, *, day: date, attendance: Attendance | None) -> AttendanceRow:
    """The row of one (loaded) course on one day, after saving it: one query."""
    return AttendanceRow(
        course_id=course.pk,
        candidate_name=course.candidate.name,
        centre_name=course.contract.centre.name,
        day=day,
        planned_hours=day_hours(
            hours_per_week_on(weekly_hours_by_course([course.pk])[course.pk], day)
        ),
        status=attendance.status if attendance else None,
        hours=attendance.hours if attendance else None,
        recorded_by=attendance.recorded_by if attendance else None,
        recorded_at=attendance.recorded_at if attendance else None,
        candidate_id=course.candidate_id,
    )


@dataclass
class WeekGrid:
    days: list[date]
    # (course_id, candidate name, [AttendanceRow | None per day])
    rows: list[tuple[int, str, list]] = field(default_factory=list)


def week_grid(courses: QuerySet[Course], *, monday: date) -> WeekGrid:
    """A candidates x days overview of one week (Monday to Sunday), in three queries."""
    days = [monday + timedelta(days=i) for i in range(7)]
    per_day = attendance_rows(courses, days=days)
    by_course: dict[int, dict] = {}
    names: dict[int, str] = {}
    for day, rows in per_day.items():
        for row in rows:
            by_course.setdefault(row.course_id, {})[day] = row
            names[row.course_id] = row.candidate_name
    # A weekend column only when someone worked or was registered then: keeps a phone narrow.
    shown = [
        d for d in days if d.isoweekday() <= 5 or any(row.status for row in per_day.get(d, []))
    ]
    grid = WeekGrid(days=shown)
    for course_id in sorted(by_course, key=lambda cid: (names[cid], cid)):
        grid.rows.append(
            (course_id, names[course_id], [by_course[course_id].get(d) for d in shown])
        )
    return grid


# --- statistics ---------------------------------------------------------------------------


def _rate(present: int, counted: int) -> float | None:
    return round(100 * present / counted, 1) if counted else None


def _status_counts(prefix: str = "", extra: Q | None = None) -> dict:
    """Conditional counts per status (and hours) for annotate()/aggregate()."""
    extra = extra or Q()
    counts: dict[str, Aggregate] = {}
    for status in AttendanceStatus:
        counts[f"n_{status.value}"] = Count(
            f"{prefix}pk", filter=Q(**{f"{prefix}status": status.value}) & extra
        )
    counts["sum_hours"] = Sum(f"{prefix}hours", filter=extra, default=Decimal(0))
    return counts


@dataclass
class AttendanceSummary:
    """Attendance of a course or a centre: counts per status, rates and hours."""

    by_status: dict[str, int]
    recent_by_status: dict[str, int]
    hours: Decimal
    recent_hours: Decimal

    @staticmethod
    def _counted(counts: dict[str, int]) -> int:
        return sum(counts.get(s.value, 0) for s in COUNTED_STATUSES)

    @property
    def rate(self) -> float | None:
        return _rate(self.by_status.get("present", 0), self._counted(self.by_status))

    @property
    def recent_rate(self) -> float | None:
        return _rate(self.recent_by_status.get("present", 0), self._counted(self.recent_by_status))

    @property
    def absence(self) -> list[tuple[str, int, int]]:
        """(label, whole period, last 4 weeks) per kind of absence."""
        return [
            (str(s.label), self.by_status.get(s.value, 0), self.recent_by_status.get(s.value, 0))
            for s in AttendanceStatus
            if s != AttendanceStatus.PRESENT
        ]


def _summary_from(values: dict) -> AttendanceSummary:
    return AttendanceSummary(
        by_status={s.value: values[f"n_{s.value}"] for s in AttendanceStatus},
        recent_by_status={s.value: values[f"r_n_{s.value}"] for s in AttendanceStatus},
        hours=values["sum_hours"],
        recent_hours=values["r_sum_hours"],
    )


def _summary_aggregates(since: date) -> dict:
    recent = Q(date__gte=since)
    whole = _status_counts()
    last = {f"r_{k}": v for k, v in _status_counts(extra=recent).items()}
    return {**whole, **last}


def recent_since(today: date) -> date:
    return today - timedelta(weeks=STATS_RECENT_WEEKS) + timedelta(days=1)


@dataclass
class WeekHours:
    monday: date
    hours: Decimal
    planned: Decimal
    rate: float | None


def _weekly(attendance: QuerySet[Attendance], first_monday: date) -> dict[date, Mapping]:
    rows = (
        attendance.filter(date__gte=first_monday)
        .annotate(week=TruncWeek("date"))
        .values("week")
        .annotate(
            week_hours=Sum("hours", default=Decimal(0)),
            present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
            counted=Count("pk", filter=Q(status__in=COUNTED_STATUSES)),
        )
    )
    weekly: dict[date, Mapping] = {}
    for row in rows:
        week = row["week"]
        if isinstance(week, datetime):
            week = week.date()
        weekly[week] = row
    return weekly


def _weeks_ending(today: date, count: int) -> list[date]:
    last = week_start(today)
    return [last - timedelta(weeks=count - 1 - i) for i in range(count)]


@dataclass
class CourseStats:
    course: Course
    summary: AttendanceSummary
    weeks: list[WeekHours]


def course_stats(course: Course, *, today: date) -> CourseStats:
    """Attendance statistics of one course, aggregated in PostgreSQL (three queries)."""
    attendance = Attendance.objects.filter(course=course)
    summary = _summary_from(attendance.aggregate(**_summary_aggregates(recent_since(today))))
    mondays = [
        m for m in _weeks_ending(today, CHART_WEEKS) if m + timedelta(days=6) >= course.start
    ]
    if course.end:
        mondays = [m for m in mondays if m <= course.end]
    weekly = _weekly(attendance, mondays[0]) if mondays else {}
    steps = weekly_hours_by_course([course.pk])[course.pk]
    weeks = []
    for monday in mondays:
        row = weekly.get(monday, {})
        weeks.append(
            WeekHours(
                monday=monday,
                hours=row.get("week_hours", Decimal(0)),
                planned=hours_per_week_on(steps, max(monday, course.start)),
                rate=_rate(row.get("present", 0), row.get("counted", 0)),
            )
        )
    return CourseStats(course=course, summary=summary, weeks=weeks)


@dataclass
class CandidateLine:
    course_id: int
    candidate_name: str
    rate: float | None
    recent_rate: float | None
    by_status: dict[str, int]
    hours: Decimal
    is_running: bool
    # Whose line it is, for the page's read in the audit log (audit/reads.py).
    candidate_id: int | None = None


@dataclass
class CentreStats:
    centre: Centre
    summary: AttendanceSummary
    candidates: list[CandidateLine]
    weeks: list[WeekHours]


def centre_stats(centre: Centre, *, today: date) -> CentreStats:
    """Attendance statistics of a centre and of each candidate placed in it in the last
    8 weeks, aggregated in PostgreSQL: a fixed number of queries for any number of rows."""
    since = recent_since(today)
    first_monday = _weeks_ending(today, CHART_WEEKS)[0]
    attendance = Attendance.objects.filter(course__contract__centre=centre)
    summary = _summary_from(attendance.aggregate(**_summary_aggregates(since)))

    courses = _with_names_only(
        courses_placed(
            Course.objects.filter(contract__centre=centre), first=first_monday, last=today
        )
    ).annotate(
        **_status_counts("attendance__"),
        **{
            f"r_{k}": v
            for k, v in _status_counts("attendance__", Q(attendance__date__gte=since)).items()
        },
    )
    candidates = []
    placed = []
    for course in courses.order_by("candidate__name", "id"):
        placed.append(course)
        line_summary = _summary_from(course.__dict__)
        candidates.append(
            CandidateLine(
                course_id=course.pk,
                candidate_name=course.candidate.name,
                rate=line_summary.rate,
                recent_rate=line_summary.recent_rate,
                by_status=line_summary.by_status,
                hours=line_summary.hours,
                is_running=course.end is None or course.end >= today,
                candidate_id=course.candidate_id,
            )
        )
    steps = weekly_hours_by_course([c.pk for c in placed])
    weekly = _weekly(attendance, first_monday)
    weeks = []
    for monday in _weeks_ending(today, CHART_WEEKS):
        sunday = monday + timedelta(days=6)
        planned = sum(
            (
                hours_per_week_on(steps[c.pk], max(monday, c.start))
                for c in placed
                if c.start <= sunday and (c.end is None or c.end >= monday)
            ),
            Decimal(0),
        )
        row = weekly.get(monday, {})
        weeks.append(
            WeekHours(
                monday=monday,
                hours=row.get("week_hours", Decimal(0)),
                planned=planned,
                rate=_rate(row.get("present", 0), row.get("counted", 0)),
            )
        )
    return CentreStats(centre=centre, summary=summary, candidates=candidates, weeks=weeks)


# --- for the jobkonsulent -----------------------------------------------------------------


def attendance_changes(course: Course, *, limit: int = 50) -> QuerySet[AuditEvent]:
    """Who recorded or corrected which day of the course, newest first (the audit log)."""
    ids = (
        Attendance.objects.filter(course=course)
        .annotate(pk_text=Cast("pk", output_field=CharField()))
        .values("pk_text")
    )
    return (
        AuditEvent.objects.filter(object_type="mentors.attendance", object_id__in=ids)
        .select_related("actor")
        .order_by("-at")[:limit]
    )


def progress_notes(course: Course) -> QuerySet[ProgressNote]:
    return ProgressNote.objects.filter(course=course).select_related("written_by")


def open_flags(*, consultant=None) -> QuerySet[AttendanceFlag]:
    """Open attendance flags, the consultant's own centres only when `consultant` is given."""
    flags = AttendanceFlag.objects.filter(resolved_at__isnull=True)
    if consultant is not None:
        flags = flags.filter(course__contract__centre__consultant=consultant)
    return flags.select_related("course__candidate", "course__contract__centre", "raised_by")


def mentor_hours_recent(mentor: Mentor, *, weeks: int = 8):
    return mentor.hours_logged.select_related("centre").order_by("-week_start", "centre__name")[
        :weeks
    ]


# --- Read by the candidate pages and the due list (candidates/attendance.py) ------------


def attendance_summary(*, course_ids) -> dict:
    """Per course: days and hours per attendance status, aggregated in PostgreSQL."""
    summary: dict = {}
    rows = (
        Attendance.objects.filter(course_id__in=list(course_ids))
        .values("course_id", "status")
        .annotate(days=Count("pk"), hours=Sum("hours"))
    )
    labels = dict(Attendance.Status.choices)
    for row in rows:
        summary.setdefault(row["course_id"], []).append(
            {"status": labels.get(row["status"], row["status"]), **row}
        )
    return summary


def attendance_flags_first_open() -> QuerySet:
    """Each course's first open attendance alert (course_id, date, reason), one row a course:
    the due list's SQL reads it as a subquery (candidates/due.py) and keeps the running
    courses it covers."""
    return (
        AttendanceFlag.objects.filter(resolved_at__isnull=True)
        .order_by("course_id", "date", "id")
        .distinct("course_id")
        .values("course_id", "date", "reason")
    )
