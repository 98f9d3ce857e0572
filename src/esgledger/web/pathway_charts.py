"""Charts of the targets and pathways pages, as Altair specs drawn to SVG by :mod:`.charts`.

Every function takes plain rows already named in the page's language, so the SVG cache
key (language and rows) says everything a chart depends on.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from esgledger.web.charts import GRID, INK, MUTED, VALUE_FORMAT, configured

STATUS_COLORS = {
    "met": "#0f7b3f",
    "on_track": "#2a9d8f",
    "at_risk": "#d97706",
    "missed": "#b42318",
    "no_data": "#9aa5b1",
}
BAND_COLOR, LINE_COLOR, PEAK_COLOR = "#a8dadc", "#0f5c4d", "#b45309"
SCENARIO_COLORS = ["#5f6b7a", "#2f7fc1", "#0f766e", "#c46b3b", "#8d6e63", "#6aaed6"]
KIND_COLORS = {
    "efficiency": "#2a9d8f",
    "fuel_switch": "#1d4e89",
    "process_change": "#8d6e63",
    "carbon_capture": "#c46b3b",
    "green_electricity": "#8cc084",
}
_YEAR_AXIS = alt.Axis(format="d", labelAngle=0, tickMinStep=1, grid=False)
# Thousands as 290k, small values as they are (0.6 ‰ must not read "600m").


def trajectories_chart(
    rows: list[dict[str, Any]], series: list[str], statuses: dict[str, str], columns: int = 4
) -> alt.TopLevelMixin:
    """One small panel per target: the trajectory, the target level and the actuals.

    rows: ``panel`` (title; ``|`` breaks a line), ``order``, ``year``, ``series`` (one of
    ``series``: trajectory, target level, actual), ``value`` and, for actuals, ``status``
    (a key of ``statuses``), ``status_label`` (its name) and ``projected`` (a run rate,
    drawn as an open dot).
    """
    actual = series[2]
    lines = (
        alt.Chart()
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("year:Q", title=None, axis=_YEAR_AXIS, scale=alt.Scale(nice=False)),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=_value_axis()),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=["#9aa5b1", "#b42318", INK]),
                legend=alt.Legend(orient="top", direction="horizontal", symbolType="stroke"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=series, range=[[5, 3], [2, 2], [1, 0]]),
                legend=None,
            ),
            detail="series:N",
        )
    )
    used = [s for s in statuses if any(r.get("status") == s for r in rows)]
    labels = [statuses[s] for s in used]
    scale = alt.Scale(domain=labels, range=[STATUS_COLORS[s] for s in used])
    actuals = alt.Chart().transform_filter(alt.datum.series == actual)
    points = (
        actuals.transform_filter("!datum.projected")
        .mark_point(filled=True, size=70, opacity=1, stroke="white", strokeWidth=1.2)
        .encode(
            x="year:Q",
            y="value:Q",
            fill=alt.Fill(
                "status_label:N",
                title=None,
                scale=scale,
                legend=alt.Legend(orient="top", direction="horizontal", symbolType="circle"),
            ),
        )
    )
    projected = (  # a run-rate projection: an open dot
        actuals.transform_filter("datum.projected")
        .mark_point(filled=False, size=64, opacity=1, strokeWidth=2.2, fill="white")
        .encode(
            x="year:Q", y="value:Q", stroke=alt.Stroke("status_label:N", scale=scale, legend=None)
        )
    )
    chart = (
        alt.layer(lines, points, projected, data=alt.Data(values=rows))
        .properties(width=215, height=130)
        .facet(
            facet=alt.Facet(
                "panel:N",
                title=None,
                sort=alt.EncodingSortField(field="order", op="min"),
                header=alt.Header(
                    labelExpr="split(datum.value, '|')",
                    labelFontSize=11.5,
                    labelLimit=260,
                    labelAlign="left",
                    labelAnchor="start",
                    labelPadding=6,
                ),
            ),
            columns=columns,
            spacing={"row": 22, "column": 34},
        )
        .resolve_scale(y="independent")
    )
    return configured(chart).configure_legend(
        labelColor=INK, labelFontSize=11, labelLimit=260, symbolSize=90, columnPadding=16
    )


def _value_axis() -> alt.Axis:
    return alt.Axis(format=VALUE_FORMAT, tickCount=4, labelColor=MUTED, gridColor=GRID)


def band_chart(
    rows: list[dict[str, Any]], peak: dict[str, Any], labels: dict[str, str]
) -> alt.TopLevelMixin:
    """The projection: the p5-p95 band as an area, the median as a line, the peak marked.

    rows: ``year``, ``p5``, ``p50``, ``p95`` (tCO2e); peak: ``year``, ``value`` (the median
    in the peak year, where the mark sits) and ``label``; labels: ``band``, ``median``, ``y``.
    """
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("year:Q", title=None, axis=_YEAR_AXIS, scale=alt.Scale(nice=False))
    )
    keys = [labels["band"], labels["median"]]
    legend = alt.Color(
        "key:N",
        title=None,
        scale=alt.Scale(domain=keys, range=[BAND_COLOR, LINE_COLOR]),
        legend=alt.Legend(orient="top", direction="horizontal"),
    )
    band = (
        base.transform_calculate(key=f"'{labels['band']}'")
        .mark_area(opacity=0.65)
        .encode(
            y=alt.Y("p5:Q", title=labels["y"], axis=alt.Axis(format=VALUE_FORMAT, tickCount=6)),
            y2="p95:Q",
            color=legend,
        )
    )
    median = (
        base.transform_calculate(key=f"'{labels['median']}'")
        .mark_line(strokeWidth=2.4)
        .encode(y="p50:Q", color=legend)
    )
    marked = alt.Data(values=[peak])
    rule = (
        alt.Chart(marked)
        .mark_rule(color=PEAK_COLOR, strokeDash=[4, 3], strokeWidth=1.3)
        .encode(x="year:Q")
    )
    dot = (
        alt.Chart(marked)
        .mark_point(filled=True, size=110, color=PEAK_COLOR, opacity=1, stroke="white")
        .encode(x="year:Q", y="value:Q")
    )
    text = (
        alt.Chart(marked)
        .mark_text(
            align=peak.get("align", "left"),
            dx=peak.get("dx", 8),
            dy=-12,
            fontSize=12,
            fontWeight="bold",
            color=PEAK_COLOR,
        )
        .encode(x="year:Q", y="value:Q", text="label:N")
    )
    chart = alt.layer(band, median, rule, dot, text).properties(width=1050, height=300)
    return configured(chart)


def mac_chart(rows: list[dict[str, Any]], kinds: dict[str, str], labels: dict[str, str]):
    """The abatement cost curve: one bar per lever, as wide as its abatement (tCO2e), as
    high as its cost per tonne, cheapest first, on cumulative abatement.

    rows: ``n`` (the lever's number in the table), ``start``, ``end``, ``cost``, ``kind``
    (a key of ``kinds``, whose values name the legend); labels: ``x``, ``y``.
    """
    used = [k for k in kinds if any(r["kind"] == k for r in rows)]
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_rect(stroke="white", strokeWidth=0.8).encode(
        x=alt.X("start:Q", title=labels["x"], axis=alt.Axis(format=VALUE_FORMAT, tickCount=8)),
        x2="end:Q",
        y=alt.Y("cost:Q", title=labels["y"], axis=alt.Axis(format=VALUE_FORMAT, tickCount=6)),
        y2=alt.datum(0),
        color=alt.Color(
            "kind_label:N",
            title=None,
            scale=alt.Scale(
                domain=[kinds[k] for k in used], range=[KIND_COLORS.get(k, MUTED) for k in used]
            ),
            legend=alt.Legend(orient="top", direction="horizontal"),
        ),
    )
    middle = base.transform_calculate(mid="(datum.start + datum.end) / 2")
    numbers = [
        middle.transform_filter(test)
        .mark_text(fontSize=10.5, color=INK, fontWeight="bold", dy=dy)
        .encode(x="mid:Q", y="cost:Q", text="n:N")
        for test, dy in ((alt.datum.cost >= 0, -8), (alt.datum.cost < 0, 9))
    ]
    zero = alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(color=MUTED).encode(y="y:Q")
    return configured(alt.layer(bars, zero, *numbers).properties(width=1050, height=280))


def compare_chart(
    rows: list[dict[str, Any]], peaks: list[dict[str, Any]], scenarios: list[str], y_title: str
) -> alt.TopLevelMixin:
    """The median Scope 1+2 of every scenario, one line each, each peak a dot.

    rows: ``scenario`` (a title), ``year``, ``p50``; peaks: ``scenario``, ``year``, ``p50``.
    """
    color = alt.Color(
        "scenario:N",
        title=None,
        scale=alt.Scale(domain=scenarios, range=SCENARIO_COLORS[: len(scenarios)]),
        legend=alt.Legend(orient="top", direction="horizontal", labelLimit=320),
    )
    lines = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(strokeWidth=2.2)
        .encode(
            x=alt.X("year:Q", title=None, axis=_YEAR_AXIS, scale=alt.Scale(nice=False)),
            y=alt.Y("p50:Q", title=y_title, axis=alt.Axis(format=VALUE_FORMAT, tickCount=6)),
            color=color,
        )
    )
    dots = (
        alt.Chart(alt.Data(values=peaks))
        .mark_point(filled=True, size=90, opacity=1, stroke="white", strokeWidth=1.2)
        .encode(x="year:Q", y="p50:Q", color=alt.Color("scenario:N", legend=None))
    )
    years = (
        alt.Chart(alt.Data(values=peaks))
        .mark_text(dy=-12, fontSize=11, fontWeight="bold")
        .encode(x="year:Q", y="p50:Q", text="year:N", color=alt.Color("scenario:N", legend=None))
    )
    return configured(alt.layer(lines, dots, years).properties(width=1050, height=280))
