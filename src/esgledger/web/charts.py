"""Dashboard charts as inline SVG: Altair specs rendered on the server by vl-convert.

No chart library reaches the browser (nothing loads from the internet), and the SVG is
cached per content key (snapshot hash, language, the rows drawn), so a dashboard view
after the first costs a dictionary lookup instead of a Vega render (~60 ms per chart).
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from typing import Any

import altair as alt
import vl_convert

FONT = "Inter, 'Segoe UI', 'Noto Sans CJK SC', 'Microsoft YaHei', Helvetica, Arial, sans-serif"
INK, MUTED, GRID = "#1f2933", "#5f6b7a", "#e6e9ee"
ENERGY_COLORS = [
    "#1d4e89", "#2f7fc1", "#6aaed6", "#0f766e", "#34a07c", "#8cc084",
    "#e0a43a", "#c46b3b", "#8d6e63", "#9aa5b1",
]  # fmt: skip
SCOPE_COLORS = ["#0f5c4d", "#2a9d8f", "#a8dadc"]
BAR_COLOR = "#2a9d8f"
# Axis numbers in full with thousands separators, as the tables print them: SI prefixes
# (300k, 1.1M) are Latin letters a Chinese page would not use.
VALUE_FORMAT = ",~f"


def configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """One look for every chart: quiet axes, no frame, the page's font."""
    return (
        chart.configure(font=FONT, background="white")
        .configure_view(stroke=None)
        .configure_axis(
            labelColor=MUTED,
            titleColor=MUTED,
            gridColor=GRID,
            domainColor=GRID,
            tickColor=GRID,
            labelFontSize=11,
            titleFontSize=11,
            titleFontWeight="normal",
        )
        .configure_legend(labelColor=INK, labelFontSize=11, symbolType="square", labelLimit=260)
        .configure_header(labelColor=INK, labelFontSize=12, labelFontWeight="bold")
    )


def energy_mix_chart(rows: list[dict[str, Any]], unit: str) -> alt.TopLevelMixin:
    """Stacked bars of energy use by carrier and year (rows: year, carrier, tce, order)."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(size=42)
        .encode(
            x=alt.X("year:N", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=12)),
            y=alt.Y("sum(tce):Q", title=unit, axis=alt.Axis(format=VALUE_FORMAT, tickCount=5)),
            color=alt.Color(
                "carrier:N",
                title=None,
                scale=alt.Scale(range=ENERGY_COLORS),
                sort=alt.EncodingSortField(field="order", op="min"),
            ),
            order=alt.Order("order:Q", sort="ascending"),
        )
        .properties(width=alt.Step(70), height=260)
    )
    return configured(chart)


def scope_totals_chart(rows: list[dict[str, Any]], scopes: list[str]) -> alt.TopLevelMixin:
    """Stacked Scope 1/2/3 bars per year (rows: year, scope, value, order)."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(size=42)
        .encode(
            x=alt.X("year:N", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=12)),
            y=alt.Y("sum(value):Q", title="tCO2e", axis=alt.Axis(format=VALUE_FORMAT, tickCount=5)),
            color=_scope_color(scopes, legend=alt.Legend(orient="right")),
            order=alt.Order("order:Q", sort="ascending"),
        )
        .properties(width=alt.Step(70), height=260)
    )
    return configured(chart)


def _scope_color(scopes: list[str], legend: alt.Legend) -> alt.Color:
    # An explicit domain keeps Scope 1 darkest in every language (范围二 sorts after 范围三).
    return alt.Color(
        "scope:N", title=None, scale=alt.Scale(domain=scopes, range=SCOPE_COLORS), legend=legend
    )


