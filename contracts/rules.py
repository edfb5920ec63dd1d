"""The rules of places under a contract, as pure functions (no database).

A place is held by at most one course at a time (the concept: "Plads: one place under a
contract. Occupied by at most one course at a time"); the database's exclusion constraint
course_one_per_place_at_a_time is the twin of `occupies`. Contracts own places and their
capacity, so these rules live here; candidates (courses) and mentors read them.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Q

from codes import lab


def occupies(
    *,
    start: date,
    end: date | None,
    first: date,
    last: date | None = None,
    planned_end: date | None = None,
    today: date | None = None,
) -> bool:
    """Does a course (start .. end, or open-ended while running) hold its place on any day
    of first..last (last defaults to first: "on day D")?

    A running course holds its place indefinitely; an ended one frees it the day after its
    end. Booking ahead (`today` and the course's `planned_end` given): a running course
    whose planned end lies from today up to the day before `first` is taken at its word and
    frees its place the day after its planned end, so the place can be booked from then
    (issue 23); one past its planned end (overdue) still holds its place.
    """
    last = first if last is None else last
    if end is None and _frees_as_planned(planned_end=planned_end, today=today, first=first):
        return False
    return start <= last and (end is None or end >= first)


def _frees_as_planned(*, planned_end: date | None, today: date | None, first: date) -> bool:
    return today is not None and planned_end is not None and today <= planned_end < first


# Places free up within this many days count as "soon" on the centre list and in
# visitation, and can be booked from the day they free (issue 23).
SOON_DAYS = 14


def occupying_q(
    first: date, last: date | None = None, prefix: str = "", today: date | None = None
) -> Q:
    """`occupies` as a filter on courses: start <= last and end open or >= first; with
    `today`, a running course planned to end from today up to the day before `first` does
    not hold the place. `prefix` is the path to the course, such as "place_set__courses__"."""
    last = first if last is None else last
    running = Q(**{f"{prefix}end__isnull": True})
    if today is not None and first > today:
        # Positive terms only: under a multi-valued path (place_set__courses__) a negated
        # term would become a subquery about any course of the place, not this one.
        running &= Q(**{f"{prefix}planned_end__lt": today}) | Q(
            **{f"{prefix}planned_end__gte": first}
        )
    return Q(**{f"{prefix}start__lte": last}) & (running | Q(**{f"{prefix}end__gte": first}))


def free_places(*, places: int, busy: int) -> int:
    """Places not held by a course: places - busy, never below 0 (a contract whose places
    were reduced below its running courses has none free, not a negative number)."""
    return max(places - busy, 0)


def staff_ratio_limit(ordinary_employees: Decimal | int) -> int:
    """Rimelighedskravet: how many persons in virksomhedspraktik and wage subsidy (and
    nytteindsats) a workplace (P-number) may have for its ordinary employees.

    1 for every 5 ordinary employees up to 50, always at least 1, and beyond 50 one more for
    every 10 (BEK nr. 2636 af 28/12/2021 § 65, stk. 1; the numbers in codes.lab). Ordinary
    employees are full-time equivalents (stk. 3), so a fraction is allowed and rounds down:
    12 -> 2, 60 -> 11, 3 -> 1, 9.9 -> 1. Negative input is refused with ValueError.
    """
    employees = Decimal(ordinary_employees)
    if employees < 0:
        raise ValueError("ordinary_employees must not be negative")
    band = Decimal(lab.STAFF_RATIO_FIRST_BAND_EMPLOYEES)
    first_band: Decimal = min(employees, band)
    beyond: Decimal = max(employees - band, Decimal(0))
    return max(
        int(first_band // lab.STAFF_RATIO_EMPLOYEES_PER_PERSON), lab.STAFF_RATIO_MINIMUM_PERSONS
    ) + int(beyond // lab.STAFF_RATIO_EMPLOYEES_PER_PERSON_BEYOND)


# Approvals before signing (issue 20). The municipality decides who approves a
# Centerkontrakt: the local employment councils that used to were closed on 31 December
# 2014 (DOMAIN, last section). docs/RULES.md gives the sources.
EMPLOYEE_STATEMENT_STEP = (
    "Medarbejderrepræsentantens udtalelse om rimelighedskravet og arbejdsopgaverne"
)
STEP_NAME_MAX = 200
NOT_APPROVED_MESSAGE = "Kontrakten mangler godkendelser og kan ikke underskrives endnu."


def committees_parse(text: str) -> list[str]:
    """One committee a line, as typed; blank lines dropped, spaces at the ends trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def approval_steps(*, employee_statement: bool, committees) -> list[str]:
    """The approval steps before signing, in order: the employee representative's
    statement (when the jobcentre requires it), then each named committee."""
    return ([EMPLOYEE_STATEMENT_STEP] if employee_statement else []) + list(committees)


def approval_settings_problem(*, employee_statement: bool, committees) -> str | None:
    """Why these settings cannot be saved (Danish), or None.

    At least one step (a contract is approved by someone before it is signed); committee
    names are free text but non-empty, at most 200 characters, and each named once.
    """
    steps = approval_steps(employee_statement=employee_statement, committees=committees)
    if not steps:
        return "Vælg mindst ét godkendelsestrin før underskrift."
    seen = set()
    for name in committees:
        if not name.strip():
            return "Et udvalg skal have et navn."
        if len(name) > STEP_NAME_MAX:
            return f"Udvalgets navn er for langt (højst {STEP_NAME_MAX} tegn): {name[:40]}…"
        if name.casefold() in seen or name.casefold() == EMPLOYEE_STATEMENT_STEP.casefold():
            return f"Trinnet står to gange: {name}."
        seen.add(name.casefold())
    return None


def approvals_missing(*, steps, approved) -> list[str]:
    """The steps (in order) without an approval among the names in `approved`."""
    given = set(approved)
    return [step for step in steps if step not in given]


# Early termination (issue 21): the company closes the centre, or either party gives notice.
TERMINATION_REASON_MAX = 2000


def termination_problem(
    *, start: date, end: date, terminated_on: date | None, cause: str, reason: str, causes
) -> str | None:
    """Why a contract running start..end cannot be terminated on `terminated_on` (Danish),
    or None.

    The termination date lies within the contract's period and before its agreed end (on
    the end itself it simply runs out); it may be the start day (a centre that never
    opened). The cause is one of `causes` and the reason is written out.
    """
    if terminated_on is None:
        return "Skriv den dato, kontrakten ophører."
    if terminated_on < start:
        return "Kontrakten kan ikke ophøre, før den er begyndt."
    if terminated_on >= end:
        return "Datoen skal ligge før kontraktens slutdato; ellers udløber kontrakten af sig selv."
    if cause not in causes:
        return "Vælg årsagen til opsigelsen."
    if not reason.strip():
        return "Skriv begrundelsen for opsigelsen."
    if len(reason) > TERMINATION_REASON_MAX:
        return f"Begrundelsen er for lang (højst {TERMINATION_REASON_MAX} tegn)."
    return None


def courses_past_termination(*, courses, terminated_on: date) -> list:
    """The courses (objects with `end` and `planned_end`) the jobkonsulent must move or end
    at a termination on `terminated_on`: still running on that day (no end, planned to last
    to it or beyond) or ended after it."""
    return [
        course
        for course in courses
        if (course.end is None and course.planned_end >= terminated_on)
        or (course.end is not None and course.end > terminated_on)
    ]


def termination_blockers(*, courses, terminated_on: date) -> list:
    """The courses that make `terminated_on` impossible: started after it or ended after it
    (a course lies within its contract's period; the database's trigger
    contract_keeps_its_courses is the twin). A running course planned beyond the date is
    not one: its planned end moves to the date and it is listed to be moved or ended."""
    return [
        course
        for course in courses
        if course.start > terminated_on or (course.end is not None and course.end > terminated_on)
    ]


# The statuses under which a contract's places count (a course can hold one): signed,
# running, and terminated up to its termination date - its `end` is that date, so from the
# day after its places count no more.
CAPACITY_STATUSES = ("signed", "active", "terminated")


# The concept's standard paragraphs (the trial's contract wording), offered as defaults
# until the jobcentre writes its own (contracts.models.ContractTemplate, the settings page).
STANDARD_PARAGRAPHS = {
    "goals_text": (
        "Afklaring og udredning af kandidaternes arbejdsevne gennem træning i virkelige "
        "arbejdsopgaver, med ordinær beskæftigelse eller uddannelse som mål."
    ),
    "target_group": (
        "Ledige med særlige udfordringer (matchgruppe 2-3 / aktivitetsparate), som har brug for "
        "et trygt og støttende arbejdsmiljø."
    ),
    "support_activities": (
        "Mentorerne deltager i jobcentrets netværksmøder og tilbydes mentoruddannelse; "
        "kandidaterne kan få danskundervisning og jobsøgningsforløb ved siden af."
    ),
    "reception": (
        "Nye kandidater modtages af mentor på første dag og introduceres til arbejdspladsen, "
        "kollegerne, arbejdsopgaverne og sikkerhedsregler. Jobkonsulent, kandidat og mentor "
        "aftaler mål og delmål inden for de første to uger."
    ),
    "absence_handling": (
        "Mentor registrerer fremmøde dagligt. Ved udeblivelse uden afbud kontakter mentor "
        "kandidaten samme dag og orienterer jobkonsulenten. Jobkonsulenten følger op ugentligt."
    ),
    "udslusning": (
        "Forløbet afsluttes med en samtale mellem kandidat, mentor og jobkonsulent om næste "
        "skridt: ordinært job, uddannelse, løntilskud eller andet tilbud. Pladsen genbesættes "
        "straks."
    ),
}
