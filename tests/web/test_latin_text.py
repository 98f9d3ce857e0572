"""The check of the Chinese walk: Latin words on a 中文 page, outside the allow-list, are
untranslated English; codes, units and standard names are not."""

from __future__ import annotations

import pytest

from esgledger.calc.explain_words import engine_words_zh
from esgledger.catalog.model import Aggregation
from esgledger.engine.registry import methods
from tests.web.latin_text import english_left, load_allow_list

ALLOWED = load_allow_list().with_words({"SMELT", "smelter"})


@pytest.mark.parametrize(
    "text",
    [
        "外购电力 3,890 MWh · 上年 2,890 MWh",
        "冶炼厂 SMELT · 2024-Q4 · smelter",
        "能耗（tce） · 排放（tCO2e/tREO） · 水（m3）",
        "指标 energy.purchased_electricity · 因子 cn_grid_mee 2023",
        "GRI 302-1 · SASAC · IFRS S2 · ISO 14064 · GB/T 2589",
        "导出 CSV · 下载 XLSX · PDF 报告 · API 令牌 · esgledger",
        "请运行 esgledger audit verify --checkpoint FILE 校验",
        "HFC-134a逸散量 · 20 °C · p5–p95",
        "快照 b1d9c4f21c99 · demo-monthly-2024.xlsx · targets.yaml 中的 11 项目标",
    ],
)
def test_codes_units_and_names_pass(text: str):
    assert english_left(text, ALLOWED) == []


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("成员实体合计 sum over member entities", ["sum", "over", "member", "entities"]),
        ("操作 login", ["login"]),
        ("X-axis for a discrete scale with 3 values: 2022, 2023", ["X", "axis", "for"]),
        ("0k 50k 100k", ["k"]),
        ("外购电力 Save", ["Save"]),
        ("energy.purchased_electricity of 2023 used for 2024", ["of", "used", "for"]),
        ("按月汇总 recipe.months", ["recipe.months"]),
    ],
)
def test_english_words_are_found_with_their_line(text: str, english: list[str]):
    found = english_left(f"第一行\n{text}\n第三行", ALLOWED)
    assert len(found) == 1 and text in found[0]
    assert all(word in found[0].split("←")[0] for word in english), found


def test_an_entity_code_is_allowed_only_once_the_ledger_names_it():
    assert english_left("金属厂 METAL", ALLOWED) != []
    assert english_left("金属厂 METAL", ALLOWED.with_words({"METAL"})) == []


def test_every_method_has_its_formula_in_chinese():
    """A method added without one would show its English formula on a Chinese page."""
    assert set(methods()) - set(engine_words_zh()["formula"]) == set()
    assert {str(a) for a in Aggregation} <= set(engine_words_zh()["consolidated"])
