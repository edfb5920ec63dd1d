"""The due list (opfølgning): what a jobkonsulent must act on, soonest first.

One SQL statement selects every due item of the jobcentre (or of one consultant's centres),
orders them and returns one page of them with the list's size: the due list of all
centres holds thousands of items at Copenhagen's scale and a page shows 50 (issue 24), so
Python builds a DueItem, its text and its rules only for the rows shown.

The rules stay in candidates/rules.py: the SQL takes their numbers as parameters
(NOTE_INTERVAL_DAYS, EXTENSION_WARNING_DAYS, FOLLOW_UP_WEEKS, follow_up_end_window), and
the text of a row (can_be_extended, weeks_passed, follow_up_due_on) is the rules' own.
tests/candidates/test_due_list.py checks the SQL's dates against the rules' functions.
"""

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection

from centers.models import Centre
from contracts.models import Contract
from documents.rows import day_text, url_of

from . import rules
from .attendance import readers as attendance_readers
from .models import Candidate, Course

# The kinds in the order a course's items of one day are listed.
KINDS = ("note", "extension", "attendance", "follow_up")


@dataclass
class DueItem:
    course: Course  # the columns of _DUE_COLUMNS only
    candidate_name: str
    centre_name: str
    kind: str  # one of KINDS
    due: date
    text: str
    weeks: int | None = None
    # The row as the table shows it, made once here: a {% url %} and a |date per row of a
    # 50-row table cost more than the page's query (issue 24's profile).
    url: str = ""
    due_shown: str = ""


# The course's columns the rows' texts read (their rules), no more: whole rows (timestamps,
# an encrypted CPR number) cost more than the page.
_DUE_COLUMNS = (
    "id",
    "candidate_id",
    "contract_id",
    "start",
    "planned_end",
    "end",
    "legal_frame",
    "target_group",
    "rules_version",
    *(f"self_supporting_{weeks}w" for weeks in rules.FOLLOW_UP_WEEKS),
)
# In the model's field order, as Model.from_db takes them.
_COURSE_FIELDS = [f for f in Course._meta.concrete_fields if f.attname in _DUE_COLUMNS]


def _tables() -> dict[str, str]:
    return {
        name: model._meta.db_table
        for name, model in (
            ("course", Course),
            ("candidate", Candidate),
            ("contract", Contract),
            ("centre", Centre),
        )
    }


# The kinds' SELECTs: one row per due item (course_id, candidate_id, kind, due, weeks, since,
# reason). The running courses of the scope are read once (the CTE "running", below) for
# the three kinds about running courses; {scope} limits the ended courses to the
# consultant's centres (or is "").
# (A course's latest note is its last_note_on, kept by the notes' trigger: a lookup of
# the notes per running course was half of the statement, issue 24.)
_NOTE_SQL = """
    SELECT r.id AS course_id, r.candidate_id, {kind} AS kind,
           COALESCE(r.last_note_on, r.start) + %(note_days)s AS due, 0 AS weeks,
           COALESCE(r.last_note_on, r.start) AS since, NULL::text AS reason
    FROM running r
    WHERE COALESCE(r.last_note_on, r.start) <= %(stale)s
"""
_EXTENSION_SQL = """
    SELECT r.id, r.candidate_id, {kind}, r.planned_end, 0, NULL, NULL
    FROM running r WHERE r.planned_end <= %(horizon)s
"""
_ATTENDANCE_SQL = """
    SELECT r.id, r.candidate_id, {kind}, fl.date, 0, NULL, fl.reason
    FROM running r JOIN ({flags}) fl ON fl.course_id = r.id
"""
_FOLLOW_UP_SQL = """
    SELECT c.id, c.candidate_id, {kind}, c."end" + %(days{weeks})s, {weeks}, NULL, NULL
    FROM {course} c
    WHERE c."end" BETWEEN %(from{weeks})s AND %(to{weeks})s
      AND c.self_supporting_{weeks}w IS NULL{scope}
"""
# The consultant's contracts, read once (a subquery per kind planned and ran it six times).
_SCOPE_CTE = """
    scope AS MATERIALIZED (SELECT k.id FROM {contract} k JOIN {centre} ce ON ce.id = k.centre_id
                           WHERE ce.consultant_id = %(consultant)s),"""
