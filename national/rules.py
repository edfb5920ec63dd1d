"""Which figures the national comparison takes from a jobcentre's stored key figures, the
persons each is built from, small-number suppression, the distribution and the rank.
Pure functions on the documented figures (reports.kpi.figures.figures_expand); no database.

Sources: issue 30 ("What to build", 2 and 4); the campaign's goals (DOMAIN); the small-number
limit reports.rules.SMALL_NUMBER_LIMIT.
"""

from dataclasses import dataclass

from candidates.models import Outcome
from reports.rules import (
    CAMPAIGN_ACTIVATION_GOAL_PCT,
    CAMPAIGN_SELF_SUPPORTING_GOAL_PCT,
    change_from_baseline_pct,
    goal1_attainment_pct,
    pct,
    split_suppressed,
    suppressed,
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    # True: higher is better (rank 1 = highest); False: lower is better; None: no
    # direction (rank 1 = highest, said so on the page)
    higher_better: bool | None
    goal: float | None = None


_OUTCOME_LABELS = dict(Outcome.choices)

FIGURES: tuple[Figure, ...] = (
    Figure("occupancy_pct", "Belægning", "%", True),
    Figure("flow_per_place_year", "Gennemløb pr. plads pr. år", "", True),
    Figure("cost_per_place_week", "Udgift pr. plads pr. uge", "kr.", False),
    Figure("direct_success_pct", "Direkte succes (job og uddannelse)", "%", True),
    Figure(
        "self_supporting_4w_pct",
        "Selvforsørgende 4 uger efter (kampagnens mål 2)",
        "%",
        True,
        CAMPAIGN_SELF_SUPPORTING_GOAL_PCT,
    ),
    Figure("self_supporting_13w_pct", "Selvforsørgende 13 uger efter", "%", True),
    Figure("self_supporting_26w_pct", "Selvforsørgende 26 uger efter", "%", True),
    Figure(
        "goal1_pct_of_target_group",
        "Mål 1: i virksomhedsrettet aktivering, andel af målgruppen (seneste måned)",
        "%",
        True,
        CAMPAIGN_ACTIVATION_GOAL_PCT,
    ),
    Figure("goal1_change_from_baseline_pct", "Mål 1: ændring fra udgangsmåneden", "%", True),
    Figure("goal1_attainment_pct", "Mål 1: opfyldelse af jobcentrets eget mål", "%", True),
    *(
        Figure(f"outcome:{code}", f"Udslusning, alle: {label}", "%", None)
        for code, label in _OUTCOME_LABELS.items()
    ),
    *(
        Figure(f"outcome_u25:{code}", f"Udslusning, under 25: {label}", "%", None)
        for code, label in _OUTCOME_LABELS.items()
    ),
)
FIGURES_BY_KEY = {f.key: f for f in FIGURES}


@dataclass(frozen=True)
class Value:
    value: float | None
    persons: int
    suppressed: bool


def _shown(value, persons: int) -> Value:
    if suppressed(persons):
        return Value(None, persons, True)
    return Value(value, persons, False)


def _last_month_persons(figures: dict) -> int | None:
    months = figures["campaign"]["months"]
    return months[-1]["persons_in_course_in_month"] if months else None


def national_values(figures: dict, *, baseline: dict | None = None) -> dict[str, Value]:
    """A jobcentre's values for the comparison from its documented figures of one period
    (and of its baseline month, when it has one), each with its persons and suppressed
    when fewer than 5; an outcome split with a cell of 1-4 persons is suppressed whole.

    Goal 1 counts the campaign's measure: distinct persons in a course on any day of the
    period's last month, against the target group and the jobcentre's own target.
    """
    o = figures["overall"]
    persons = figures["persons"]
    values = {
        "occupancy_pct": _shown(o["occupancy_pct"], persons),
        "flow_per_place_year": _shown(o["flow_per_place_year"], persons),
        "cost_per_place_week": _shown(o["cost_per_place_week"], persons),
        "direct_success_pct": _shown(o["direct_success_pct"], o["courses_ended"]),
        "self_supporting_4w_pct": _shown(o["self_supporting_4w_pct"], o["followed_up_4w"]),
        "self_supporting_13w_pct": _shown(o["self_supporting_13w_pct"], o["followed_up_13w"]),
        "self_supporting_26w_pct": _shown(o["self_supporting_26w_pct"], o["followed_up_26w"]),
    }
    current = _last_month_persons(figures) or 0
    values["goal1_pct_of_target_group"] = _shown(
        pct(current, figures["campaign"]["target_group_size"]), current
    )
    base = _last_month_persons(baseline) if baseline else None
    values["goal1_change_from_baseline_pct"] = _shown(
        change_from_baseline_pct(baseline=base, current=current),
        min(current, base) if base is not None else 0,
    )
    values["goal1_attainment_pct"] = _shown(
        goal1_attainment_pct(persons=current, target=figures["goal1_target_persons"]), current
    )
    for split, ended in (("outcomes", o["courses_ended"]), ("outcomes_under_25", None)):
        cells = o[split]
        total = ended if ended is not None else sum(c["count"] for c in cells.values())
        hide = split_suppressed(c["count"] for c in cells.values())
        prefix = "outcome" if split == "outcomes" else "outcome_u25"
        for code, cell in cells.items():
            v = _shown(cell["pct"], total)
            values[f"{prefix}:{code}"] = Value(None, total, True) if hide else v
    return values


def quartiles(values: list[float]) -> tuple[float, float, float] | None:
    """First quartile, median and third quartile by linear interpolation between the
    sorted values (PostgreSQL's percentile_cont); None for no values."""
    if not values:
        return None
    ordered = sorted(values)

    def at(p: float) -> float:
        pos = p * (len(ordered) - 1)
        low = int(pos)
        high = min(low + 1, len(ordered) - 1)
        return round(ordered[low] + (ordered[high] - ordered[low]) * (pos - low), 2)

    return at(0.25), at(0.5), at(0.75)


def rank(value: float, others: list[float], *, higher_better: bool | None) -> int:
    """1 for the best (the highest where no direction is known); ties share a rank."""
    if higher_better is False:
        return 1 + sum(1 for v in others if v < value)
    return 1 + sum(1 for v in others if v > value)
