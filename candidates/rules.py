"""The rules of a course (forløb), as pure functions of dates and numbers.

Nothing here touches the database: services, selectors, the import, the KPI statement (its
SQL gets the numbers as parameters), templates and the demo generator read the rule here
instead of restating it. docs/RULES.md lists each rule with its source and its test.

Sources: lov om en aktiv beskæftigelsesindsats (LAB, lovbekendtgørelse nr. 280 af 1. marts
2024) kapitel 11, virksomhedspraktik - § 61: up to 13 weeks, after a concrete, individual
assessment extendable to 26 weeks and beyond that 13 weeks at a time; at most 37 hours a
week - and the national trial's concept (docs/DOMAIN.md: "going beyond 13 weeks must be
discussed with the employees' representatives"; follow-up 4, 13 and 26 weeks after).

Days are whole calendar days and both ends of a period count (a course from Monday 3 March
to Sunday 1 June is 91 days, 13 weeks); no rounding happens anywhere except in
`weeks_passed`, which counts started weeks downward (floor) as the due list shows them.
"""

from datetime import date, timedelta
from decimal import Decimal

from codes.lab import EXTENDED_COURSE_WEEKS, NORMAL_COURSE_WEEKS
from codes.lab import MAX_HOURS_PER_WEEK as LEGAL_MAX_HOURS_PER_WEEK
from contracts import rules as place_rules

DAYS_PER_WEEK = 7

# The law's numbers (LAB § 61) live in codes/lab.py. Each limit passed (13, 26 weeks) is an
# extension with its reason and the date the employees' representatives were consulted.
EXTENSION_LIMITS_WEEKS = (NORMAL_COURSE_WEEKS, EXTENDED_COURSE_WEEKS)
# Beyond 26 weeks a course is extended 13 weeks at a time (§ 61, stk. 2): the step the
# extension form suggests.
EXTENSION_STEP_WEEKS = 13
# The numbers the pages state the rule with (course_extend.html).
WEEKS_FOR_PAGES = {"normal": NORMAL_COURSE_WEEKS, "extended": EXTENDED_COURSE_WEEKS}
# 13 weeks as days, inclusive of both ends: the KPI statement's SQL gets this as a parameter.
NORMAL_COURSE_DAYS = NORMAL_COURSE_WEEKS * DAYS_PER_WEEK

# Self-supporting (selvforsørgende) is asked 4, 13 and 26 weeks after the course ended.
FOLLOW_UP_WEEKS = (4, 13, 26)

# Hours a week: the law's ceiling for virksomhedspraktik is LEGAL_MAX_HOURS_PER_WEEK (37, in
# codes/lab.py); every course is held to this plausibility bound (the database's
# course_hours_0_60).
MAX_HOURS_PER_WEEK = Decimal(60)

# Under 25 = "unge" (DOMAIN.md): the three-party agreement, the KPI's "young" column.
UNGE_AGE_LIMIT = 25


# --- durations and extensions --------------------------------------------------------------


def course_days(*, start: date, last_day: date) -> int:
    """The number of days start..last_day, both counted (a one-day course is 1)."""
    return (last_day - start).days + 1


def weeks_end(*, start: date, weeks: int) -> date:
    """The last day of a course of `weeks` weeks from `start` (13 weeks from a Monday end on
    the 13th Sunday)."""
    return start + timedelta(weeks=weeks) - timedelta(days=1)


def normal_planned_end(*, start: date, contract_weeks: int, contract_end: date) -> date:
    """The planned end a new course gets: the contract's normal length, never more than the
    law's 13 weeks (a longer course is an extension, whatever the contract says), and never
    after the contract's end."""
    weeks = min(contract_weeks, NORMAL_COURSE_WEEKS)
    return min(weeks_end(start=start, weeks=weeks), contract_end)