_SCOPE = " AND c.contract_id IN (SELECT s.id FROM scope s)"
_RUNNING_CTE = """
    running AS MATERIALIZED (
        SELECT c.id, c.candidate_id, c.start, c.planned_end, c.last_note_on FROM {course} c
        WHERE c."end" IS NULL AND c.start <= %(today)s{scope}),"""
_ORDER = "due, candidate_name, course_id, kind, weeks"
_PAGE_ORDER = _ORDER.replace("course_id", "id")  # the page's rows carry the course's own id
# The due items, their count and one page of them with the page's own columns. The
# candidate's name orders the items of one day: it is looked up for the days of the page
# only (`cut`: the first and last day of the page, and how many items come before its first
# day), the centre and the course are joined for the page's rows only.
_PAGE_SQL = """
    WITH {ctes}
    due AS ({due}),
    cut AS (
        SELECT min(x.due) AS first, max(x.due) AS last FROM (
            SELECT d.due FROM due d ORDER BY d.due LIMIT %(limit)s OFFSET %(offset)s
        ) x
    ),
    ordered AS (
        -- a lookup per item: a join would hash every candidate of the jobcentre
        SELECT d.*, (SELECT p.name FROM {candidate} p WHERE p.id = d.candidate_id) AS candidate_name
        FROM due d, cut WHERE d.due BETWEEN cut.first AND cut.last
    )
    SELECT t.total, r.* FROM (SELECT count(*) AS total FROM due) t
    LEFT JOIN LATERAL (
        SELECT o.kind, o.due, o.weeks, o.since, o.reason, o.candidate_name,
               ce.name AS centre_name, {columns}
        FROM (
            SELECT * FROM ordered ORDER BY {order} LIMIT %(limit)s
            OFFSET %(offset)s - (SELECT count(*) FROM due d, cut WHERE d.due < cut.first)
        ) o
        JOIN {course} c ON c.id = o.course_id
        JOIN {contract} k ON k.id = c.contract_id
        JOIN {centre} ce ON ce.id = k.centre_id
    ) r ON true
    ORDER BY {page_order}
"""
# The list's size and its overdue follow-ups, no row built (the caseload's tiles).
_COUNT_SQL = """
    WITH {ctes}
    due AS ({due})
    SELECT count(*), count(*) FILTER (WHERE kind = %(follow_up)s AND due < %(today)s) FROM due
"""


def _due_sql(*, today: date, consultant) -> tuple[str, str, dict[str, Any]]:
    """The due items' CTEs (the scope, the running courses), their SELECTs joined by
    UNION ALL, and their parameters (the rules' numbers)."""
    tables = _tables()
    params: dict[str, Any] = {
        "today": today,
        "stale": today - timedelta(days=rules.NOTE_INTERVAL_DAYS),
        "note_days": rules.NOTE_INTERVAL_DAYS,
        "horizon": today + timedelta(days=rules.EXTENSION_WARNING_DAYS),
    }
    scope = ctes = ""
    if consultant is not None:
        params["consultant"] = consultant.pk
        scope = _SCOPE
        ctes = _SCOPE_CTE.format(**tables)
    ctes += _RUNNING_CTE.format(scope=scope, **tables)
    kind = {k: i for i, k in enumerate(KINDS)}
    parts = [
        _NOTE_SQL.format(kind=kind["note"], **tables),
        _EXTENSION_SQL.format(kind=kind["extension"]),
    ]
    flags = _flags_sql(attendance_readers.open_flags)
    if flags is not None:
        flags_sql, flags_params = flags
        params |= flags_params
        parts.append(_ATTENDANCE_SQL.format(kind=kind["attendance"], flags=flags_sql))
    for weeks in rules.FOLLOW_UP_WEEKS:
        first, last = rules.follow_up_end_window(weeks=weeks, today=today)
        params |= {f"from{weeks}": first, f"to{weeks}": last, f"days{weeks}": weeks * 7}
        parts.append(
            _FOLLOW_UP_SQL.format(kind=kind["follow_up"], weeks=weeks, scope=scope, **tables)
        )
    return ctes, " UNION ALL ".join(parts), params


