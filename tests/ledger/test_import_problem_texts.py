"""What a reporter reads when an import is refused, in English and in Chinese.

The texts are pinned whole (snapshots): a summary first, then one line per group of
identical problems, a wrong unit placed at the unit cell in plain words.
"""

from __future__ import annotations

import pytest

from esgledger.catalog import load_catalog
from esgledger.ledger import calendar
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import ImportRejected, import_file
from esgledger.ledger.imports.rows import ImportFileError

ELECTRICITY, WATER, REO = (
    "energy.purchased_electricity",
    "water.withdrawal_surface",
    "production.reo_output",
)


def rejected(database, path) -> ImportRejected:
    with unit_of_work(database) as session, pytest.raises(ImportRejected) as caught:
        import_file(session, path, "reporter", load_catalog())
    return caught.value


def lock_2023(database) -> None:
    with unit_of_work(database) as session:
        calendar.lock_period(session, "manager", "2023")


@pytest.fixture
def refused(ledger, write_csv) -> tuple[ImportRejected, str]:
    """A file with 12 rows of a locked year, two wrong units, a word for a number, a typo."""
    lock_2023(ledger)
    rows = [("SMELT", f"2023-{m:02d}", ELECTRICITY, 100, "MWh", "") for m in range(1, 13)]
    rows += [("SMELT", f"2024-{m:02d}", WATER, 5, "t", "") for m in (1, 2)]
    rows += [("SMELT", "2024-03", ELECTRICITY, "twelve", "MWh", "")]
    rows += [("SMELTT", "2024-04", ELECTRICITY, 1, "MWh", "")]
    path = write_csv("bad.csv", rows)
    return rejected(ledger, path), str(path)


def test_english_text_summarises_then_groups_identical_problems(refused):
    exc, path = refused
    assert exc.render("en").replace(path, "bad.csv") == (
        "bad.csv: 16 problem(s) in 16 row(s); nothing was imported. "
        "16 row(s) to fix, 4 kind(s) of problem\n"
        "  - bad.csv, rows 2-13 (12 rows), column 'period': this period is locked. "
        "Locked figures change only by a restatement; ask the group manager.\n"
        "  - bad.csv, rows 14-15 (2 rows), column 'unit' (value 't'): t (mass) cannot be "
        "converted to m3 (volume). Write a unit of volume such as m3 or 10^4 m3 in the unit "
        "column.\n"
        "  - bad.csv, row 16, column 'value' (value 'twelve'): the value is not a number. "
        "Write a plain number such as 1234.5, with the unit in the unit column.\n"
        "  - bad.csv, row 17, column 'entity' (value 'SMELTT'): unknown entity. "
        "Use a code from `esgledger org show` (did you mean 'SMELT'?)."
    )


def test_chinese_text_summarises_then_groups_identical_problems(refused):
    exc, path = refused
    assert exc.render("zh").replace(path, "bad.csv") == (
        "bad.csv：16 行中有 16 个问题，未导入任何数据。需修改 16 行，共 4 类问题\n"
        "  - bad.csv，第 2-13 行（共 12 行），'period' 列：该期间已锁定。"
        "已锁定的数据只能通过重述修改；请联系集团管理员。\n"
        "  - bad.csv，第 14-15 行（共 2 行），'unit' 列（值 't'）：t（质量）无法换算为 m3（体积）。"
        "请在单位列填写体积单位，如 m3 或 10^4 m3。\n"
        "  - bad.csv，第 16 行，'value' 列（值 'twelve'）：数值不是数字。"
        "请填写纯数字，如 1234.5，单位写在单位列。\n"
        "  - bad.csv，第 17 行，'entity' 列（值 'SMELTT'）：未知的主体代码。"
        "请使用 `esgledger org show` 中的代码（是否想写 'SMELT'？）。"
    )


def test_a_locked_year_is_one_line_however_many_rows_it_has(ledger, write_csv):
    lock_2023(ledger)
    entities = ["SMELT", "METAL"]
    rows = [(e, f"2023-{m:02d}", ELECTRICITY, 1, "MWh", "") for e in entities for m in range(1, 13)]
    exc = rejected(ledger, write_csv("locked.csv", rows))
    lines = exc.render("en").splitlines()
    assert len(lines) == 2 and "rows 2-25 (24 rows)" in lines[1]
    assert len(exc.problems) == 24  # an API client still gets each row


def test_rows_with_different_values_are_grouped_without_a_value(ledger, write_csv):
    rows = [("SMELT", f"2024-{m:02d}", WATER, 5, unit, "") for m, unit in ((1, "t"), (2, "t"))]
    rows += [
        ("SMELT", "2024-03", ELECTRICITY, "n/a", "MWh", ""),
        ("SMELT", "2024-04", ELECTRICITY, "x", "MWh", ""),
    ]
    text = rejected(ledger, write_csv("mixed.csv", rows)).render("en")
    assert "rows 4-5 (2 rows), column 'value': the value is not a number" in text
    assert "rows 2-3 (2 rows), column 'unit' (value 't')" in text


def test_a_gas_volume_without_conditions_is_explained_in_both_languages(ledger, write_csv):
    exc = rejected(
        ledger, write_csv("gas.csv", [("METAL", "2024-01", "energy.natural_gas", 1, "m3", "")])
    )
    assert "m3 states no reference conditions" in exc.render("en")
    assert "m3 未注明参比状态" in exc.render("zh")


def test_pint_dimension_notation_never_reaches_a_user(ledger, write_csv):
    rows = [
        ("SMELT", "2024-01", ELECTRICITY, 1, unit, "") for unit in ("t", "m3", "kg*m**2/s**2/m**3")
    ]
    rows = [(e, f"2024-{i + 1:02d}", ind, v, u, c) for i, (e, _p, ind, v, u, c) in enumerate(rows)]
    exc = rejected(ledger, write_csv("units.csv", rows))
    for lang in ("en", "zh"):
        assert "[length]" not in exc.render(lang) and "[mass]" not in exc.render(lang)


def test_a_header_without_the_required_columns_is_explained_in_chinese(ledger, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("entity,value\nSMELT,1\n", encoding="utf-8")
    with unit_of_work(ledger) as session, pytest.raises(ImportFileError) as caught:
        import_file(session, path, "reporter", load_catalog())
    assert "the header lacks period, indicator" in str(caught.value)
    assert "表头缺少 period, indicator；第一行须依次写明列名 entity" in caught.value.render("zh")
