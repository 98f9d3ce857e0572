"""The collection template: the rows owed, last year's values, validation, protection, languages."""

from __future__ import annotations

import pytest

from esgledger.catalog import load_catalog
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.entry import FormValue, save_form
from esgledger.ledger.imports.layout import TEMPLATE_MARK
from esgledger.ledger.orgstore import load_org
from esgledger.workbooks.last_year import last_year_values
from esgledger.workbooks.template import TemplateRequest, owed_indicators, template_bytes
from tests.workbooks.helpers import column, opened, rule_at

ELECTRICITY, REO = "energy.purchased_electricity", "production.reo_output"
PRESSURE = "energy.purchased_steam_pressure"  # a monthly stock: last year is its last month
PAPER = "office.paper_consumption"  # yearly, tonnes
NET_INCOME = "org.net_income_parent"  # yearly, may be negative
OWED = [PAPER, ELECTRICITY, NET_INCOME, PRESSURE, REO]


def build(owed=OWED, lang="zh", last=None, code="SMELT"):
    catalog = load_catalog()
    entity = next(e for e in _org() if e.code == code)
    return opened(template_bytes(catalog, TemplateRequest(entity, 2024, owed, lang), last or {}))


def _org():
    from esgledger.org import Entity

    return [Entity(code="SMELT", name_en="Smelter", name_zh="冶炼厂", kind="subsidiary")]


def test_the_template_lists_exactly_the_owed_indicators_in_catalog_order():
    book = build()
    sheet = book["SMELT"]
    expected = [i.id for i in load_catalog().inputs() if i.id in OWED]
    assert column(sheet, "A") == expected
    assert sorted(expected) == sorted(OWED)
    assert [sheet.cell(1, c).value for c in (1, 2, 3)] == [TEMPLATE_MARK, "entity", "SMELT"]
    assert [sheet.cell(2, c).value for c in range(5, 18)] == [
        "2024",
        *(f"2024-{m:02d}" for m in range(1, 13)),
    ]
    fewer = build(owed=[ELECTRICITY])
    assert column(fewer["SMELT"], "A") == [ELECTRICITY]


def test_ids_the_catalog_does_not_hold_or_that_are_derived_ask_for_nothing():
    assert [
        i.id for i in owed_indicators(load_catalog(), ["no.such", "ghg.scope2_location", REO])
    ] == [REO]


@pytest.mark.parametrize(
    ("lang", "headers", "readme", "line"),
    [
        (
            "zh",
            ["指标代码", "指标名称", "2023 年数值", "单位"],
            "说明",
            "数据采集模板：冶炼厂（SMELT），2024 年",
        ),
        (
            "en",
            ["Indicator code", "Indicator", "Value 2023", "Unit"],
            "README",
            "template: Smelter (SMELT), 2024",
        ),
    ],
)
def test_headers_and_instructions_are_in_the_users_language(lang, headers, readme, line):
    book = build(lang=lang)
    assert book.sheetnames == [readme, "SMELT"]
    assert [book["SMELT"].cell(2, c).value for c in range(1, 5)] == headers
    assert line in book[readme]["A1"].value
    names = column(book["SMELT"], "B")
    electricity = load_catalog().get(ELECTRICITY).name(lang)
    assert any(name.startswith(electricity) for name in names)
    other = "zh" if lang == "en" else "en"
    assert not any(load_catalog().get(ELECTRICITY).name(other) in n for n in names)


def test_units_are_offered_as_a_list_per_indicator():
    sheet = build()["SMELT"]
    rows = {sheet[f"A{r}"].value: r for r in range(3, sheet.max_row + 1)}
    electricity = rule_at(sheet, f"D{rows[ELECTRICITY]}")
    assert electricity.type == "list" and electricity.formula1 == '"MWh,kWh,GWh"'
    assert electricity.showErrorMessage and "列表" in electricity.error
    paper = rule_at(sheet, f"D{rows[PAPER]}")
    assert paper.formula1 == '"t,kg,10^4 t"'
    assert rule_at(sheet, f"D{rows[PRESSURE]}").formula1 == '"MPa"'


