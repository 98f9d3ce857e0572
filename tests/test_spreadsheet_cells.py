"""Text written to spreadsheets stays text; numbers stay numbers (formula injection).

The writers themselves are tested where they live (report annex, calc export); here the
shared helper and the collection template, each file read back cell by cell.
"""

from __future__ import annotations

import csv
import doctest
import io

import polars as pl
import pytest
from openpyxl import Workbook, load_workbook

from esgledger import spreadsheet_cells
from esgledger.catalog import load_catalog
from esgledger.ledger.imports.template import write_template
from esgledger.spreadsheet_cells import csv_safe, csv_text, xlsx_row
from tests.conftest import SMALL_GROUP

RUNNABLE = [
    "=1+1",
    '=HYPERLINK("http://x.test","y")',
    "+SUM(A1)",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]


def formula_cells(path_or_bytes) -> list[str]:
    """Every cell of every sheet that a spreadsheet would run as a formula."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    book = load_workbook(source)
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_the_docstring_examples_hold():
    assert doctest.testmod(spreadsheet_cells).failed == 0


@pytest.mark.parametrize("write_only", [False, True])
def test_xlsx_text_is_written_as_text_and_numbers_as_numbers(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("data") if write_only else book.active
    sheet.append(xlsx_row(sheet, [*RUNNABLE, -12.5, -3, "-12.5"]))
    out = io.BytesIO()
    book.save(out)
    assert formula_cells(out.getvalue()) == []
    read = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    cells = next(read.iter_rows())
    as_xml_keeps_them = [t.replace("\r", "\n") for t in RUNNABLE]  # XML reads CR as LF
    assert [c.value for c in cells] == [*as_xml_keeps_them, -12.5, -3, "-12.5"]
    assert [c.data_type for c in cells[-3:]] == ["n", "n", "s"]


def test_a_plain_openpyxl_row_would_have_been_a_formula():
    """The guard is needed: without it, openpyxl writes '=...' text as a formula."""
    book = Workbook()
    book.active.append(["=1+1"])
    out = io.BytesIO()
    book.save(out)
    assert formula_cells(out.getvalue()) == ["Sheet!A1"]


def test_csv_text_that_would_run_gets_an_apostrophe_and_numbers_do_not():
    frame = pl.DataFrame(
        {"text": [*RUNNABLE, "-12.5", "1e-3", "CO2", None], "number": [-1.5] * 7 + [-2.0] * 4}
    )
    rows = list(csv.reader(io.StringIO(csv_safe(frame).write_csv())))[1:]
    assert [r[0] for r in rows] == [f"'{t}" for t in RUNNABLE] + ["-12.5", "1e-3", "CO2", ""]
    assert {r[1] for r in rows} == {"-1.5", "-2.0"}
    assert [csv_text(t) for t in RUNNABLE] == [f"'{t}" for t in RUNNABLE]
    assert csv_text(-7) == -7 and csv_text("-7") == "-7"


def test_the_collection_template_writes_odd_entity_names_as_text(tmp_path):
    odd = SMALL_GROUP[1].model_copy(update={"name_en": RUNNABLE[1], "name_zh": "@SUM(1)"})
    path = write_template(tmp_path / "t.xlsx", load_catalog(), [odd], 2024)
    assert formula_cells(path) == []
    marker = next(load_workbook(path)[odd.code].iter_rows(max_row=1, values_only=True))
    assert marker[3:5] == (RUNNABLE[1], "@SUM(1)")
