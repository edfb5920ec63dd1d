"""The rules of a course (forløb), as pure functions of dates and numbers.

Nothing here touches the database: services, selectors, the import, the KPI statement (its
SQL gets the numbers as parameters), templates and the demo generator read the rule here
instead of restating it. docs/RULES.md lists each rule with its source and its test.

Sources: lov om en aktiv beskæftigelsesindsats (LAB, lovbekendtgørelse nr. 280 af 1. marts
2024) kapitel 11, virksomhedspraktik - § 61: up to 13 weeks, after a concrete, individual
assessment extendable to 26 weeks and beyond that 13 weeks at a time; at most 37 hours a
week - and the national trial's concept (docs/DOMAIN.md: "going beyond 13 weeks must be
discussed with the employees' representatives"; follow-up 4, 13 and 26 weeks after).

The limits by target group come from a dated rules version (codes/lab.py, LAB § 61): a
course keeps the version and target group it started under (`course_limits`).

Days are whole calendar days and both ends of a period count (a course from Monday 3 March
to Sunday 1 June is 91 days, 13 weeks); no rounding happens anywhere except in
`weeks_passed`, which counts started weeks downward (floor) as the due list shows them.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from codes.lab import (
    CONSULT_REPRESENTATIVES,
    EXTENDED_COURSE_WEEKS,
    LAB_2020,
    NORMAL_COURSE_WEEKS,
    ExtensionStep,
    RulesVersion,
)
from codes.lab import MAX_HOURS_PER_WEEK as LEGAL_MAX_HOURS_PER_WEEK
from codes.lists import LegalFrame, TargetGroup
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


@dataclass(frozen=True)
class CourseLimits:
    """How long a course may run: its first period and, when extendable, the steps beyond
    it (LAB § 61 by target group for virksomhedspraktik; see `course_limits`)."""

    initial_weeks: int
    extendable: bool
    steps: tuple[ExtensionStep, ...]
    max_hours_per_week: Decimal = LEGAL_MAX_HOURS_PER_WEEK

    @property
    def limits_weeks(self) -> tuple[int, ...]:
        """The week limits whose passing is an extension step: (13, 26) for 13-week groups."""
        return (self.initial_weeks,) + tuple(s.up_to_weeks for s in self.steps if s.up_to_weeks)


# The concept's 13 weeks, extendable to 26 and then 13 at a time (DOMAIN.md "Forløb"): the
# limits of a særligt tilrettelagt projekt and of a course started before target groups were
# recorded (it keeps the rule it was started under).
CONCEPT_LIMITS = CourseLimits(
    initial_weeks=NORMAL_COURSE_WEEKS,
    extendable=True,
    steps=LAB_2020.steps,
)


def target_group_problem(target_group: str | None) -> str | None:
    """Why a course cannot start under this target group (Danish), or None."""
    if target_group not in TargetGroup.values or target_group == TargetGroup.IKKE_ANGIVET:
        return (
            "Angiv kandidatens målgruppe, før forløbet starter: varigheden af "
            "virksomhedspraktik afhænger af den (LAB § 61)."
        )
    return None


def course_limits(
    *, version: RulesVersion | None, target_group: str | None, legal_frame: str
) -> CourseLimits:
    """The limits of a course under a rules version and target group.

    § 61 is the rule of virksomhedspraktik: its first period by target group, extendable only
    for the groups of stk. 1, nr. 2. Any other legal frame, no version (a course before
    2020) or no group (a course started before groups were recorded) keeps CONCEPT_LIMITS.
    """
    if (
        legal_frame != LegalFrame.VIRKSOMHEDSPRAKTIK
        or version is None
        or target_group not in version.initial_weeks
    ):
        return CONCEPT_LIMITS
    return CourseLimits(
        initial_weeks=version.initial_weeks[target_group],
        extendable=target_group in version.extendable,
        steps=version.steps,
        max_hours_per_week=version.max_hours_per_week,
    )


def normal_planned_end(
    *, start: date, contract_weeks: int, contract_end: date, max_weeks: int = NORMAL_COURSE_WEEKS
) -> date:
    """The planned end a new course gets: the contract's normal length, never more than the
    law's first period (`max_weeks`: 13, or the target group's 4) - a longer course is an
    extension, whatever the contract says - and never after the contract's end."""
    weeks = min(contract_weeks, NORMAL_COURSE_WEEKS, max_weeks)
    return min(weeks_end(start=start, weeks=weeks), contract_end)


