"""The report's charts as inline SVG: Altair specs rendered by vl-convert.

SVG is vector and carries its own text, so the HTML and the PDF show the same drawing at any
zoom. Labels come from the catalog and the locale; the numbers come from the facts only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert as vlc

from esgledger.catalog.registry import Catalog
from esgledger.glossary import load_glossary
from esgledger.report.config import Strings
from esgledger.report.fmt import decimals_for, format_number

FONT = "Noto Sans CJK SC"
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")
PALETTE = ["#0f5c4d", "#2f8f6f", "#7cbf8e", "#c5e1a5", "#e0b84f", "#d9822b", "#8c6d46", "#5b7fa6"]
WIDTH, HEIGHT = 290, 200  # a half-width chart; wide charts span the text width
WIDE_WIDTH = 600
WIDE = frozenset({"energy_mix", "intensity_trends"})


@cache
def _fonts_registered() -> bool:
    """vl-convert measures text with the fonts it knows; give it the CJK ones once."""
    for folder in FONT_DIRS:
        if Path(folder).is_dir():
            vlc.register_font_directory(folder)
    return True


def render_chart(kind: str, data: dict[str, Any], strings: Strings, catalog: Catalog) -> str | None:
    """One chart as an SVG string, or None when it has nothing to draw."""
    builder = BUILDERS[kind]
    chart = builder(data, strings, catalog)
    if chart is None:
        return None
    _fonts_registered()
    spec = chart.configure(font=FONT, background="white").configure_view(stroke=None)
    spec = spec.configure_axis(labelFontSize=10, titleFontSize=10, gridColor="#e6ece9")
    spec = spec.configure_legend(
        labelFontSize=10, titleFontSize=10, orient="bottom", columns=3, labelLimit=220
    )
    svg = vlc.vegalite_to_svg(spec.to_dict())
    return _unique_ids(svg, kind)


def _energy_mix(data: dict, strings: Strings, catalog: Catalog) -> alt.Chart | None:
    carriers = list(dict.fromkeys(r["carrier"] for r in data["energy_mix"]))
    rows = [
        {
            "year": r["year"],
            "series": catalog.get(r["carrier"]).name(strings.lang),
            "rank": carriers.index(r["carrier"]),
            "value": r["tce"],
        }
        for r in data["energy_mix"]
    ]
    legend = alt.Legend(orient="right", columns=1)
    return _stacked(rows, strings("charts.carrier"), strings("charts.tce"), legend)


def _scope_rows(rows: list[dict], strings: Strings, **keep: str) -> list[dict]:
    """Rows labelled "Scope 1/2/3" in the report language, ranked by scope number."""
    return [
        {
            **{name: r[field] for name, field in keep.items()},
            "series": strings(f"charts.{r['indicator'].split('.')[1]}"),
            "rank": int(r["indicator"][-1]),
            "value": r["value"],
        }
        for r in rows
    ]


def _emissions_by_scope(data: dict, strings: Strings, catalog: Catalog) -> alt.Chart | None:
    rows = _scope_rows(data["emissions_by_scope"], strings, year="year")
    return _stacked(rows, strings("charts.scope"), strings("charts.tco2e"))


def _series_color(rows: list[dict], title: str, legend: Any = None) -> alt.Color:
    """Colours by rank, so a series has the same colour and place in both languages."""
    labels = [r["series"] for r in sorted(rows, key=lambda r: r["rank"])]
    domain = list(dict.fromkeys(labels))
    return alt.Color(
        "series:N",
        title=title,
        sort=domain,
        scale=alt.Scale(domain=domain, range=PALETTE[: len(domain)]),
        legend=legend or alt.Undefined,
    )


def _stacked(rows: list[dict], title: str, unit: str, legend: Any = None) -> Any:
    if not rows:
        return None
    width = WIDE_WIDTH - 260 if legend is not None else WIDTH - 40
    base = alt.Chart(alt.Data(values=rows)).properties(width=width, height=HEIGHT)
    bars = base.mark_bar(size=38).encode(
        x=alt.X("year:N", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(value):Q", title=unit, axis=alt.Axis(format=",.0f")),
        color=_series_color(rows, title, legend),
        order=alt.Order("rank:Q"),
    )
    totals = base.mark_text(dy=-6, fontSize=10, color="#333").encode(
        x="year:N", y=alt.Y("sum(value):Q"), text=alt.Text("sum(value):Q", format=",.0f")
    )
    return alt.layer(bars, totals)


def _emissions_by_segment(data: dict, strings: Strings, catalog: Catalog) -> alt.Chart | None:
    rows = _scope_rows(data["emissions_by_segment"], strings, code="code")
    for row in rows:
        row["segment"] = strings.get(f"segments.{row['code'].split(':', 1)[1]}", row["code"])
    if not rows:
        return None
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(size=16)
        .encode(
            y=alt.Y("segment:N", title=None, sort="-x"),
            x=alt.X(
                "sum(value):Q",
                title=strings("charts.tco2e"),
                axis=alt.Axis(format=",.0f", tickCount=4),
            ),
            color=_series_color(rows, strings("charts.scope")),
            order=alt.Order("rank:Q"),
        )
        .properties(width=WIDTH - 70, height=HEIGHT - 20)
    )


def _intensity_trends(data: dict, strings: Strings, catalog: Catalog) -> alt.Chart | None:
    """The group's intensities, then one panel per intensity target with its path."""
    panels = []
    narrow = bool(data.get("targets"))  # three panels a row once targets add theirs
    for indicator in dict.fromkeys(r["indicator"] for r in data["intensity_trends"]):
        spec = catalog.get(indicator)
        rows = [r for r in data["intensity_trends"] if r["indicator"] == indicator]
        panels.append(_trend(rows, [], spec.name(strings.lang), spec.unit, strings, narrow))
    for target in dict.fromkeys(r["target"] for r in data.get("targets", [])):
        rows = [r for r in data["targets"] if r["target"] == target]
        actual = [
            {"year": r["year"], "value": r["actual"]} for r in rows if r["actual"] is not None
        ]
        unit = catalog.get(rows[0]["indicator"]).unit
        name = rows[0][f"name_{strings.lang}"]
        panels.append(_trend(actual, rows, name, unit, strings, narrow))
    if not panels:
        return None
    if len(panels) <= 2:
        return alt.hconcat(*panels, spacing=48)
    return alt.concat(*panels, columns=3, spacing=28)


