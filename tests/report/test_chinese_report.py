"""The Chinese edition reads as Chinese: no English outside names, units and standard codes,
no developer text, and a PDF outline a reader can navigate by."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from tests.report.conftest import pdf_text
from tests.report.latin_text import english_words


@pytest.fixture(scope="module")
def chinese_text(demo_report) -> str:
    return pdf_text(demo_report.path("zh", "pdf"))


def test_the_chinese_pdf_has_no_english_outside_names_units_and_codes(chinese_text):
    found = english_words(chinese_text)
    assert not found, f"English in the Chinese PDF: {sorted(set(found))[:40]}"


def test_the_check_finds_an_english_sentence_put_back(chinese_text):
    sentence = "ghg.scope3_cat3: energy.diesel not counted: no factor given"
    assert english_words(chinese_text + "\n" + sentence)  # the check is not blind
    assert english_words("温室气体排放量 tCO2e GB/T 2589-2020 E.1.1.1 29(a)(iv)") == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_neither_edition_prints_developer_text(demo_report, lang):
    text = pdf_text(demo_report.path(lang, "pdf"))
    for developer_text in (
        "`",
        "not counted: no factor",
        "ILLUSTRATIVE",
        "scope3_ef.",
        "ghg.scope",
    ):
        assert developer_text not in text, f"{lang}: {developer_text!r}"


def test_index_items_the_report_answers_itself_point_to_their_section(chinese_text):
    row = next(line for line in chinese_text.splitlines() if line.lstrip().startswith("2-3 "))
    assert "关于本报告" in row and not row.rstrip().endswith("/")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pdf_has_an_outline_of_its_sections_and_tables(demo_report, lang):
    outline = PdfReader(demo_report.path(lang, "pdf")).outline
    titles = [entry.title for entry in _flat(outline)]
    section = "1 关于本报告" if lang == "zh" else "1 About this Report"
    assert section in titles, titles[:10]
    assert len(titles) > 20  # sections, their tables and the framework indices


def _flat(outline: list) -> list:
    return [e for item in outline for e in (_flat(item) if isinstance(item, list) else [item])]
