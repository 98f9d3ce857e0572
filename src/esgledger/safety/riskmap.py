"""The four-colour risk map of a site as SVG: the risk points on the site's plan.

A point's place is a fraction of the plan (x from the left, y from the top), so the
same record fits a plan of any resolution. With no plan, the points sit on a labelled
grid; a point with no place yet is put in the next free grid cell, so nothing is hidden.
Points are labelled by their number in the list (the pages list number, key and name
beside the map), so the drawing has no codes in it. The SVG scales to its container
(viewBox), so one drawing serves a phone, a desktop and print; the page around it carries
the print CSS.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from esgledger.safety.lec import lec_method

GRID_WIDTH, GRID_HEIGHT, GRID_STEP = 1000, 700, 100
LEGEND_HEIGHT = 60


@dataclass(frozen=True)
class MapPoint:
    key: str
    name: str
    grade: str
    score: str
    x: float | None
    y: float | None


@dataclass(frozen=True)
class Plan:
    href: str  # a URL or data: URI of the plan image
    width: int
    height: int


def render_map(title: str, points: Sequence[MapPoint], plan: Plan | None, lang: str = "zh") -> str:
    """The site's map: plan (or grid), the points coloured by grade, and a legend."""
    width, height = (plan.width, plan.height) if plan else (GRID_WIDTH, GRID_HEIGHT)
    radius = max(6.0, min(width, height) / 60)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="riskmap" role="img" '
        f'viewBox="0 0 {width} {height + LEGEND_HEIGHT}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        _background(plan, width, height),
        *_points(points, width, height, radius),
        _legend(points, width, height, lang),
        "</svg>",
    ]
    return "\n".join(parts)


def _background(plan: Plan | None, width: int, height: int) -> str:
    if plan is not None:
        return (
            f'<image href="{escape(plan.href)}" x="0" y="0" width="{width}" height="{height}" '
            'preserveAspectRatio="none"/>'
        )
    lines = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fafafa" stroke="#888"/>']
    for x in range(GRID_STEP, width, GRID_STEP):
        lines.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height}" stroke="#ddd"/>')
    for y in range(GRID_STEP, height, GRID_STEP):
        lines.append(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="#ddd"/>')
    for index, x in enumerate(range(0, width, GRID_STEP)):
        lines.append(f'<text x="{x + 4}" y="14" font-size="12" fill="#888">{index + 1}</text>')
    return "\n".join(lines)


def _points(points: Sequence[MapPoint], width: int, height: int, radius: float) -> list[str]:
    colours = {grade.id: grade.colour for grade in lec_method().grades}
    columns = max(1, width // GRID_STEP)
    free = 0
    drawn = []
    for number, point in enumerate(points, start=1):
        if point.x is None or point.y is None:
            # the centre of the next free grid cell, row by row
            cx = (free % columns + 0.5) * GRID_STEP
            cy = (free // columns % max(1, height // GRID_STEP) + 0.5) * GRID_STEP
            free += 1
        else:
            cx, cy = point.x * width, point.y * height
        label = escape(point.key)
        drawn.append(
            f'<g class="point grade-{escape(point.grade)}"><title>{label} {escape(point.name)} '
            f"D={escape(point.score)}</title>"
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
            f'fill="{colours.get(point.grade, "#999")}" stroke="#222" stroke-width="1"/>'
            f'<text x="{cx + radius + 2:.1f}" y="{cy + 4:.1f}" font-size="{radius * 1.4:.0f}">'
            f"{number}</text></g>"
        )
    return drawn


def _legend(points: Sequence[MapPoint], width: int, height: int, lang: str) -> str:
    counts = Counter(point.grade for point in points)
    grades = lec_method().grades
    step = width / len(grades)
    items = []
    for index, grade in enumerate(grades):
        x = index * step + 10
        name = escape(grade.name.get(lang, grade.name["en"]))
        items.append(
            f'<rect x="{x:.0f}" y="{height + 18}" width="22" height="22" fill="{grade.colour}"/>'
            f'<text class="legend" x="{x + 28:.0f}" y="{height + 35}" font-size="18">'
            f"{name} {counts.get(grade.id, 0)}</text>"
        )
    return "\n".join(items)
