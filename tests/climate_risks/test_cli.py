"""`esgledger climate ...` as a user runs it, on a copy of the demo ledger."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import openpyxl
import pytest

from esgledger.cli.main import main
from esgledger.climate_risks.workbook import COLUMNS, SHEET
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.records import record_history

DEMO_DATA = Path(str(files("esgledger.demo") / "data"))


@pytest.fixture
def ledger_url(demo_ledger, tmp_path: Path) -> str:
    return demo_ledger.copy_to(tmp_path)


def _versions(url: str) -> int:
    database = open_database(url)
    with unit_of_work(database) as session:
        count = sum(len(record_history(session, "climate.risks", key))
                    for key in ("CR-TP-01", "CR-PA-01"))  # fmt: skip
    database.dispose()
    return count


def _edit(path: Path, key: str, column: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == key)
    row[COLUMNS.index(column)].value = value
    book.save(path)


def test_export_then_import_with_a_bad_cell_changes_nothing_and_names_the_cell(
    ledger_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "climate.xlsx"
    assert main(["climate", "export", str(book), "--db", ledger_url]) == 0
    before = _versions(ledger_url)
    _edit(book, "CR-TP-01", "likelihood", 7)
    _edit(book, "CR-PA-01", "metrics", "ghg.scope1, ghg.nothing")
    code = main(["--lang", "zh", "climate", "import", str(book), "--db", ledger_url,
                 "--targets", str(DEMO_DATA / "targets.yaml")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert "climate.xlsx" in err and "climate_risks" in err and "超出量表范围" in err
    assert "'likelihood'" in err and "'metrics'" in err and "ghg.nothing" in err
    assert _versions(ledger_url) == before  # all rows or none


def test_an_edited_workbook_appends_one_version_of_the_changed_item(
    ledger_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "climate.xlsx"
    main(["climate", "export", str(book), "--db", ledger_url])
    _edit(book, "CR-PA-01", "likelihood", 5)
    code = main(["climate", "import", str(book), "--db", ledger_url, "--reason", "heat wave 2025",
                 "--targets", str(DEMO_DATA / "targets.yaml")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert "1 changed" in capsys.readouterr().out
    database = open_database(ledger_url)
    with unit_of_work(database) as session:
        history = record_history(session, "climate.risks", "CR-PA-01")
    database.dispose()
    assert [v.payload["likelihood"] for v in history] == [4, 5]
    assert history[-1].reason == "heat wave 2025"


def test_scenario_run_keeps_a_new_run(
    demo_ledger, ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pathway = DEMO_DATA / "scenarios" / "green_power_push.yaml"
    code = main(["climate", "scenario", "run", str(pathway),
                 "--factors", str(demo_ledger.factors), "--db", ledger_url])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "run 2 of the scenario analysis" in out and "net_zero_2050" in out
    assert main(["climate", "scenario", "show", "--db", ledger_url]) == 0
    assert "green_power_push" in capsys.readouterr().out