@functools.cache
def _flags_sql(open_flags) -> tuple[str, dict[str, Any]] | None:
    """The open attendance flags' subquery (the mentors app's reader, which takes no
    arguments), compiled once per process: compiling it was a twentieth of the due list's
    request (issue 24). Its own placeholders are positional: named like the others."""
    flags = open_flags()
    if flags is None:
        return None
    sql, params = flags.query.sql_with_params()
    named = {f"flag{i}": value for i, value in enumerate(params)}
    return sql % tuple(f"%(flag{i})s" for i in range(len(params))), named


def due_items_page(
    *, today: date, consultant=None, first: int = 0, size: int | None = None
) -> tuple[list[DueItem], int]:
    """Rows first..first+size of the due list (all of them when size is None), soonest
    first (then by candidate, course and kind), and the list's size. One query.

    The items: running courses without a follow-up note for NOTE_INTERVAL_DAYS; running
    courses reaching their planned end (13/26 weeks) within EXTENSION_WARNING_DAYS; running
    courses whose attendance a mentor flagged (the first open flag); follow-ups 4, 13 and 26
    weeks after a course that have fallen due and are not recorded (FOLLOW_UP_VISIBLE_DAYS).
    """
    ctes, due, params = _due_sql(today=today, consultant=consultant)
    columns = ", ".join(f'c."{f.column}"' for f in _COURSE_FIELDS)
    sql = _PAGE_SQL.format(
        ctes=ctes, due=due, columns=columns, order=_ORDER, page_order=_PAGE_ORDER, **_tables()
    )
    params |= {"limit": size, "offset": first}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = rows[0][0] if rows else 0
    names = [f.attname for f in _COURSE_FIELDS]
    course_url = url_of("candidates:course")
    alias = connection.alias  # through the connection proxy once, not once a row
    items = [
        _item(
            Course.from_db(alias, names, row[8:]),
            kind=KINDS[row[1]],
            due=row[2],
            weeks=row[3],
            since=row[4],
            reason=row[5],
            candidate_name=row[6],
            centre_name=row[7],
            today=today,
            course_url=course_url,
        )
        for row in rows
        if row[1] is not None  # the count's row of an empty page
    ]
    return items, total


def courses_due_for_follow_up(*, today: date, consultant=None) -> list[DueItem]:
    """The whole due list; a page reads due_items_page, a count due_items_count."""
    return due_items_page(today=today, consultant=consultant)[0]


@dataclass(frozen=True)
class DueCount:
    total: int  # the items of the due list
    overdue_follow_ups: int  # follow-ups after a course whose day has passed


def due_items_count(*, today: date, consultant=None) -> DueCount:
    """The due list's size and its overdue follow-ups, counted by the list's own SQL
    (the caseload shows the two numbers, not the rows). One query."""
    ctes, due, params = _due_sql(today=today, consultant=consultant)
    params["follow_up"] = KINDS.index("follow_up")
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL.format(ctes=ctes, due=due), params)
        total, overdue = cursor.fetchone()
    return DueCount(total=total, overdue_follow_ups=overdue)


def _item(course: Course, *, kind: str, due: date, weeks: int, since, reason, **names) -> DueItem:
    """One row's DueItem with its text, by the rules of its kind."""
    today, course_url = names.pop("today"), names.pop("course_url")
    if kind == "note":
        text = f"Ingen opfølgning siden {since:%d.%m.%Y}"
    elif kind == "extension":
        # The course's own limits (its target group and rules version): a 4-week group at
        # its 4 weeks cannot be extended, so the decision left is the udslusning.
        extendable = rules.can_be_extended(
            start=course.start, planned_end=course.planned_end, limits=course.limits
        )
        decision = (
            "beslut forlængelse eller udslusning"
            if extendable
            else "målgruppen kan ikke forlænges: beslut udslusning"
        )
        if course.planned_end < today:
            text = f"Planlagt slut {course.planned_end:%d.%m.%Y} er overskredet: {decision}"
        else:
            passed = rules.weeks_passed(start=course.start, planned_end=course.planned_end)
            text = f"Passerer {passed} uger den {course.planned_end:%d.%m.%Y}: {decision}"
    elif kind == "attendance":
        text = f"Fremmødeproblem: {reason}"
    else:
        text = f"Opfølgning {weeks} uger efter forløbet: selvforsørgende?"
    return DueItem(
        course=course,
        kind=kind,
        due=due,
        text=text,
        weeks=weeks if kind == "follow_up" else None,
        url=course_url(course.pk),
        due_shown=day_text(due),
        **names,
    )
