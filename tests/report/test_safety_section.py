"""The report's safety risk management section: counts from the register, the map, LTIFR,
and the index items it answers (GRI 403-2, SASAC S1.3.2, HKEX B2.3)."""

from __future__ import annotations

import re

from tests.report.conftest import pdf_text


def section(html: str) -> str:
    start = html.index('id="s-safety_risk"')
    return html[start : html.index("</section>", start)]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_section_prints_the_registers_counts_and_rates_in_chinese(demo_report):
    html = section(demo_report.path("zh", "html").read_text(encoding="utf-8"))
    shown = text(html)
    assert "排查隐患 4,562" in shown and "整改隐患（验收并销号） 4,562" in shown
    assert "隐患整改率 100.0%" in shown and "应急演练 472" in shown
    assert "百万工时损工事故率 0.145" in shown  # 3 / 20,677,000 h x 10^6
    assert "<svg" in html and "重大风险（红）" in html


def test_the_index_names_the_section_for_hazard_identification(demo_report):
    html = demo_report.path("en", "html").read_text(encoding="utf-8")
    index = text(html[html.index('id="s-index"') :])
    assert re.search(
        r"403-2 Hazard identification, risk assessment, and incident investigation "
        r"\S+ Safety Risk Management",
        index,
    )


def test_the_pdf_carries_the_section(demo_report):
    assert "Safety Risk Management" in pdf_text(demo_report.path("en", "pdf"))
