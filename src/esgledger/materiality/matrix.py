"""The double-materiality matrix as SVG: financial materiality across, impact up.

One numbered dot per topic (the numbers key into the topic table beside it, so the chart
stays legible on a phone where 30 names would overlap), coloured by tier, the tier
thresholds drawn as bands. It scales with its viewBox and prints in black and white too
(each tier has its own marker shape as well as its colour).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from esgledger.materiality.model import Method

SIZE, PAD = 360, 44
TIER_STYLE = {  # tier id -> (fill colour, marker)
    "high": ("#b3261e", "circle"),
    "moderate": ("#e08a00", "square"),
    "material": ("#2f6f9f", "diamond"),
    "not_material": ("#8a8a8a", "circle-open"),
}


@dataclass(frozen=True)
class Dot:
    """One topic on the chart: its number in the table, name, scores and tier."""

    number: int
    name: str
    impact: float
    financial: float
    tier: str


def axis_range(dots: Sequence[Dot], method: Method) -> tuple[float, float]:
    """From half a point below the lowest score (on a half point) to the scale's top, so
    that a crowded upper corner spreads over the chart instead of a quarter of it."""
    low = float(method.scale.min)
    scores = [v for dot in dots for v in (dot.impact, dot.financial)]
    if scores:
        low = max(low, math.floor(min(scores) * 2) / 2 - 0.5)
    return low, float(method.scale.max)


def _xy(bounds: tuple[float, float], financial: float, impact: float) -> tuple[float, float]:
    low, high = bounds
    span = SIZE - 2 * PAD
    x = PAD + (financial - low) / (high - low) * span
    y = SIZE - PAD - (impact - low) / (high - low) * span
    return round(x, 1), round(y, 1)


def _marker(x: float, y: float, tier: str) -> str:
    colour, shape = TIER_STYLE.get(tier, TIER_STYLE["not_material"])
    if shape == "square":
        return f'<rect x="{x - 4.5}" y="{y - 4.5}" width="9" height="9" fill="{colour}"/>'
    if shape == "diamond":
        points = f"{x},{y - 5.5} {x + 5.5},{y} {x},{y + 5.5} {x - 5.5},{y}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "circle-open":
        return f'<circle cx="{x}" cy="{y}" r="4.5" fill="#fff" stroke="{colour}" stroke-width="2"/>'
    return f'<circle cx="{x}" cy="{y}" r="5" fill="{colour}"/>'


def _text(x: float, y: float, text: object, size: int, anchor: str) -> str:
    return f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}">{text}</text>'


def matrix_svg(
    dots: Sequence[Dot], method: Method, *, x_label: str, y_label: str, title: str
) -> str:
    """The matrix; ``x_label``/``y_label``/``title`` are already in the page's language."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'class="matrix-chart" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<rect x="{PAD}" y="{PAD}" width="{SIZE - 2 * PAD}" height="{SIZE - 2 * PAD}" '
        'fill="#fafafa" stroke="#555"/>',
    ]
    bounds = axis_range(dots, method)
    for tier in (t for t in method.tiers if t.min > bounds[0]):  # thresholds on both axes
        x, y = _xy(bounds, tier.min, tier.min)
        parts.append(
            f'<path d="M{x},{PAD} V{SIZE - PAD} M{PAD},{y} H{SIZE - PAD}" stroke="#bbb" '
            'stroke-dasharray="3 3" fill="none"/>'
        )
    for step in range(int((bounds[1] - bounds[0]) * 2) + 1):
        value = bounds[0] + step / 2
        x, y = _xy(bounds, value, value)
        parts.append(_text(x, SIZE - PAD + 14, f"{value:g}", 10, "middle"))
        parts.append(_text(PAD - 8, y + 3, f"{value:g}", 10, "end"))
    parts.append(
        _text(SIZE / 2, SIZE - 8, escape(x_label), 12, "middle")
        + f'<text x="14" y="{SIZE / 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 14 {SIZE / 2})">{escape(y_label)}</text>'
    )
    for dot in dots:
        x, y = _xy(bounds, dot.financial, dot.impact)
        parts.append(
            f'<g class="dot" data-topic-number="{dot.number}"><title>{dot.number}. '
            f"{escape(dot.name)}</title>{_marker(x, y, dot.tier)}"
            f'<text x="{x + 5}" y="{y - 4}" font-size="8">{dot.number}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