def _trend(
    rows: list[dict], path: list[dict], title: str, unit: str, strings: Strings, narrow: bool
) -> Any:
    decimals = decimals_for([r["value"] for r in rows])  # labels as the tables print them
    labelled = [{**r, "label": format_number(r["value"], decimals)} for r in rows]
    width = WIDE_WIDTH // 3 - 60 if narrow else WIDE_WIDTH // 2 - 70
    base = alt.Chart(alt.Data(values=labelled)).properties(
        width=width, height=150, title=alt.Title(_lines(title, width), fontSize=10)
    )
    y = alt.Y(
        "value:Q",
        title=load_glossary().unit_label(unit, strings.lang),
        scale=alt.Scale(zero=False, padding=14),
    )
    x = alt.X("year:N", title=None, axis=alt.Axis(labelAngle=0))
    line = base.mark_line(point=True, color=PALETTE[0]).encode(x=x, y=y)
    # labels last, each on a white halo: no line (the trend, the dashed target path) runs
    # through a figure
    halo = base.mark_text(dy=-10, fontSize=9, stroke="white", strokeWidth=3, strokeJoin="round")
    text = base.mark_text(dy=-10, fontSize=9, color="#333")
    lines = [line, *(_target_layers(path, x) if path else [])]
    return alt.layer(*lines, *(mark.encode(x=x, y=y, text="label:N") for mark in (halo, text)))


def _lines(title: str, width: int) -> list[str]:
    """A panel title broken into lines that fit its width (CJK characters are twice as wide)."""
    lines, current, used = [], "", 0.0
    for word in re.findall(
        r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*", title
    ):
        size = len(word) * (10.0 if re.match(r"[\u3000-\u9fff\uff00-\uffef]", word) else 5.6)
        if current and used + size > width + 30:
            lines.append(current.rstrip())
            current, used = "", 0.0
        current, used = current + word, used + size
    return [*lines, current.rstrip()] if current else lines


def _target_layers(path: list[dict], x: Any) -> list[Any]:
    """The path from the base year (dashed) and the target value (a diamond)."""
    trajectory = [{"year": r["year"], "value": r["trajectory"]} for r in path if r["trajectory"]]
    final = [{"year": path[-1]["year"], "value": path[-1]["threshold"]}]
    layers = [
        alt.Chart(alt.Data(values=trajectory))
        .mark_line(strokeDash=[4, 3], color=PALETTE[5])
        .encode(x=x, y="value:Q")
    ]
    if final[0]["value"] is not None:
        layers.append(
            alt.Chart(alt.Data(values=final))
            .mark_point(shape="diamond", size=70, color=PALETTE[5], filled=True)
            .encode(x=x, y="value:Q")
        )
    return layers


def _unique_ids(svg: str, prefix: str) -> str:
    """Several SVGs inline in one page must not share element ids (clip paths, gradients)."""
    ids = set(re.findall(r'id="([^"]+)"', svg))
    for name in ids:
        svg = svg.replace(f'id="{name}"', f'id="{prefix}-{name}"')
        svg = svg.replace(f"url(#{name})", f"url(#{prefix}-{name})")
    return svg


BUILDERS: dict[str, Callable[[dict, Strings, Any], Any]] = {
    "energy_mix": _energy_mix,
    "emissions_by_scope": _emissions_by_scope,
    "emissions_by_segment": _emissions_by_segment,
    "intensity_trends": _intensity_trends,
}
