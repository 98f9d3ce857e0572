"""The engine's English phrases in an explanation read in Chinese, for pages and commands alike."""

from __future__ import annotations

from esgledger.calc.explain_words import factor_note, how_text, part_label
from esgledger.catalog import load_catalog

CATALOG = load_catalog()


def test_a_year_summed_from_its_months_names_the_method_formula_in_chinese():
    spec = CATALOG.get("ghg.scope1_stationary_combustion")
    how = "sum of the months; each: Σ fuels: activity × NCV × CC × OF × 44/12"
    worded = how_text(how, "method", spec, "zh")
    assert worded.startswith("各月之和；每月：Σ 固定源燃料")
    assert how_text(how, "method", spec, "en") == how
    assert how_text("collected value", "input", spec, "zh") == "直接填报的数值"


def test_the_phrases_the_engine_appends_read_in_chinese_and_stay_as_written_in_english():
    label = "energy.purchased_steam (steam conditions not reported)"
    assert part_label(label, "zh") == "energy.purchased_steam（未报告蒸汽参数）"
    assert part_label(label, "en") == label
    note = "grid_ef.national of 2023 used for 2024 (latest published)"
    assert factor_note(note, "zh") == "2024 年沿用 2023 年的 grid_ef.national（最新发布值）"
    assert factor_note("a note of its own", "zh") == "a note of its own"