def emissions_chart(rows: list[dict[str, Any]], scopes: list[str]) -> alt.TopLevelMixin:
    """Scope 1/2/3 per entity, one panel per year (rows: entity, year, scope, value, order)."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y(
                "entity:N",
                title=None,
                sort=alt.EncodingSortField(field="value", op="sum", order="descending"),
                axis=alt.Axis(labelLimit=230, labelFontSize=11),
            ),
            x=alt.X("sum(value):Q", title="tCO2e", axis=alt.Axis(format=VALUE_FORMAT, tickCount=4)),
            color=_scope_color(scopes, legend=alt.Legend(orient="top", direction="horizontal")),
            order=alt.Order("order:Q", sort="ascending"),
        )
        .properties(width=270, height=alt.Step(15))
        .facet(column=alt.Column("year:N", title=None))
    )
    return configured(chart)


def intensity_chart(rows: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """One small bar chart per intensity series, each on its own scale (rows: series, year).

    The bars carry their values, printed as the table below prints them (each row's
    ``text``), so the panels need no y axis; the table names each series in full.
    """
    base = alt.Chart().encode(x=alt.X("year:N", title=None, axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(color=BAR_COLOR, size=24).encode(y=alt.Y("value:Q", axis=None))
    labels = base.mark_text(dy=-7, color=INK, fontSize=11).encode(y="value:Q", text="text:N")
    columns = min(5, max(1, len({r["series"] for r in rows})))
    chart = (
        alt.layer(bars, labels, data=alt.Data(values=rows))
        .properties(width=150, height=120)
        .facet(
            facet=alt.Facet(
                "series:N",
                title=None,
                sort=alt.EncodingSortField(field="order", op="min"),
                header=alt.Header(labelFontSize=11, labelLimit=200),
            ),
            columns=columns,
            spacing=24,
        )
        .resolve_scale(y="independent")
    )
    return configured(chart)


_SIZE = re.compile(r'^<svg([^>]*?) width="([\d.]+)" height="([\d.]+)"')
# Vega describes each mark, axis and title for screen readers, always in English
# ("X-axis for a discrete scale with 3 values"); the chart is one image named in the
# page's language instead.
_VEGA_ARIA = re.compile(r' aria-(?:label|roledescription|description)="[^"]*"')


def to_svg(chart: alt.TopLevelMixin, label: str) -> str:
    """Inline SVG that shrinks with the page but never grows past its drawn size.

    The drawn width stays an attribute and the stylesheet caps it at 100 % with the height
    following the viewBox (``figure.chart svg``): a style attribute would be blocked by the
    Content-Security-Policy (web/headers.py).
    """
    svg = _VEGA_ARIA.sub("", vl_convert.vegalite_to_svg(chart.to_dict()))
    return _SIZE.sub(
        lambda m: f'<svg{m[1]} role="img" aria-label="{html.escape(label)}" width="{m[2]}"',
        svg,
        count=1,
    )


class SvgCache:
    """Rendered charts by key; small and thread-safe (the server renders in a thread pool)."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: dict[Any, dict[str, str]] = {}

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Any, build: Callable[[], dict[str, str]]) -> dict[str, str]:
        """The charts under ``key``, built (outside the lock: rendering is slow) if missing."""
        with self._lock:
            found = self._items.get(key)
        if found is not None:
            return found
        built = build()
        with self._lock:
            if len(self._items) >= self._size:
                self._items.pop(next(iter(self._items)))
            self._items[key] = built
        return built


def monthly_trend_chart(rows: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """One line per series (energy in tce, emissions in tCO2e) over the months, each panel
    on its own scale since the units differ (rows: series, month, value, order)."""
    line = (
        alt.Chart()
        .mark_line(color=BAR_COLOR, point=alt.OverlayMarkDef(color=BAR_COLOR, size=30))
        .encode(
            x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format=VALUE_FORMAT)),
            tooltip=[alt.Tooltip("month:O"), alt.Tooltip("value:Q", format=",.2f")],
        )
    )
    chart = (
        alt.layer(line, data=alt.Data(values=rows))
        .properties(width=260, height=140)
        .facet(
            facet=alt.Facet(
                "series:N",
                title=None,
                sort=alt.EncodingSortField(field="order", op="min"),
                header=alt.Header(labelFontSize=11, labelLimit=260),
            ),
            columns=3,
            spacing=24,
        )
        .resolve_scale(y="independent")
    )
    return configured(chart)