def extension_limit_passed(
    *, start: date, planned_end: date, limits_weeks: tuple[int, ...] = EXTENSION_LIMITS_WEEKS
) -> int | None:
    """The highest week limit (13 or 26, or the group's own) a planned end passes, or None
    within the first.

    A course passes 13 weeks when it lasts more than 91 days (both ends counted): its last
    day is after `weeks_end(start, 13)`. Passing a limit needs the employees' representatives
    consulted (DOMAIN.md) on an individual assessment (LAB § 61, stk. 2).
    """
    passed = None
    for limit in limits_weeks:
        if planned_end > weeks_end(start=start, weeks=limit):
            passed = limit
    return passed


def is_extended(*, start: date, last_day: date) -> bool:
    """True when a course runs beyond 13 weeks (more than NORMAL_COURSE_DAYS days)."""
    return course_days(start=start, last_day=last_day) > NORMAL_COURSE_DAYS


def can_be_extended(*, start: date, planned_end: date, limits: CourseLimits) -> bool:
    """Whether any later planned end is possible: never for a 4-week group at its 4 weeks."""
    return limits.extendable or planned_end < weeks_end(start=start, weeks=limits.initial_weeks)


def extension_problem(
    *,
    start: date,
    planned_end: date,
    reason: str,
    consulted_on: date | None,
    limits: CourseLimits = CONCEPT_LIMITS,
    current_planned_end: date | None = None,
    very_special_need: str = "",
) -> str | None:
    """Why an extension to `planned_end` is refused (Danish), or None when it may be made.

    - A group without extension (LAB § 61, stk. 1, nr. 1: 4 weeks) never passes its first
      period: a dagpenge course from a Monday is refused from its 29th day.
    - Every extension gives its reason (the concrete, individual assessment).
    - Passing the first period (13) or 26 weeks needs the date the employees'
      representatives were consulted.
    - Beyond 26 weeks only with a very special need, stated in its own field, from a planned
      end of (at least) 26 weeks and at most 13 weeks at a time (§ 61, stk. 2, 2. pkt.).
    """
    first_end = weeks_end(start=start, weeks=limits.initial_weeks)
    if not limits.extendable and planned_end > first_end:
        return (
            f"Målgruppen kan højst være i virksomhedspraktik i {limits.initial_weeks} uger "
            f"uden forlængelse (LAB § 61, stk. 1, nr. 1): forløbet kan højst vare til "
            f"{first_end:%d.%m.%Y}."
        )
    if not (reason or "").strip():
        return "En forlængelse kræver en begrundelse (individuel vurdering)."
    limit = extension_limit_passed(
        start=start, planned_end=planned_end, limits_weeks=limits.limits_weeks
    )
    if limit is None:
        return None
    step = _step_beyond(limit, limits)
    if CONSULT_REPRESENTATIVES in step.consult and consulted_on is None:
        return (
            f"Forlængelse ud over {limit} uger kræver datoen, hvor medarbejderrepræsentanterne "
            "blev hørt."
        )
    if step.ground == "very_special_need":
        if not (very_special_need or "").strip():
            return (
                f"Forlængelse ud over {limit} uger kræver et helt særligt behov (LAB § 61, "
                "stk. 2): beskriv det i sit eget felt."
            )
        limit_end = weeks_end(start=start, weeks=limit)
        if current_planned_end is not None:
            if current_planned_end < limit_end:
                return (
                    f"Forlæng først op til {limit} uger ({limit_end:%d.%m.%Y}); derefter "
                    f"{step.step_weeks} uger ad gangen."
                )
            furthest = current_planned_end + timedelta(weeks=step.step_weeks or 0)
            if step.step_weeks and planned_end > furthest:
                return (
                    f"Ud over {limit} uger forlænges med højst {step.step_weeks} uger ad "
                    f"gangen: senest til {furthest:%d.%m.%Y}."
                )
    return None


def _step_beyond(limit: int, limits: CourseLimits) -> ExtensionStep:
    """The extension step that applies once `limit` weeks are passed."""
    for step in limits.steps:
        if step.up_to_weeks is not None and limit < step.up_to_weeks:
            return step
    return next(s for s in limits.steps if s.up_to_weeks is None)


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


def hours_problem(
    *, hours_per_week, legal_frame: str, max_hours: Decimal = LEGAL_MAX_HOURS_PER_WEEK
) -> str | None:
    """Why weekly hours are refused (Danish), or None when they are allowed.

    0-60 for every course (the plausibility bound the database enforces), and at most the
    rules version's cap (37) for virksomhedspraktik (LAB kapitel 11); a særligt tilrettelagt
    projekt follows its own plan.
    """
    hours = Decimal(hours_per_week)
    if hours < 0 or hours > MAX_HOURS_PER_WEEK:
        return "Timer pr. uge skal være mellem 0 og 60 (højst 60 timer pr. uge for ethvert forløb)."
    if legal_frame == "virksomhedspraktik" and hours > max_hours:
        return f"Virksomhedspraktik er højst {max_hours} timer om ugen (LAB kapitel 11)."
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
