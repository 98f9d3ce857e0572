"""The report's climate section and the IFRS S2 strategy items, answered from the register."""

from __future__ import annotations

import re

from tests.report.conftest import DemoReport


def _index_row(html: str, code: str) -> str:
    """The index row of IFRS S2 item ``code`` (its cells, as text)."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    found = [r for r in rows if f">{code}<" in r and "IFRS" not in r]
    assert found, code
    return re.sub(r"<[^>]+>", " ", found[-1])


def test_the_climate_section_lists_the_registers_items_and_scenarios(
    demo_report: DemoReport,
) -> None:
    html = demo_report.path("en", "html").read_text(encoding="utf-8")
    assert "Climate Risks and Opportunities" in html
    assert "8 climate-related risks and 5 opportunities" in html
    assert "Tighter carbon quotas, carbon taxes and stricter standards" in html
    assert "Scenario analysis and climate resilience" in html
    zh = demo_report.path("zh", "html").read_text(encoding="utf-8")
    assert "气候风险与机遇" in zh and "极端高温与寒潮" in zh and "情景分析与气候韧性" in zh


def test_each_edition_prints_the_responses_in_its_own_language(demo_report: DemoReport) -> None:
    en = demo_report.path("en", "html").read_text(encoding="utf-8")
    zh = demo_report.path("zh", "html").read_text(encoding="utf-8")
    assert "Water-saving technologies and comprehensive water recycling systems." in en
    assert "推广节水技术，建设综合水循环利用系统。" in zh
    assert "推广节水技术" not in en and "Water-saving technologies" not in zh


def test_ifrs_s2_strategy_items_point_to_the_section_instead_of_a_slash(
    demo_report: DemoReport,
) -> None:
    html = demo_report.path("en", "html").read_text(encoding="utf-8")
    for code in ("10", "13", "14", "15-21", "22"):
        row = _index_row(html, code)
        assert "Climate Risks and Opportunities" in row, row


def test_an_empty_register_answers_no_index_item() -> None:
    from esgledger.report.facts import IndexItem
    from esgledger.report.index import without_empty_sections

    item = IndexItem("ifrs_s2", "10", "risks", None, "Strategy", ("section:climate_risks",))
    other = IndexItem("gri", "2-3", "period", None, "GRI 2", ("section:about",))
    index = {"ifrs_s2": [item], "gri": [other]}
    assert without_empty_sections(index, ["climate_risks"])["ifrs_s2"][0].places == ()
    assert without_empty_sections(index, ["climate_risks"])["gri"][0].places == other.places
    assert without_empty_sections(index, [])["ifrs_s2"][0].places == item.places
