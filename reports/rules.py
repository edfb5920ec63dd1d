"""The campaign's arithmetic and the small-number rule of the key figures: pure functions.

Sources: the national campaign's goals (DOMAIN, "Figures the application must be able to
reproduce": at least 16 % of the target group in company-based activation each month, 20 %
self-supporting 4 weeks after the course; Middelfart went from 22 persons in June 2009 to
102 in March 2011, +364 %, against a target of 44) and issue 30 (a national comparison that
shares no person).
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from codes.parse import EARLIEST_DATE

CAMPAIGN_ACTIVATION_GOAL_PCT = 16  # of the target group in company activation each month
CAMPAIGN_SELF_SUPPORTING_GOAL_PCT = 20  # self-supporting 4 weeks after the course

# No figure built from fewer persons is shown outside the jobcentre, and no outcome split
# with a cell of 1-4 persons (a cell of 0 names nobody). Statistics Denmark's usual limit.
SMALL_NUMBER_LIMIT = 5


def pct(part, whole) -> float | None:
    """Per cent rounded half up to 1 decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def change_from_baseline_pct(*, baseline: int | None, current: int | None) -> float | None:
    """The change from the baseline month in per cent, 1 decimal (the campaign's "+364 %"
    for 22 -> 102 is +363.6 %); None without a baseline to divide by."""
    if baseline is None or current is None or baseline == 0:
        return None
    return pct(current - baseline, baseline)


def goal1_attainment_pct(*, persons: int | None, target: int | None) -> float | None:
    """Goal 1 attainment: persons in company activation against the jobcentre's target
    (Middelfart: 102 / 44 = 231.8 %); None without a target."""
    if persons is None or not target:
        return None
    return pct(persons, target)


def suppressed(persons: int | None) -> bool:
    """True when a figure is built from fewer than SMALL_NUMBER_LIMIT persons."""
    return persons is None or persons < SMALL_NUMBER_LIMIT


def split_suppressed(cells) -> bool:
    """True when an outcome split has a cell of 1-4 persons (it would single someone out)."""
    return any(0 < n < SMALL_NUMBER_LIMIT for n in cells)


def month_parse(text: str) -> date:
    """A month typed as ÅÅÅÅ-MM -> its first day; ValueError (Danish) otherwise. Months lie
    from January 2000 (codes.parse.EARLIEST_DATE) on."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise ValueError("Skriv måneden som ÅÅÅÅ-MM, fx 2009-06.") from None
    if first < EARLIEST_DATE.replace(day=1) or len(text.strip()) != 7:
        raise ValueError("Skriv måneden som ÅÅÅÅ-MM, fx 2009-06 (tidligst 2000-01).")
    return first


def month_last_day(first: date) -> date:
    """The last day of the month starting on `first`."""
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def goal_shortfall(goal: dict) -> float | None:
    """How far a contract's results are below its goals, in percentage points: the larger
    of (job goal - job result) and (education goal - education result), over the goals the
    contract has and the results there are (no ended course: no result). None when there
    is nothing to compare; negative when every compared goal is met with room to spare."""
    gaps = [
        goal[goal_key] - goal[actual_key]
        for goal_key, actual_key in (
            ("ordinary_job_goal_pct", "ordinary_job_pct"),
            ("education_goal_pct", "education_pct"),
        )
        if goal[goal_key] is not None and goal[actual_key] is not None
    ]
    return max(gaps) if gaps else None


def goals_furthest_behind(goals: list[dict], *, limit: int) -> list[dict]:
    """The `limit` contracts furthest below their goals first (the dashboard's short table;
    the goals page and the exports show them all); contracts with nothing to compare last,
    each group in the stored order."""
    ranked = sorted(
        enumerate(goals),
        key=lambda item: (
            (0, -shortfall, item[0])
            if (shortfall := goal_shortfall(item[1])) is not None
            else (1, 0, item[0])
        ),
    )
    return [goal for _index, goal in ranked[:limit]]
