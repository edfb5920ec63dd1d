"""A small bar chart as inline SVG geometry, computed on the server (no JavaScript)."""

from dataclasses import dataclass
from decimal import Decimal

from codes import numbers

WIDTH = 320
HEIGHT = 120
LABEL_SPACE = 18


@dataclass
class Bar:
    x: float
    x2: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal
    planned_y: float | None
    title: str


def hours_chart(weeks) -> dict:
    """Bars of hours per week with a mark at the planned hours.

    `weeks` are selectors.WeekHours. The result is what `mentors/_chart.html` draws in a
    viewBox, so it scales to any screen width.
    """
    weeks = list(weeks)
    if not weeks:
        return {"bars": [], "width": WIDTH, "height": HEIGHT}
    top = max([max(w.hours, w.planned) for w in weeks] + [Decimal(1)])
    plot = HEIGHT - LABEL_SPACE
    slot = WIDTH / len(weeks)
    bars = []
    for i, week in enumerate(weeks):
        label = str(week.monday.isocalendar().week)
        height = float(week.hours / top) * plot
        planned_y = plot - float(week.planned / top) * plot if week.planned else None
        bars.append(
            Bar(
                x=round(i * slot + slot * 0.15, 1),
                x2=round(i * slot + slot * 0.85, 1),
                y=round(plot - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                value=week.hours,
                planned_y=round(planned_y, 1) if planned_y is not None else None,
                title=(
                    f"Uge {label}: {numbers.hours(week.hours)} (plan {numbers.hours(week.planned)})"
                ),
            )
        )
    return {"bars": bars, "width": WIDTH, "height": HEIGHT, "plot": plot, "top": top}
