"""The demo group's 2024 report reproduces the reference report's published figures.

The demo ledger holds the figures the reference report publishes (demo/data/published.yaml);
its report, built only from the ledger and the engine, must print them, in both languages,
in the PDF a reader gets.
"""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from tests.report.conftest import pdf_text

from esgledger.demo.generate import published_totals
from esgledger.report import ReportRequest, build_report
from esgledger.report.payload import numbers_only
from esgledger.report.verify import payload_of, verify_report

# Figures of the reference report (Resource Efficiency, p.64 and the water table) as printed.
REFERENCE_FIGURES = {
    "purchased electricity (MWh)": "819,687",
    "natural gas (m3)": "69,759,526",
    "energy intensity (kgce/tREO)": "919",
    "recycled water (ML)": "8,030",
    "purchased steam (t)": "41,225",
    "coke oven gas (m3)": "20,456,292",
    "power coal (t)": "90,899",
    "diesel (t)": "931",
    "self-generated renewable electricity (MWh)": "93,750",
    "R&D expenditure (CNY million)": "1,604",
}


@pytest.fixture(scope="module")
def texts(demo_report) -> dict[str, str]:
    return {lang: pdf_text(demo_report.path(lang, "pdf")) for lang in ("en", "zh")}


def test_the_build_writes_every_language_and_format(demo_report):
    written = {p.name for p in demo_report.result.paths}
    expected = {
        f"esg-report-2024-{lang}.{fmt}" for lang in ("en", "zh") for fmt in ("html", "pdf", "xlsx")
    }
    assert written == expected
    assert demo_report.result.warnings == ()  # fonts-noto-cjk is installed where tests run


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pdf_prints_the_reference_reports_figures(texts, lang):
    missing = {
        name: figure for name, figure in REFERENCE_FIGURES.items() if figure not in texts[lang]
    }
    assert not missing, f"{lang} PDF lacks {missing}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_published_2024_figure_in_physical_units_is_printed(texts, lang):
    """Money is printed in CNY million, so only figures in other units compare as written."""
    expected = {
        indicator: f"{float(figure):,.{max(0, -figure.as_tuple().exponent)}f}"
        for (indicator, year), figure in published_totals().items()
        if year == 2024 and not _is_money(indicator)
    }
    missing = {i: text for i, text in expected.items() if text not in texts[lang]}
    assert not missing, f"{lang} PDF lacks {missing}"


def _is_money(indicator: str) -> bool:
    from esgledger.catalog import load_catalog

    return load_catalog().get(indicator).unit == "CNY"


def test_the_pdfs_are_in_their_language_with_contents_and_page_numbers(texts, demo_report):
    assert "Performance Tables" in texts["en"] and "Purchased electricity" in texts["en"]
    assert "绩效数据表" in texts["zh"] and "外购电力" in texts["zh"] and "指标索引" in texts["zh"]
    for lang in ("en", "zh"):
        reader = PdfReader(demo_report.path(lang, "pdf"))
        assert len(reader.pages) > 10
        second = reader.pages[1].extract_text()
        assert re.search(r"\.{5,}\s*\d+", second), "the contents page lists page numbers"
        assert reader.pages[5].extract_text().strip().splitlines()[-1].strip() == "6"


def test_the_cover_carries_snapshot_datasets_method_set_and_version(texts, demo_report):
    import esgledger

    first_page = texts["en"].split("\f")[0]
    assert demo_report.result.snapshot_hash in first_page.replace("\n", "").replace(" ", "")
    assert "Chinese national practice" in first_page  # the method set, worded for a reader
    assert "GB/T 2589-2020" in first_page  # a dataset, by its title
    assert f"esgledger {esgledger.__version__}" in first_page


def test_the_cover_carries_the_audit_checkpoint_of_the_snapshot(texts, demo_report):
    from esgledger.ledger import checkpoint
    from esgledger.ledger.database import unit_of_work
    from esgledger.ledger.schema import Snapshot

    with unit_of_work(demo_report.database) as session:
        stored = session.get(Snapshot, demo_report.result.snapshot_id).audit_checkpoint
    head = checkpoint.parse(stored, "the demo snapshot")
    first_page = texts["en"].split("\f")[0].replace("\n", "").replace(" ", "")
    assert head.head_hash in first_page and f"entry{head.entry_id}," in first_page


def test_the_html_is_one_self_contained_file(demo_report):
    html = demo_report.path("en", "html").read_text(encoding="utf-8")
    assert "<svg" in html and "<style>" in html
    assert not re.search(r"<link|<img|src=\"http|href=\"http|@import", html)


@pytest.mark.parametrize("lang, fmt", [("en", "html"), ("zh", "xlsx"), ("zh", "pdf")])
def test_the_untouched_reports_verify(demo_report, catalog, lang, fmt):
    result = verify_report(demo_report.database, catalog, demo_report.path(lang, fmt))
    assert result.ok, result.differences
    assert result.checked > 500 and result.units > 500


def test_a_second_build_of_the_snapshot_prints_the_same_numbers(demo_report, catalog, tmp_path):
    first = payload_of(demo_report.path("en", "html"))
    request = ReportRequest(
        2024, snapshot_id=first["snapshot_id"], factor_files=(demo_report.factors,)
    )
    build_report(demo_report.database, catalog, request, tmp_path, langs=["en"], formats=["html"])
    second = payload_of(tmp_path / "esg-report-2024-en.html")
    assert numbers_only(second) == numbers_only(first)
    assert len(first["values"]) > 500


def test_targets_are_judged_and_drawn_against_the_trends(demo_report):
    html = demo_report.path("en", "html").read_text(encoding="utf-8")
    assert "Carbon intensity of the 7 key entities" in html
    assert "≤ 2.956 tCO₂e/tREO in 2025" in html
    assert re.search(r'status-(met|on_track|at_risk|missed)">', html)
    zh = demo_report.path("zh", "html").read_text(encoding="utf-8")
    assert "七家重点单位碳排放强度" in zh and "2025年≤2.956吨二氧化碳当量/吨REO" in zh
