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

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from codes.lab import (
    CONSULT_REPRESENTATIVES,
    EXTENDED_COURSE_WEEKS,
    LAB_2020,
    NORMAL_COURSE_WEEKS,
    ExtensionStep,
    RulesVersion,
)
from codes.lab import MAX_HOURS_PER_WEEK as LEGAL_MAX_HOURS_PER_WEEK
from codes.lists import Barrier, LegalFrame, TargetGroup
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


# --- the due list (opfølgning) --------------------------------------------------------------
# The due list's SQL (candidates/due.py) takes these numbers as parameters.

# Weekly follow-up (DOMAIN.md: the jobkonsulent follows every candidate at least weekly).
NOTE_INTERVAL_DAYS = 7
# The due list warns this many days before a course passes its planned end (13/26 weeks).
EXTENSION_WARNING_DAYS = 14
# Follow-ups after the course stay on the due list this long after they fell due; older
# ones (such as imported history) are shown on the candidate page only.
FOLLOW_UP_VISIBLE_DAYS = 56


def note_due_on(*, last_note: date | None, start: date) -> date:
    """The day a running course needs its next follow-up note: NOTE_INTERVAL_DAYS after the
    last note, or after the start when it has none (DOMAIN: "at least weekly")."""
    return (last_note or start) + timedelta(days=NOTE_INTERVAL_DAYS)


def follow_up_end_window(*, weeks: int, today: date) -> tuple[date, date]:
    """The course ends (first, last) whose follow-up after `weeks` the due list shows today:
    fallen due (follow_up_due_on <= today) at most FOLLOW_UP_VISIBLE_DAYS ago."""
    last = today - timedelta(weeks=weeks)  # follow_up_due_on(end=last, weeks=weeks) == today
    return last - timedelta(days=FOLLOW_UP_VISIBLE_DAYS), last


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


# --- visitation: centres ranked by fit -----------------------------------------------------

# The points of a centre's fit (issue 23): what the candidate wants and needs comes before
# room. Each of the candidate's wishes the centre's work tasks meet (at most 3 counted),
# each of the candidate's barriers the contract's target group names, and the candidate's
# age inside the target ages; an age outside them counts against. Free places and the day
# they free only order centres of equal fit (`visitation_order`).
WISH_POINTS = 3
WISHES_COUNTED = 3
BARRIER_POINTS = 2
AGE_POINTS = 1
AGE_OUTSIDE_POINTS = -3

_WORD = re.compile(r"[a-zæøå]{3,}")


def wish_matches(wishes: str, tasks: list[str] | tuple[str, ...]) -> list[str]:
    """The work tasks a candidate's wishes name. Danish inflection is met halfway: a wish
    word and a task word match when one begins with the other ("butikken" ~ "butik")."""
    words = set(_WORD.findall((wishes or "").lower()))
    found = []
    for task in tasks:
        task_words = _WORD.findall(task.lower())
        if any(
            w.startswith(t) or (len(w) >= 4 and t.startswith(w)) for t in task_words for w in words
        ):
            found.append(task)
    return found


@dataclass(frozen=True)
class Offer:
    """What one contract's centre offers a candidate, as plain values: its work tasks, the
    contract's target ages and barriers, whether the centre requires a clean record, the
    places free now, and those that free within SOON_DAYS with the first day one does
    (`frees_on`; a contract starting later frees its places on its first day)."""

    tasks: tuple[str, ...]
    age_min: int | None
    age_max: int | None
    barriers: tuple[str, ...]
    clean_record: bool
    free_now: int
    free_soon: int = 0
    frees_on: date | None = None


@dataclass(frozen=True)
class Seeker:
    """The candidate as visitation sees them: age on the day, barriers and wishes."""

    age: int
    barriers: tuple[str, ...]
    wishes: str


@dataclass(frozen=True)
class Verdict:
    """A centre's fit for a candidate: its points, the reasons in whole Danish sentences
    (the order of the ranking: wishes, barriers and requirements, age, places), why it is
    excluded ("" when it is not) and the day a course can start there (None: no place now
    or within SOON_DAYS)."""

    points: int
    reasons: tuple[str, ...]
    excluded: str
    free_now: int
    start_on: date | None

    @property
    def bookable(self) -> bool:
        return not self.excluded and self.start_on is not None


