"""The error file: the refused workbook with each problem beside its row, a list sheet, and
fixed cells that import; nothing of the refused file is written."""

from __future__ import annotations

import pytest

from esgledger.catalog import load_catalog
from esgledger.errors import EsgError
from esgledger.ledger import revisions
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import ImportRejected, import_file
from esgledger.ledger.imports.layout import NOTE_MARK
from esgledger.workbooks.error_file import error_file_bytes
from tests.workbooks.helpers import opened
from tests.workbooks.test_round_trip import ELECTRICITY, PAPER, filled, imported, template_file

RED = "FFC7CE"


def broken(ledger, tmp_path, lang="zh"):
    """A filled template with a negative month (F), a word in a month (G) and paper's unit
    written as MWh (D: energy, not mass)."""
    path = filled(template_file(ledger, tmp_path, lang), tmp_path)
    book = opened(path.read_bytes())
    sheet = book["SMELT"]
    rows = {sheet[f"A{r}"].value: r for r in range(3, sheet.max_row + 1)}
    sheet[f"F{rows[ELECTRICITY]}"] = -5
    sheet[f"G{rows[ELECTRICITY]}"] = "abc"
    sheet[f"D{rows[PAPER]}"] = "MWh"
    out = tmp_path / "broken.xlsx"
    book.save(out)
    return out, rows


def refused(ledger, path) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        imported(ledger, path)
    return caught.value


def error_file(ledger, path, lang):
    exc = refused(ledger, path)
    return opened(error_file_bytes(path, "broken.xlsx", exc.problems, 0, lang))


def test_each_problem_stands_beside_its_row_and_its_cell_is_red(ledger, tmp_path):
    path, rows = broken(ledger, tmp_path)
    book = error_file(ledger, path, "zh")
    assert book.sheetnames == ["导入错误", "说明", "SMELT"]
    sheet = book["SMELT"]
    note = sheet.max_column  # one past the template's last column (Q)
    assert note == 18 and sheet.cell(1, note).value == NOTE_MARK
    assert sheet.cell(2, note).value == "本行问题"
    electricity = sheet.cell(rows[ELECTRICITY], note).value
    assert electricity.startswith("F: ") and "\nG: " in electricity
    assert "负" in electricity and "数字" in electricity
    assert sheet.cell(rows[PAPER], note).value.startswith("D: ")
    for cell in (f"F{rows[ELECTRICITY]}", f"G{rows[ELECTRICITY]}", f"D{rows[PAPER]}"):
        assert sheet[cell].fill.fgColor.rgb.endswith(RED), cell
    assert not sheet[f"E{rows[PAPER]}"].fill.fgColor.rgb.endswith(RED)
    assert sheet.cell(rows[ELECTRICITY] + 5, note).value is None


@pytest.mark.parametrize(
    ("lang", "header", "words"),
    [
        ("zh", ["文件", "工作表", "行", "列", "填写内容", "问题", "处理方法"], "未导入任何数据"),
        (
            "en",
            ["File", "Sheet", "Row", "Column", "Value", "What is wrong", "What to do"],
            "nothing was imported",
        ),
    ],
)
def test_the_list_sheet_names_file_row_column_and_what_to_do(ledger, tmp_path, lang, header, words):
    path, rows = broken(ledger, tmp_path, lang)
    book = error_file(ledger, path, lang)
    listed = book.worksheets[0]
    assert words in listed["A1"].value
    assert [c.value for c in listed[2]] == header
    found = [[c.value for c in row] for row in listed.iter_rows(min_row=3)]
    places = [(f, s, r, c) for f, s, r, c, *_ in found]
    assert places == [
        ("broken.xlsx", "SMELT", rows[ELECTRICITY], "F (2024-01)"),
        ("broken.xlsx", "SMELT", rows[ELECTRICITY], "G (2024-02)"),
        ("broken.xlsx", "SMELT", rows[PAPER], "unit"),
    ]
    assert [value for *_, value, _wrong, _fix in found] == ["-5", "abc", "MWh"]
    assert all(wrong and fix for *_, wrong, fix in found)