def extension_limit_passed(*, start: date, planned_end: date) -> int | None:
    """The highest week limit (13 or 26) a planned end passes, or None within 13 weeks.

    A course passes 13 weeks when it lasts more than 91 days (both ends counted): its last
    day is after `weeks_end(start, 13)`. Passing a limit needs the employees' representatives
    consulted (DOMAIN.md) on an individual assessment (LAB § 61, stk. 2).
    """
    passed = None
    for limit in EXTENSION_LIMITS_WEEKS:
        if planned_end > weeks_end(start=start, weeks=limit):
            passed = limit
    return passed


def is_extended(*, start: date, last_day: date) -> bool:
    """True when a course runs beyond 13 weeks (more than NORMAL_COURSE_DAYS days)."""
    return course_days(start=start, last_day=last_day) > NORMAL_COURSE_DAYS


def extension_problem(
    *, start: date, planned_end: date, reason: str, consulted_on: date | None
) -> str | None:
    """Why an extension to `planned_end` is refused (Danish), or None when it may be made.

    Every extension gives its reason (the individual assessment); beyond 13 (or 26) weeks the
    date the employees' representatives were consulted is required as well.
    """
    if not (reason or "").strip():
        return "En forlængelse kræver en begrundelse (individuel vurdering)."
    limit = extension_limit_passed(start=start, planned_end=planned_end)
    if limit is not None and consulted_on is None:
        return (
            f"Forlængelse ud over {limit} uger kræver datoen, hvor medarbejderrepræsentanterne "
            "blev hørt."
        )
    return None


def weeks_passed(*, start: date, planned_end: date) -> int:
    """Whole weeks start..planned_end (floor): the "passes 13 weeks" of the due list."""
    return course_days(start=start, last_day=planned_end) // DAYS_PER_WEEK


def week_number(*, start: date, day: date) -> int:
    """The course week `day` lies in: days 1-7 are week 1, days 8-14 week 2."""
    return (day - start).days // DAYS_PER_WEEK + 1


# --- follow-up -----------------------------------------------------------------------------


def follow_up_due_on(*, end: date | None, weeks: int) -> date | None:
    """The day the follow-up `weeks` after the course falls due (end + weeks), or None while
    the course runs. Raises ValueError for a week count that is not 4, 13 or 26."""
    if weeks not in FOLLOW_UP_WEEKS:
        raise ValueError(f"follow-up after {weeks} weeks: only {FOLLOW_UP_WEEKS}")
    return end + timedelta(weeks=weeks) if end else None


def follow_up_has_fallen_due(*, end: date | None, weeks: int, today: date) -> bool:
    due = follow_up_due_on(end=end, weeks=weeks)
    return due is not None and due <= today


# --- hours ---------------------------------------------------------------------------------


def hours_problem(*, hours_per_week, legal_frame: str) -> str | None:
    """Why weekly hours are refused (Danish), or None when they are allowed.

    0-60 for every course (the plausibility bound the database enforces), and at most 37 for
    virksomhedspraktik (LAB kapitel 11); a særligt tilrettelagt projekt follows its own plan.
    """
    hours = Decimal(hours_per_week)
    if hours < 0 or hours > MAX_HOURS_PER_WEEK:
        return "Timer pr. uge skal være mellem 0 og 60 (højst 60 timer pr. uge for ethvert forløb)."
    if legal_frame == "virksomhedspraktik" and hours > LEGAL_MAX_HOURS_PER_WEEK:
        return "Virksomhedspraktik er højst 37 timer om ugen (LAB kapitel 11)."
    return None


# --- places --------------------------------------------------------------------------------


# Whether a course holds its place, and the free places of a contract, are the places'
# rules: their home is contracts/rules.py (contracts own places and capacity).
occupies = place_rules.occupies
free_places = place_rules.free_places


# --- age -----------------------------------------------------------------------------------


def age_on(*, birth_date: date, day: date) -> int:
    """Completed years on `day` (the birthday itself counts)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_young(*, birth_date: date, day: date) -> bool:
    """Under 25 on `day`: the concept's "unge"."""
    return age_on(birth_date=birth_date, day=day) < UNGE_AGE_LIMIT
