"""`esgledger safety import/export/rates/map` as a user meets them: an import is all or none."""

from __future__ import annotations

from openpyxl import Workbook, load_workbook

from esgledger.cli.main import main
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.records import current_records
from tests.cli.test_cli import db  # noqa: F401 (the fixture: an initialised SQLite ledger)

RISK_HEADER = ["key", "entity", "name", "area", "l", "e", "c", "controls", "owner", "x", "y"]
HAZARD_HEADER = [
    "key",
    "entity",
    "title",
    "severity",
    "found_on",
    "owner",
    "deadline",
    "status",
    "rectified_on",
    "rectified_by",
    "verified_on",
    "verified_by",
    "closed_on",
]


def workbook(path, risk_rows, hazard_rows):
    book = Workbook()
    book.remove(book.active)
    for name, header, rows in (
        ("risk_points", RISK_HEADER, risk_rows),
        ("hazards", HAZARD_HEADER, hazard_rows),
    ):
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


GOOD_RISK = ["RP-1", "SMELT", "浓硫酸储罐区", "罐区", 1, 6, 40, "围堰", "张三", 0.1, 0.7]
GOOD_HAZARD = [
    "H-1",
    "SMELT",
    "灭火器压力不足",
    "general",
    "2024-03-01",
    "李四",
    "2024-03-08",
    "closed",
    "2024-03-05",
    "李四",
    "2024-03-06",
    "王五",
    "2024-03-06",
]


def records(url, register):
    database = open_database(url)
    with unit_of_work(database) as session:
        found = current_records(session, register)
    database.dispose()
    return found


def test_an_import_with_bad_rows_names_each_and_writes_nothing(db, tmp_path, capsys):  # noqa: F811
    bad_score = ["RP-2", *GOOD_RISK[1:4], 4, 6, 40, *GOOD_RISK[7:]]  # L = 4 is not on the scale
    bad_close = [*GOOD_HAZARD[:10], None, None, "2024-03-06"]  # closed, never verified
    path = workbook(tmp_path / "bad.xlsx", [GOOD_RISK, bad_score], [bad_close])
    assert main(["--lang", "zh", "safety", "import", str(path), "--db", db]) == 1
    shown = capsys.readouterr().err
    assert "bad.xlsx" in shown and "risk_points" in shown and "hazards" in shown
    assert "第 3 行，'l' 列" in shown
    assert "LEC" in shown and "验收" in shown
    assert records(db, "safety.risk_points") == [] and records(db, "safety.hazards") == []


def test_a_good_workbook_imports_exports_and_draws(db, tmp_path, capsys):  # noqa: F811
    path = workbook(tmp_path / "good.xlsx", [GOOD_RISK], [GOOD_HAZARD])
    assert main(["safety", "import", str(path), "--db", db]) == 0
    [point] = records(db, "safety.risk_points")
    assert (point.payload["d"], point.payload["grade"]) == ("240", "orange")
    out = tmp_path / "out.xlsx"
    assert main(["safety", "export", str(out), "--db", db]) == 0
    sheet = load_workbook(out)["risk_points"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("grade") + 1).value == "orange"
    assert main(["safety", "rates", "--year", "2024", "--as-of", "2024-12-31", "--db", db]) == 0
    assert "100.0%" in capsys.readouterr().out
    svg = tmp_path / "map.svg"
    assert main(["safety", "map", "SMELT", "--out", str(svg), "--db", db]) == 0
    assert "RP-1" in svg.read_text(encoding="utf-8")
