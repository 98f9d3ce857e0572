"""Every shipped and demo factor is cited in Chinese too, and the Chinese holds no English.

A Chinese page or report cites a factor by its file's ``source_zh`` and the factor's
``citation_zh``; Latin letters may remain only where Chinese writing keeps them (units,
standard codes, chemical formulas: tests/web/latin_allowed.yaml).
"""

from __future__ import annotations

import pytest
from tests.web.latin_text import english_left, load_allow_list

from esgledger.demo.generate import factor_file
from esgledger.factors import shipped_factor_sets
from esgledger.factors.loader import read_factor_file
from esgledger.factors.model import Factor


def all_factors() -> list[Factor]:
    sets = [*shipped_factor_sets(), read_factor_file(factor_file())]
    return [factor for factor_set in sets for factor in factor_set.factors]


def test_every_shipped_and_demo_factor_has_a_chinese_citation():
    lacking = sorted({f"{f.dataset}: {f.key}" for f in all_factors() if f.citation_zh is None})
    assert lacking == []


def test_no_chinese_citation_holds_english():
    allowed = load_allow_list()
    english = {f.citation_zh: english_left(f.citation_zh or "", allowed) for f in all_factors()}
    assert {text: found for text, found in english.items() if found} == {}


def test_a_chinese_page_shows_the_chinese_citation_and_an_english_one_the_english():
    factor = next(f for f in all_factors() if f.dataset == "gbt2589")
    assert factor.cited("zh").startswith("GB/T 2589-2020《综合能耗计算通则》")
    assert factor.cited("en") == factor.citation


@pytest.mark.parametrize("citation_zh", [None, "表A.1，原煤"])
def test_a_factor_cited_in_english_only_has_no_chinese_citation(tmp_path, citation_zh):
    """A file's source_zh alone does not make a Chinese citation of an English-only one."""
    line = f"    citation_zh: {citation_zh}\n" if citation_zh else ""
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: mine\ntitle: Mine\nversion: '1'\nsource: My lab\nsource_zh: 本厂化验室\n"
        "factors:\n  - key: ncv.natural_gas\n    value: 389\n    unit: GJ/wan_Nm3\n"
        f"    confidence: M\n    citation: Table A.1, raw coal\n{line}",
        encoding="utf-8",
    )
    (factor,) = read_factor_file(path).factors
    assert factor.citation_zh == (f"本厂化验室 — {citation_zh}" if citation_zh else None)