def test_the_error_file_once_fixed_imports_as_it_is(ledger, tmp_path):
    path, rows = broken(ledger, tmp_path)
    book = error_file(ledger, path, "en")
    sheet = book["SMELT"]
    sheet[f"F{rows[ELECTRICITY]}"] = 120000
    sheet[f"G{rows[ELECTRICITY]}"] = 95500.5
    sheet[f"D{rows[PAPER]}"] = "t"
    fixed = tmp_path / "fixed.xlsx"
    book.save(fixed)
    result = imported(ledger, fixed)  # the list sheet and the note column are skipped
    assert result.new_revisions == 3


def test_without_the_note_mark_the_problem_column_would_be_read_as_a_period(ledger, tmp_path):
    """What guards the re-import: the mark over the column. Remove it and the import fails."""
    path, rows = broken(ledger, tmp_path)
    book = error_file(ledger, path, "en")
    sheet = book["SMELT"]
    sheet[f"F{rows[ELECTRICITY]}"], sheet[f"G{rows[ELECTRICITY]}"] = 1, 2
    sheet[f"D{rows[PAPER]}"] = "t"
    sheet.cell(1, sheet.max_column).value = None
    unmarked = tmp_path / "unmarked.xlsx"
    book.save(unmarked)
    assert "Problems in this row" in refused(ledger, unmarked).render("en")


def test_nothing_of_a_refused_file_is_written(ledger, tmp_path):
    path, _rows = broken(ledger, tmp_path)
    refused(ledger, path)
    with unit_of_work(ledger) as session:
        assert revisions.latest_revisions(session) == []


def test_a_refused_csv_comes_back_as_a_workbook_of_its_rows(ledger, tmp_path, write_csv):
    path = write_csv(
        "bad.csv",
        [
            ("SMELT", "2024-01", ELECTRICITY, "12", "MWh", ""),
            ("SMELT", "2024-02", ELECTRICITY, "-3", "MWh", ""),
        ],
    )
    with unit_of_work(ledger) as session, pytest.raises(ImportRejected) as caught:
        import_file(session, path, "reporter", load_catalog())
    book = opened(error_file_bytes(path, "bad.csv", caught.value.problems, 0, "zh"))
    assert book.sheetnames == ["导入错误", "数据"]
    data = book["数据"]
    assert [c.value for c in data[1]][:4] == ["entity", "period", "indicator", "value"]
    assert data["G1"].value == "本行问题" and data["G2"].value is None
    assert data["G3"].value.startswith("D: ") and data["D3"].fill.fgColor.rgb.endswith(RED)
    assert book["导入错误"]["C3"].value == 3


def test_problems_beyond_the_listed_ones_are_counted(ledger, tmp_path):
    path, _rows = broken(ledger, tmp_path)
    exc = refused(ledger, path)
    book = opened(error_file_bytes(path, "broken.xlsx", exc.problems[:1], 2, "en"))
    listed = book.worksheets[0]
    assert listed.cell(listed.max_row, 1).value.startswith("2 more problems are not listed")


def test_runnable_text_in_a_problem_stays_text(ledger, tmp_path, write_csv):
    path = write_csv("f.csv", [("SMELT", "2024-01", ELECTRICITY, "=1+2", "MWh", "")])
    with unit_of_work(ledger) as session, pytest.raises(ImportRejected) as caught:
        import_file(session, path, "reporter", load_catalog())
    book = opened(error_file_bytes(path, "f.csv", caught.value.problems, 0, "en"))
    assert book["data"]["D2"].data_type == "s" and book.worksheets[0]["E3"].data_type == "s"


def test_the_list_sheet_is_skipped_by_its_name_and_read_under_another(ledger, tmp_path):
    """What guards the re-import of the list sheet: its name. Renamed, it is read as data."""
    path, rows = broken(ledger, tmp_path)
    book = error_file(ledger, path, "zh")
    sheet = book["SMELT"]
    sheet[f"F{rows[ELECTRICITY]}"], sheet[f"G{rows[ELECTRICITY]}"] = 1, 2
    sheet[f"D{rows[PAPER]}"] = "t"
    book.worksheets[0].title = "problems"
    renamed = tmp_path / "renamed.xlsx"
    book.save(renamed)
    with pytest.raises(EsgError) as caught:
        imported(ledger, renamed)
    assert "problems" in str(caught.value)
