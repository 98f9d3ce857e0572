"""Every figure the software prints, read back from each output in machine-readable form.

One :class:`Printed` per (output, indicator, scope, period): the report HTML (its embedded
data block for values and printed precision, the table rows for labels, the targets table's
data attributes), the XLSX annex (its values sheet), the dashboard JSON of the API, the
API's ``/results`` and the ``calc`` JSON export. The tests in test_one_value_per_kpi.py then
check that these agree.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from esgledger.catalog.registry import Catalog
from esgledger.report.verify import payload_of

_ROW = re.compile(r'<tr[^>]*>\s*<td class="ind">(.*?)</td>(.*?)</tr>', re.S)
_KEY = re.compile(r'<span data-key="([^"]+)">([^<]*)</span>')
_GOAL = re.compile(r"<td (data-goal=[^>]*)>(.*?)</td>", re.S)
_ATTRIBUTE = re.compile(r'data-([a-z]+)="([^"]*)"')


@dataclass(frozen=True)
class Printed:
    """One figure as one output gives it; ``tolerance`` is half its printed last digit."""

    source: str
    indicator: str
    scope: str
    period: str
    value: float
    unit: str
    tolerance: float = 0.0
    label: str | None = None  # the row label, in the output's language
    lang: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return self.indicator, self.scope, self.period


@dataclass(frozen=True)
class Goal:
    """A target's latest value in the report's targets table."""

    indicator: str
    scope: str
    period: str
    kind: str
    value: float


def from_report_html(path: Path, lang: str) -> tuple[list[Printed], list[Goal]]:
    """Values of the data block, labelled by the table rows that print them; the goals."""
    text = path.read_text(encoding="utf-8")
    labels, printed_texts = {}, {}
    for label, cells in _ROW.findall(text):
        for key, shown in _KEY.findall(cells):
            labels[key] = html.unescape(label).strip()
            printed_texts[key] = html.unescape(shown)
    found = []
    for item in payload_of(path)["values"]:
        if item["value"] is None:  # a year the row prints as "/"
            continue
        indicator, scope, period = item["key"].split("|")
        decimals = item.get("decimals")
        tolerance = 0.0 if decimals is None else 0.5 * 10.0**-decimals / item["scale"]
        if decimals is not None:
            assert printed_texts.get(item["key"]) == item["text"], item["key"]
        found.append(
            Printed(
                f"html-{lang}",
                indicator,
                scope,
                period,
                float(item["value"]),
                item["unit"],
                tolerance,
                labels.get(item["key"]),
                lang,
            )
        )
    return found, _goals(text)


def _goals(text: str) -> list[Goal]:
    goals = []
    for attributes, _ in _GOAL.findall(text):
        data = dict(_ATTRIBUTE.findall(attributes))
        if data.get("value"):
            goals.append(
                Goal(
                    data["indicator"],
                    data["scope"],
                    data["period"],
                    data["kind"],
                    float(data["value"]),
                )
            )
    return goals


def from_annex(path: Path, lang: str) -> list[Printed]:
    """The values sheet: indicator id, name, target, year, value, unit per row."""
    book = load_workbook(path, read_only=True)
    sheet = book.worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    return [
        Printed(
            f"xlsx-{lang}", row[1], row[3], str(row[4]), float(row[5]), row[6], 0.0, row[2], lang
        )
        for row in rows[1:]
    ]


def from_dashboard(data: dict[str, Any], catalog: Catalog) -> list[Printed]:
    """The dashboard JSON: intensities and emissions by scope."""
    found = [
        Printed("dashboard", r["indicator"], r["code"], r["year"], r["value"], r["unit"])
        for r in data["intensities"]
        if r["value"] is not None
    ]
    found += [
        Printed(
            "dashboard", r["scope"], r["code"], r["year"], r["value"], catalog.get(r["scope"]).unit
        )
        for r in data["emissions"]
        if r["value"] is not None
    ]
    return found


def from_long_rows(rows: list[dict[str, Any]], source: str) -> list[Printed]:
    """Long rows of the API's /results or of `calc --format json`: the boundary level."""
    return [
        Printed(source, r["indicator"], r["code"], r["period"], float(r["value"]), r["unit"])
        for r in rows
        if r["level"] == "boundary"
    ]


def read_json_rows(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))
