"""Server-rendered SVG for the comparison: one figure's national quartiles as a box, the
median as a line and the jobcentre's own value as a marked point, every number as text
too (the table beside it says the same)."""

from html import escape


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def position_chart(*, title: str, value, q1, median, q3, unit: str = "") -> str:
    """Empty when there is no distribution to draw."""
    if median is None:
        return ""
    width, height, left, right = 480, 56, 10, 10
    points = [v for v in (value, q1, median, q3) if v is not None]
    low, high = min(points + [0.0]), max(points)
    span = (high - low) or 1.0
    high += span * 0.1

    def x(v: float) -> float:
        return left + (width - left - right) * (v - low) / (high - low)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="30" x2="{width - right}" y2="30" stroke="#5b6470"/>',
        f'<rect x="{x(q1):.1f}" y="20" width="{max(1.0, x(q3) - x(q1)):.1f}" height="20" '
        'fill="#cfe2f3" stroke="#0b5394"/>',
        f'<line x1="{x(median):.1f}" y1="16" x2="{x(median):.1f}" y2="44" stroke="#0b5394" '
        'stroke-width="3"/>',
        f'<text x="{x(median):.1f}" y="12" font-size="10" text-anchor="middle">'
        f"median {_fmt(median)}{escape(unit)}</text>",
    ]
    if value is not None:
        vx = x(value)
        parts.append(
            f'<path d="M{vx:.1f} 22 L{vx + 7:.1f} 30 L{vx:.1f} 38 L{vx - 7:.1f} 30 Z" '
            'fill="#7f3f00" stroke="#000"/>'
            f'<text x="{vx:.1f}" y="54" font-size="10" text-anchor="middle">'
            f"jer {_fmt(value)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
