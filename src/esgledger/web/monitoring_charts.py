"""The monitoring dashboard's charts: a day's load profile against its usual day, the
site's day totals, and the months metered beside the ledger (Altair, drawn to SVG on the
server by :func:`esgledger.web.charts.to_svg`)."""

from __future__ import annotations

from typing import Any

import altair as alt

from esgledger.web.charts import BAR_COLOR, MUTED, VALUE_FORMAT, configured

PAIR = [BAR_COLOR, MUTED]  # what is measured, what it is set against


def profile_chart(rows: list[dict[str, Any]], series: list[str]) -> alt.TopLevelMixin:
    """Two lines over the hours of the day (rows: hour, series, value)."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=alt.OverlayMarkDef(size=20))
        .encode(
            x=alt.X("hour:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format=VALUE_FORMAT)),
            color=_pair(series),
            strokeDash=alt.StrokeDash("series:N", scale=_dashes(series), legend=None),
        )
        .properties(width=560, height=200)
    )
    return configured(chart)


def days_chart(rows: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """One bar per day (rows: day, value)."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color=BAR_COLOR)
        .encode(
            x=alt.X("day:O", title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format=VALUE_FORMAT)),
        )
        .properties(width=560, height=180)
    )
    return configured(chart)


def months_chart(rows: list[dict[str, Any]], series: list[str]) -> alt.TopLevelMixin:
    """Two bars per month side by side (rows: month, series, value)."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-45)),
            xOffset=alt.XOffset("series:N", sort=series),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format=VALUE_FORMAT)),
            color=_pair(series),
        )
        .properties(width=560, height=180)
    )
    return configured(chart)


def _dashes(series: list[str]) -> alt.Scale:
    return alt.Scale(domain=series, range=[[1, 0], [4, 3]])


def _pair(series: list[str]) -> alt.Color:
    legend = alt.Legend(title=None, orient="top")
    return alt.Color("series:N", scale=alt.Scale(domain=series, range=PAIR), legend=legend)
