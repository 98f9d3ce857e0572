"""Modeled marks ("M") on the small group's report: set from a published-figures file, kept
in the build record, and checked by `report verify` like every other printed item."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.report import ReportRequest, build_report, verify_report

HEADER = "indicator,scope,period,value,unit,tolerance,printed,section,table,line,note\n"
PUBLISHED = HEADER + (
    'energy.purchased_electricity,group,2024,1200,MWh,0.5,"1,200",Energy,Table 1,10,\n'
)
HTML = "esg-report-2024-en.html"


@pytest.fixture
def built(small_ledger, catalog, tmp_path: Path) -> Path:
    published = tmp_path / "published.csv"
    published.write_text(PUBLISHED, encoding="utf-8")
    request = ReportRequest(2024, snapshot_id=1, published_file=published)
    build_report(small_ledger, catalog, request, tmp_path / "out", langs=["en"], formats=["html"])
    return tmp_path / "out" / HTML


def _marks(html: str) -> dict[str, str]:
    found = re.findall(r'data-key="([^"]+)">([^<]*)</span><span class="mk">([^<]*)</span>', html)
    return {key: mark for key, text, mark in found if text.strip() != "/"}


def test_only_the_published_figure_is_unmarked(built):
    marks = _marks(built.read_text(encoding="utf-8"))
    assert marks["energy.purchased_electricity|group|2024"] == ""
    assert "M" in marks["energy.purchased_electricity|group|2023"]
    assert "M" in marks["production.reo_output|group|2024"]
    assert '<span class="mark">M</span> Modeled' in built.read_text(encoding="utf-8")


def test_without_published_figures_nothing_is_marked(small_ledger, catalog, tmp_path):
    request = ReportRequest(2024, snapshot_id=1)
    build_report(small_ledger, catalog, request, tmp_path / "out", langs=["en"], formats=["html"])
    marks = _marks((tmp_path / "out" / HTML).read_text(encoding="utf-8"))
    assert marks and not any("M" in mark for mark in marks.values())


def test_the_marked_report_verifies_and_a_removed_mark_is_found(built, small_ledger, catalog):
    assert verify_report(small_ledger, catalog, built).ok
    html = built.read_text(encoding="utf-8")
    key = "production.reo_output|group|2024"
    tampered = re.sub(
        rf'(data-key="{re.escape(key)}">[^<]*</span><span class="mk">)M', r"\1", html, count=1
    )
    assert tampered != html
    built.write_text(tampered, encoding="utf-8")
    assert not verify_report(small_ledger, catalog, built).ok


def test_a_changed_published_file_is_named(built, small_ledger, catalog, tmp_path):
    (tmp_path / "published.csv").write_text(PUBLISHED.replace(",1200,", ",1300,"), "utf-8")
    result = verify_report(small_ledger, catalog, built)
    assert any(d.startswith("published: the report was built with") for d in result.differences)
