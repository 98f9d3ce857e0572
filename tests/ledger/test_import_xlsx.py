"""XLSX imports: long sheets and both template layouts, with sheet names in errors."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from esgledger.catalog import load_catalog
from esgledger.ledger import revisions
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import ImportRejected, import_file
from esgledger.ledger.imports.template import write_template
from esgledger.ledger.orgstore import load_org

ELECTRICITY, REO = "energy.purchased_electricity", "production.reo_output"


def run_import(database, path, progress=None):
    with unit_of_work(database) as session:
        return import_file(session, path, "reporter", load_catalog(), progress=progress)


def current_values(database):
    with unit_of_work(database) as session:
        return {
            (r.entity, r.period, r.indicator): r.canonical_value
            for r in revisions.latest_revisions(session)
        }


def test_long_sheets_import_and_errors_name_the_sheet(ledger, tmp_path):
    book = Workbook()
    book.active.title = "energy"
    book["energy"].append(["entity", "period", "indicator", "value", "unit", "comment"])
    book["energy"].append(["SMELT", "2024-01", ELECTRICITY, 1200.5, "MWh", None])
    other = book.create_sheet("output")
    other.append(["实体", "期间", "指标", "数值", "单位"])  # Chinese headers are understood
    other.append(["METAL", "2024", REO, "n/a", "tREO"])
    path = tmp_path / "long.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected) as caught:
        run_import(ledger, path)
    assert f"{path}, sheet 'output', row 2, column 'value' (value 'n/a')" in str(caught.value)
    other["D2"] = 900
    book.save(path)
    seen = []
    run_import(ledger, path, progress=seen.append)
    assert current_values(ledger) == {
        ("SMELT", "2024-01", ELECTRICITY): 1200.5,
        ("METAL", "2024", REO): 900.0,
    }
    assert sum(seen) == 2


def test_the_per_year_template_takes_entities_as_columns(ledger, tmp_path):
    with unit_of_work(ledger) as session:
        entities = [e for e in load_org(session) if e.kind.value != "group"]
    path = write_template(tmp_path / "year.xlsx", load_catalog(), entities, 2024, layout="year")
    book = load_workbook(path)
    sheet = book["2024"]
    header = [cell.value for cell in sheet[2]]
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == REO)
    sheet.cell(row, header.index("SMELT") + 1, 5100)
    sheet.cell(row, header.index("METAL") + 1, "4,900")
    book.save(path)
    result = run_import(ledger, path)
    assert result.new_revisions == 2
    assert current_values(ledger) == {
        ("SMELT", "2024", REO): 5100.0,
        ("METAL", "2024", REO): 4900.0,
    }


def test_wide_errors_name_the_cell_column(ledger, tmp_path):
    with unit_of_work(ledger) as session:
        smelter = load_org(session).get("SMELT")
    path = write_template(tmp_path / "t.xlsx", load_catalog(), [smelter], 2024)
    book = load_workbook(path)
    sheet = book["SMELT"]
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == ELECTRICITY)
    sheet.cell(row, 6, -3)  # column F is 2024-01
    book.save(path)
    with pytest.raises(ImportRejected) as caught:
        run_import(ledger, path)
    assert f"sheet 'SMELT', row {row}, column 'F (2024-01)' (value '-3')" in str(caught.value)
    assert "cannot be negative" in str(caught.value)


def test_a_deliberately_broken_workbook_reports_every_bad_row_and_imports_nothing(ledger, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "collection"
    sheet.append(["entity", "period", "indicator", "value", "unit", "comment", "quality"])
    rows = [
        ("SMELT", "2024-01", ELECTRICITY, 1200, "MWh", None, "measured"),  # row 2: fine
        ("SMLET", "2024-01", ELECTRICITY, 10, "MWh", None, None),  # 3: unknown entity
        ("SMELT", "2024-01", "energy.electricity", 10, "MWh", None, None),  # 4: unknown indicator
        ("SMELT", "2021", REO, 10, "tREO", None, None),  # 5: outside the calendar
        ("SMELT", "2024-02", ELECTRICITY, "about 10", "MWh", None, None),  # 6: not a number
        ("SMELT", "2024-03", ELECTRICITY, -1, "MWh", None, None),  # 7: negative
        ("SMELT", "2024-04", ELECTRICITY, 10, "t", None, None),  # 8: incompatible unit
        ("SMELT", "2024-01", ELECTRICITY, 1300, "MWh", None, None),  # 9: duplicate of row 2
        ("SMELT", "2024-05", ELECTRICITY, 10, "MWh", None, "guessed"),  # 10: bad quality tier
        ("SMELT", "2024-Q3", ELECTRICITY, 10, "MWh", None, None),  # 11: quarter
        ("METAL", "2024", "energy.total", 10, "tce", None, None),  # 12: derived indicator
        (None, "2024-06", ELECTRICITY, 10, "MWh", None, None),  # 13: no entity
    ]
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / "broken.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected) as caught:
        run_import(ledger, path)
    found = {(p.location.row, p.location.column) for p in caught.value.problems}
    assert found == {
        (3, "entity"),
        (4, "indicator"),
        (5, "period"),
        (6, "value"),
        (7, "value"),
        (8, "unit"),
        (9, "indicator"),
        (10, "quality"),
        (11, "period"),
        (12, "indicator"),
        (13, "entity"),
    }
    assert all(
        p.location.sheet == "collection" and p.location.file == str(path)
        for p in caught.value.problems
    )
    assert current_values(ledger) == {}
