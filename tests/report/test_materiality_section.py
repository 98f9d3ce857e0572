"""The report's materiality section: the matrix and topic list, and the index items it answers."""

from __future__ import annotations

import re

import pytest

from esgledger.catalog import load_catalog
from esgledger.report.index import build_index, without_empty_sections


def _section(html: str) -> str:
    found = re.search(r'<section class="body" id="(s-materiality)">(.*?)</section>', html, re.S)
    assert found, "the report has no materiality section"
    return found[2]


WORDS = {
    "en": ["Innovation-Driven Development", "Financial materiality"],
    "zh": ["创新驱动发展", "财务重要性", "高度重要"],
}


@pytest.mark.parametrize("lang, words", WORDS.items())
def test_the_section_shows_the_matrix_and_the_material_topics(demo_report, lang, words):
    section = _section(demo_report.path(lang, "html").read_text(encoding="utf-8"))
    assert "<svg" in section
    assert all(word in section for word in words)


def test_gri_3_and_sse_article_5_point_to_the_section(demo_report):
    html = demo_report.path("en", "html").read_text(encoding="utf-8")
    for row_id in ("gri 3-1", "gri 3-2", "gri 3-3", "sse14 Art.5"):
        row = re.search(rf'<tr data-row="{re.escape(row_id)}">(.*?)</tr>', html, re.S)
        assert row and 'href="#s-materiality"' in row[1], row_id


def test_without_an_assessment_the_index_does_not_claim_gri_3():
    catalog = load_catalog()
    index = build_index(catalog, ["gri"], {}, [])
    assert next(i for i in index["gri"] if i.code == "3-1").places == ("section:materiality",)
    index = without_empty_sections(index, ["materiality"])
    assert next(i for i in index["gri"] if i.code == "3-1").places == ()
