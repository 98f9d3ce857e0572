"""Every indicator of the catalog is defined in Chinese too, and the Chinese holds no English.

A Chinese page, form or report shows ``definition_zh``; an indicator without one would show
nothing there (``Indicator.defined``). Latin letters may remain only where Chinese writing
keeps them (units, standard codes, indicator ids: tests/web/latin_allowed.yaml).
"""

from __future__ import annotations

from tests.web.latin_text import english_left, load_allow_list

from esgledger.catalog import load_catalog


def test_every_indicator_has_a_chinese_definition():
    catalog = load_catalog()
    assert [i for i in catalog.ids() if not catalog.get(i).definition_zh] == []


def test_no_chinese_definition_holds_english():
    catalog, allowed = load_catalog(), load_allow_list()
    found = {i: english_left(catalog.get(i).definition_zh or "", allowed) for i in catalog.ids()}
    assert {i: words for i, words in found.items() if words} == {}
