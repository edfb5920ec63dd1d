"""The mentor's rules: pure functions, no database (docs/RULES.md lists them)."""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# A mentor sees running courses and those ended in the last N weeks; N is the jobcentre's
# setting (mentors.models.MentorSettings), 4 weeks unless the jobcentre changes it.
DEFAULT_ENDED_COURSE_WEEKS = 4
MAX_ENDED_COURSE_WEEKS = 52
DAYS_PER_WEEK = 7


def ended_visible_since(*, today: date, weeks: int) -> date:
    """The earliest end date of an ended course the mentor still sees: today - N weeks.

    Source: data minimisation (GDPR art. 5(1)(c), DOMAIN "People"): the mentor needs the
    courses they work with now and the last weeks' for corrections and the final note, not
    every course ever run at the centre. SQL twin: mentors.selectors.courses_for_mentor.
    """
    return today - timedelta(days=DAYS_PER_WEEK * weeks)


def course_visible_to_mentor(*, end: date | None, today: date, weeks: int) -> bool:
    """True if a course of the mentor's centre is running (no end yet) or ended within
    the last `weeks` weeks (on or after `ended_visible_since`)."""
    return end is None or end >= ended_visible_since(today=today, weeks=weeks)


# Mentor support as a grant (issue 20). LAB § 167, stk. 1 (lovbekendtgørelse nr. 280 af
# 1. marts 2024; the same wording in nr. 701 af 22. maj 2022): mentor support "i en
# periode på højst 6 måneder", and after a concrete assessment "i en ny periode på op til
# 6 måneder ved udløb af en periode". docs/RULES.md gives the sources.
MAX_GRANT_MONTHS = 6
# A plausibility bound, not the law's: one mentor's hours in a week for one grant.
MAX_GRANT_HOURS = 37


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the month lacks becomes its last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def grant_latest_end(start: date) -> date:
    """The last day an agreement starting on `start` may run: 6 months, the day before the
    same date 6 months on (1 January -> 30 June; 15 March -> 14 September)."""
    return add_months(start, MAX_GRANT_MONTHS) - timedelta(days=1)


def grant_problem(*, start: date, end: date, hours_per_week, hourly_rate) -> str | None:
    """Why a grant cannot be given as typed (Danish), or None."""
    if end < start:
        return "Aftalens slutdato ligger før startdatoen."
    latest = grant_latest_end(start)
    if end > latest:
        return (
            f"En aftale om mentorstøtte gælder højst {MAX_GRANT_MONTHS} måneder, her til og med "
            f"{latest:%d.%m.%Y}. Forlæng med en ny aftale, når perioden udløber."
        )
    if hours_per_week is None or not 0 < hours_per_week <= MAX_GRANT_HOURS:
        return f"Timer pr. uge skal ligge over 0 og højst {MAX_GRANT_HOURS}."
    if hourly_rate is None or hourly_rate < 0:
        return "Timesatsen kan ikke være negativ."
    return None


def extension_start(previous_end: date) -> date:
    """A new agreement extends the earlier one from the day after it ends."""
    return previous_end + timedelta(days=1)


def periods_overlap(first: tuple[date, date], second: tuple[date, date]) -> bool:
    """Do two inclusive periods share a day? (Two agreements for the same person or place
    may not run at once.)"""
    return first[0] <= second[1] and second[0] <= first[1]


def ovo_per_person(*, spending: Decimal, full_time_persons: Decimal) -> Decimal:
    """Spending per full-time person in the target groups, rounded to whole kroner half-up
    (LAB § 203 a: the cap is kroner per fuldtidsperson)."""
    return (spending / full_time_persons).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def centres_for_company_login(*, cvr: str, centre_cvrs: dict[int, set[str]]) -> list[int]:
    """The centres (ids) a mentor keeps when MitID Erhverv says they act for company `cvr`.

    `centre_cvrs` gives each of the mentor's centres the CVRs of its companies (the
    centre's own and its network's). Source: issue 26 and DOMAIN "Mentor": a mentor is an
    employee of a company taking part in the centre; MitID Erhverv vouches for the
    employment, so a login for another CVR keeps no access to a centre that company is
    not part of. CVRs are compared as digits (a broker may send "DK12345678" or spaces).
    """
    digits = "".join(ch for ch in cvr if ch.isdigit())
    if not digits:
        return []
    return sorted(pk for pk, cvrs in centre_cvrs.items() if digits in cvrs)