def _and_list(items: list[str]) -> str:
    """ "a", "a og b", "a, b og c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " " + _("og") + " " + items[-1]


def _age_span(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return _("%(lo)s-%(hi)s år") % {"lo": lo, "hi": hi}
    if lo is not None:
        return _("mindst %(lo)s år") % {"lo": lo}
    return _("højst %(hi)s år") % {"hi": hi}


def visitation_fit(*, seeker: Seeker, offer: Offer, today: date) -> Verdict:
    """How one centre fits one candidate, and why, in whole Danish sentences.

    In order: the candidate's wishes against the centre's work tasks; the candidate's
    barriers against the contract's target group, and the centre's requirements (a centre
    that requires a clean record excludes a candidate who has stated a conviction, the
    barrier "kriminalitet", with that reason); the age against the target ages; then the
    places: free now (the course can start today) or held by a course planned to end within
    SOON_DAYS (it can start the day after, when the place frees). Source: the concept's
    visitation (DOMAIN "Visitation": the jobkonsulent matches the candidate's wishes and
    barriers to the centres' work tasks and target groups) and issue 23.
    """
    points = 0
    reasons: list[str] = []
    matched = wish_matches(seeker.wishes, offer.tasks)[:WISHES_COUNTED]
    if matched:
        points += WISH_POINTS * len(matched)
        reasons.append(
            ngettext(
                "Centrets arbejdsopgaver passer til kandidatens ønske om %(tasks)s.",
                "Centrets arbejdsopgaver passer til kandidatens ønsker om %(tasks)s.",
                len(matched),
            )
            % {"tasks": _and_list([t.lower() for t in matched])}
        )
    elif (seeker.wishes or "").strip():
        reasons.append(_("Centrets arbejdsopgaver nævnes ikke i kandidatens ønsker."))
    labels = dict(Barrier.choices)
    shared = [b for b in seeker.barriers if b in offer.barriers]
    if shared:
        points += BARRIER_POINTS * len(shared)
        reasons.append(
            ngettext(
                "Kontraktens målgruppe omfatter kandidatens barriere: %(barriers)s.",
                "Kontraktens målgruppe omfatter kandidatens barrierer: %(barriers)s.",
                len(shared),
            )
            % {"barriers": _and_list([str(labels.get(b, b)).lower() for b in shared])}
        )
    excluded = ""
    if offer.clean_record and Barrier.KRIMINALITET in seeker.barriers:
        excluded = _("Centret kræver ren straffeattest, og kandidaten har oplyst en dom.")
        reasons.append(excluded)
    lo, hi = offer.age_min, offer.age_max
    if lo is not None or hi is not None:
        values = {"age": seeker.age, "span": _age_span(lo, hi)}
        if (lo is None or seeker.age >= lo) and (hi is None or seeker.age <= hi):
            points += AGE_POINTS
            reasons.append(
                _("Kandidaten er %(age)s år og inden for kontraktens målgruppe på %(span)s.")
                % values
            )
        else:
            points += AGE_OUTSIDE_POINTS
            reasons.append(
                _("Kandidaten er %(age)s år og uden for kontraktens målgruppe på %(span)s.")
                % values
            )
    start_on: date | None = None
    if offer.free_now:
        start_on = today
        reasons.append(
            ngettext(
                "Centret har %(n)s ledig plads nu.",
                "Centret har %(n)s ledige pladser nu.",
                offer.free_now,
            )
            % {"n": offer.free_now}
        )
    elif offer.free_soon and offer.frees_on is not None:
        start_on = offer.frees_on
        reasons.append(
            ngettext(
                "Centret har ingen ledig plads nu, men en plads bliver ledig den %(day)s; "
                "forløbet kan starte den dag.",
                "Centret har ingen ledig plads nu, men %(n)s pladser bliver snart ledige, den "
                "første den %(day)s; forløbet kan starte den dag.",
                offer.free_soon,
            )
            % {"n": offer.free_soon, "day": f"{start_on:%d.%m.%Y}"}
        )
    else:
        reasons.append(
            _("Centret har ingen ledig plads nu, og ingen bliver ledig inden for %(soon)s dage.")
            % {"soon": place_rules.SOON_DAYS}
        )
    return Verdict(
        points=points,
        reasons=tuple(reasons),
        excluded=excluded,
        free_now=offer.free_now,
        start_on=start_on,
    )


def visitation_order(verdict: Verdict, name: str) -> tuple:
    """The sort key of the ranking: excluded centres last; then the most points; among equal
    fits the earliest start (free now before freeing soon, none last), the most places free
    now, and the name."""
    return (
        bool(verdict.excluded),
        -verdict.points,
        verdict.start_on or date.max,
        -verdict.free_now,
        name,
    )
