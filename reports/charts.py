"""Small server-rendered SVG charts. Readable without colour: bars carry their value as text,
series differ by pattern as well as colour, and every chart has a table beside it."""

from dataclasses import dataclass
from html import escape

from candidates.models import Outcome

BAR_FILLS = ("#0b5394", "url(#hatch)")  # series 2: hatched, so print and colour-blind work


@dataclass
class Series:
    label: str
    values: list[float | None]


def _defs() -> str:
    return (
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f6b26b"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#7f3f00" stroke-width="2"/></pattern></defs>'
    )


def bar_chart(
    *, title: str, labels: list[str], series: list[Series], unit: str = "", max_value=None
) -> str:
    """Vertical bars per label; one or two series side by side."""
    width, height, left, bottom, top = 720, 240, 40, 40, 24
    plot_w, plot_h = width - left - 10, height - bottom - top
    values = [v for s in series for v in s.values if v is not None]
    peak = max_value or max(values + [1])
    group_w = plot_w / max(len(labels), 1)
    bar_w = max(2.0, (group_w - 6) / max(len(series), 1))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        _defs(),
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#5b6470"/>',
    ]
    for i, label in enumerate(labels):
        x0 = left + i * group_w + 3
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            h = plot_h * float(value) / float(peak)
            x, y = x0 + j * bar_w, top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{BAR_FILLS[j % 2]}" stroke="#333" stroke-width="0.5">'
                f"<title>{escape(s.label)} {escape(label)}: {value}{unit}</title></rect>"
            )
            if len(labels) <= 14:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="10" '
                    f'text-anchor="middle">{_fmt(value)}</text>'
                )
        parts.append(
            f'<text x="{x0 + group_w / 2 - 3:.1f}" y="{height - bottom + 14}" font-size="10" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for j, s in enumerate(series if len(series) > 1 else []):
        lx = left + j * 160
        parts.append(
            f'<rect x="{lx}" y="4" width="12" height="12" fill="{BAR_FILLS[j % 2]}" '
            'stroke="#333" stroke-width="0.5"/>'
            f'<text x="{lx + 16}" y="14" font-size="11">{escape(s.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def hbar_chart(*, title: str, labels: list[str], series: list[Series], unit: str = "%") -> str:
    """Horizontal bars (e.g. outcome distribution all vs under 25), values as text."""
    row_h, bar_h, left, width = 30, 11, 190, 720
    height = 24 + row_h * len(labels)
    values = [v for s in series for v in s.values if v is not None]
    peak = max(values + [1])
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        _defs(),
    ]
    for j, s in enumerate(series):
        lx = left + j * 160
        parts.append(
            f'<rect x="{lx}" y="4" width="12" height="12" fill="{BAR_FILLS[j % 2]}" '
            'stroke="#333" stroke-width="0.5"/>'
            f'<text x="{lx + 16}" y="14" font-size="11">{escape(s.label)}</text>'
        )
    for i, label in enumerate(labels):
        y0 = 24 + i * row_h
        parts.append(
            f'<text x="{left - 6}" y="{y0 + 15}" font-size="11" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for j, s in enumerate(series):
            value = s.values[i] or 0
            w = (width - left - 60) * float(value) / float(peak)
            y = y0 + j * (bar_h + 1)
            parts.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{BAR_FILLS[j % 2]}" stroke="#333" stroke-width="0.5"/>'
                f'<text x="{left + w + 4:.1f}" y="{y + 9}" font-size="10">'
                f"{_fmt(value)}{unit}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def sparkline(values: list[float | None], *, label: str) -> str:
    """A tiny line of monthly values (e.g. a centre's occupancy), 0-100 scale. Months
    without a value (no places then) break the line instead of dropping it to zero."""
    width, height = 120, 28
    step = width / max(len(values) - 1, 1)
    runs, current = [], []
    for i, v in enumerate(values):
        if v is None:
            if current:
                runs.append(current)
            current = []
            continue
        current.append((i * step, height - 2 - (height - 4) * v / 100))
    if current:
        runs.append(current)
    lines = "".join(
        '<polyline points="{}" fill="none" stroke="#0b5394" stroke-width="1.5"/>'.format(
            " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
        )
        if len(run) > 1
        else f'<circle cx="{run[0][0]:.1f}" cy="{run[0][1]:.1f}" r="1.5" fill="#0b5394"/>'
        for run in runs
    )
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{lines}</svg>"
    )


def _fmt(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value)}"


def dashboard_charts(figures: dict) -> dict:
    """The dashboard's charts from stored figures (occupancy, starts/ends, outcomes)."""
    months = figures["by_month"]
    labels = [m["month"][2:] for m in months]
    outcome_labels = [str(label) for _code, label in Outcome.choices]
    overall = figures["overall"]
    return {
        "occupancy": bar_chart(
            title="Belægningsprocent pr. måned",
            labels=labels,
            series=[Series("Belægning", [m["occupancy_pct"] for m in months])],
            unit=" %",
            max_value=100,
        ),
        "flow": bar_chart(
            title="Startede og afsluttede forløb pr. måned",
            labels=labels,
            series=[
                Series("Startede", [m["courses_started"] for m in months]),
                Series("Afsluttede", [m["courses_ended"] for m in months]),
            ],
        ),
        "outcomes": hbar_chart(
            title="Udslusning: alle og unge under 25",
            labels=outcome_labels,
            series=[
                Series("Alle", [overall["outcomes"][c]["pct"] for c in Outcome.values]),
                Series(
                    "Under 25", [overall["outcomes_under_25"][c]["pct"] for c in Outcome.values]
                ),
            ],
        ),
    }
