"""`esgledger footprint suppliers-import`: a sheet of suppliers' footprints is recorded whole,
or refused with every bad cell named, in the reader's language."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from esgledger.errors import ValidationFailed
from esgledger.products.supplier_sheet import SHEET, import_supplier_footprints


def sheet(tmp_path, *rows: tuple[object, ...]):
    book = Workbook()
    book.active.title = SHEET
    for row in rows:
        book.active.append(row)
    path = tmp_path / "suppliers.xlsx"
    book.save(path)
    return path


def test_a_sheet_without_required_columns_is_refused_in_chinese(tmp_path):
    path = sheet(tmp_path, ("product", "supplier", "pcf"), ("prnd-oxide", "Baotou", 12.5))
    with pytest.raises(ValidationFailed) as caught:
        import_supplier_footprints(None, path, actor="tester")  # refused before the ledger
    (problem,) = caught.value.problems
    assert problem.code == "supplier_sheet.missing_columns"
    text = caught.value.render("zh")
    assert text.startswith("suppliers.xlsx：未记录任何数据")
    assert "缺少列 primary_data_share，period_start，period_end" in text
    assert "columns primary_data_share, period_start, period_end are missing" in str(caught.value)


def test_a_bad_cell_is_refused_in_chinese_at_its_row_and_column(tmp_path):
    header = ("product", "supplier", "pcf", "primary_data_share", "period_start", "period_end")
    path = sheet(tmp_path, header, ("prnd-oxide", "Baotou", 12.5, 1.5, "2024-01-01", "2024-12-31"))
    with pytest.raises(ValidationFailed) as caught:
        import_supplier_footprints(None, path, actor="tester")
    (problem,) = caught.value.problems
    assert problem.code == "field.less_than_equal"
    assert (problem.location.row, problem.location.column) == (2, "primary_data_share")
    assert "Input should be" not in problem.render("zh")  # never pydantic's own English
