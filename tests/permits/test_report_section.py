"""The report's permits section counts the demo register's results, and the index items on
pollutant discharge (GRI 303-4, 305-7, SSE Art.30, Art.33) point to it."""

from __future__ import annotations

import csv
import re
from importlib.resources import files
from pathlib import Path

import pytest

RESULTS_CSV = Path(str(files("esgledger.demo"))) / "data" / "permits" / "results_2024.csv"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def demo_result_count() -> int:
    with RESULTS_CSV.open(encoding="utf-8") as handle:
        return sum(1 for row in csv.DictReader(handle) if row["sampled_at"].startswith("2024"))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "Of {n:,} monitoring results in the year, {n:,} were within their permit limits: "
            "a compliance rate of 100.0%",
        ),
        ("zh", "全年监测结果{n:,}次，其中{n:,}次符合许可限值，达标率为100.0%"),
    ],
)
def test_the_section_prints_the_registers_compliance_rate(demo_report, lang, expected):
    html = demo_report.path(lang, "html").read_text(encoding="utf-8")
    section = text_of(html.split('id="s-permits"', 1)[1].split("</section>", 1)[0])
    # the demo's 2024 results are all within limits, as the reference report says of its sites
    assert expected.format(n=demo_result_count()) in section


@pytest.mark.parametrize("code", ["303-4", "305-7", "Art.30", "Art.33"])
def test_index_items_on_pollutant_discharge_point_to_the_section(demo_report, code):
    html = demo_report.path("en", "html").read_text(encoding="utf-8")
    row = html.split(f">{code}<", 1)[1].split("</tr>", 1)[0]
    assert "Permits and Discharge Compliance" in text_of(row)
