"""`esgledger permits import/export`: all rows or none, every problem located, both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from esgledger.cli.main import main
from esgledger.permits.workbook import COLUMNS
from tests.cli.test_cli import db  # noqa: F401  (the fixture: an initialised ledger with SMELT)

PERMIT = ["P1", "SMELT", "Baotou Ecology and Environment Bureau", "2023-01-01", "2027-12-31"]
COD = ["P1", "DW001", "sewage", "water", "cod", 70, None, "mg/L", 20, "t/a"]
RESULT = ["P1/DW001", "cod", "2024-03-01T09:00", 85, "mg/L", "manual"]


def workbook(path: Path, **rows: list[list]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for sheet, columns in COLUMNS.items():
        page = book.create_sheet(sheet)
        page.append(list(columns))
        for row in rows.get(sheet.lower(), []):
            page.append(row)
    book.save(path)
    return path


def test_an_import_writes_the_register_and_opens_the_exceedance(db, tmp_path, capsys):  # noqa: F811
    path = workbook(tmp_path / "ok.xlsx", permits=[PERMIT], outlets=[COD], results=[RESULT])
    assert main(["permits", "import", str(path), "--db", db]) == 0
    assert "1 exceedance(s) opened" in capsys.readouterr().out
    out = tmp_path / "back.xlsx"
    assert main(["permits", "export", str(out), "--db", db]) == 0
    sheets = load_workbook(out)
    assert [c.value for c in sheets["Outlets"][2]][:5] == ["P1", "DW001", "sewage", "water", "cod"]
    assert sheets["Results"].max_row == 2


@pytest.mark.parametrize(
    ("rows", "english", "chinese"),
    [
        ({"outlets": [[*COD[:8], 20, "mg/L"]]}, "sheet 'Outlets', row 2", "不是 t/a"),
        (
            {"permits": [[*PERMIT[:3], "2025-01-01", "2024-12-31"]]},
            "sheet 'Permits', row 2",
            "早于",
        ),
        ({"results": [["P1/DW009", *RESULT[1:]]]}, "sheet 'Results', row 2", "没有排放口 P1/DW009"),
        (
            {"results": [[RESULT[0], "mercury", *RESULT[2:]]]},
            "sheet 'Results', row 2",
            "未知污染物",
        ),
    ],
    ids=["mass limit in mg/L", "validity backwards", "unknown outlet", "unknown pollutant"],
)
def test_a_bad_row_is_located_and_nothing_is_imported(db, tmp_path, capsys, rows, english, chinese):  # noqa: F811
    sheets = {"permits": [PERMIT], "outlets": [COD], "results": [RESULT]} | rows
    path = workbook(tmp_path / "bad.xlsx", **sheets)
    assert main(["permits", "import", str(path), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx" in err and english in err and "nothing was imported" in err
    assert main(["--lang", "zh", "permits", "import", str(path), "--db", db]) == 1
    assert chinese in capsys.readouterr().err
    out = tmp_path / "after.xlsx"
    assert main(["permits", "export", str(out), "--db", db]) == 0
    assert load_workbook(out)["Permits"].max_row == 1  # nothing was written