def test_value_cells_take_numbers_and_refuse_negatives_where_the_catalog_does():
    sheet = build()["SMELT"]
    rows = {sheet[f"A{r}"].value: r for r in range(3, sheet.max_row + 1)}
    monthly = rule_at(sheet, f"F{rows[ELECTRICITY]}")
    assert (monthly.type, monthly.operator, monthly.formula1) == (
        "decimal",
        "greaterThanOrEqual",
        "0",
    )
    assert rule_at(sheet, f"Q{rows[ELECTRICITY]}") is monthly
    assert rule_at(sheet, f"E{rows[ELECTRICITY]}") is None  # the year is not asked of it
    yearly = rule_at(sheet, f"E{rows[PAPER]}")
    assert (yearly.type, yearly.operator) == ("decimal", "greaterThanOrEqual")
    negative = rule_at(sheet, f"E{rows[NET_INCOME]}")
    assert (negative.type, negative.operator, negative.formula1) == (
        "decimal",
        "between",
        "-1E+307",
    )


def test_headers_and_labels_are_protected_and_the_cells_to_fill_are_not():
    sheet = build()["SMELT"]
    rows = {sheet[f"A{r}"].value: r for r in range(3, sheet.max_row + 1)}
    assert sheet.protection.sheet is True and not sheet.protection.password
    assert sheet.row_dimensions[1].hidden
    for cell in ("A1", "E2", "A3", "B3", "C3", f"E{rows[ELECTRICITY]}", f"F{rows[PAPER]}"):
        assert sheet[cell].protection.locked, cell
    for cell in (f"D{rows[ELECTRICITY]}", f"F{rows[ELECTRICITY]}", f"E{rows[PAPER]}"):
        assert not sheet[cell].protection.locked, cell
    assert sheet[f"E{rows[ELECTRICITY]}"].fill.fgColor.rgb.endswith("D9D9D9")


def test_last_years_values_stand_beside_their_rows(ledger):
    """Hand-worked: electricity 2023-01 1,000 MWh + 2023-02 2.5 GWh = 3,500 MWh (a flow adds
    up); steam pressure 0.8 then 1.0 MPa: the last month, 1.0 (a stock does not add up);
    paper 12 t for the year; nothing stored for the REO output."""
    catalog = load_catalog()
    with unit_of_work(ledger) as session:
        save_form(
            session,
            "t",
            catalog,
            "SMELT",
            "2023-01",
            [FormValue(ELECTRICITY, "1000", "MWh"), FormValue(PRESSURE, "0.8", "MPa")],
        )
        save_form(
            session,
            "t",
            catalog,
            "SMELT",
            "2023-02",
            [FormValue(ELECTRICITY, "2.5", "GWh"), FormValue(PRESSURE, "1.0", "MPa")],
        )
        save_form(session, "t", catalog, "SMELT", "2023", [FormValue(PAPER, "12", "t")])
        save_form(session, "t", catalog, "METAL", "2023-01", [FormValue(ELECTRICITY, "7", "MWh")])
        last = last_year_values(session, "SMELT", 2023, owed_indicators(catalog, OWED))
        entity = load_org(session).get("SMELT")
    assert last == {ELECTRICITY: 3500.0, PRESSURE: 1.0, PAPER: 12.0}
    sheet = opened(template_bytes(catalog, TemplateRequest(entity, 2024, OWED, "en"), last))[
        "SMELT"
    ]
    shown = dict(zip(column(sheet, "A"), column(sheet, "C"), strict=True))
    assert shown == {ELECTRICITY: 3500, PRESSURE: 1, PAPER: 12, REO: None, NET_INCOME: None}


def test_the_rule_checks_see_a_template_without_validation_or_protection():
    """The reads the tests above rely on fail on a template stripped of what they guard."""
    sheet = build()["SMELT"]
    sheet.data_validations.dataValidation = []
    sheet.protection.sheet = False
    assert rule_at(sheet, "D3") is None and rule_at(sheet, "F3") is None
    assert sheet.protection.sheet is False
