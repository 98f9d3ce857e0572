"""The demo report marks every figure the published report does not give as modeled ("M").

The demo carries the real group's name: a reader must tell the report's own figures from the
demo's assumptions and splits at a glance, with a legend under each table that has any.
"""

from __future__ import annotations

import re

import pytest

from esgledger.catalog import load_catalog
from esgledger.demo.reproduce import published_figures


def _marks(html: str) -> dict[str, str]:
    """The mark printed after each reported value ("/" is not one), by indicator|target|year."""
    found = re.findall(r'data-key="([^"]+)">([^<]*)</span><span class="mk">([^<]*)</span>', html)
    return {key: mark for key, text, mark in found if text.strip() != "/"}


@pytest.fixture(scope="module")
def marks(demo_report) -> dict[str, dict[str, str]]:
    return {
        lang: _marks(demo_report.path(lang, "html").read_text(encoding="utf-8"))
        for lang in ("en", "zh")
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_published_figures_are_unmarked_and_the_rest_modeled(marks, lang):
    published = {"|".join(f.key) for f in published_figures(load_catalog()) if f.indicator}
    printed = marks[lang]
    assert printed["energy.purchased_electricity|group|2024"] == ""
    assert printed["water.intensity_per_treo_smelting|group|2022"] == ""
    assert "M" in printed["production.reo_output|group|2024"]  # the report never gives it
    for key, mark in printed.items():
        assert ("M" in mark) == (key not in published), key
    assert sum("M" in mark for mark in printed.values()) > 20


@pytest.mark.parametrize(("lang", "legend"), [("en", "Modeled: not a figure"), ("zh", "模拟数据")])
def test_tables_with_modeled_figures_explain_the_mark(demo_report, lang, legend):
    html = demo_report.path(lang, "html").read_text(encoding="utf-8")
    assert re.search(r'<span class="mark">M</span>\s*' + legend, html)
