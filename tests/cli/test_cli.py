"""The command line as a user meets it: clear messages, non-zero exits, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.cli.main import main

ORG = """entities:
  - {code: GRP, name_en: Group, name_zh: 集团, kind: group}
  - {code: SMELT, name_en: Smelter, name_zh: 冶炼厂, kind: subsidiary, parent: GRP,
     segment: smelting_separation}
"""


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["init", "--db", url, "--years", "2023-2024"]) == 0
    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    assert main(["org", "load", str(org), "--db", url]) == 0
    return url


def test_import_review_lock_and_verify_from_the_command_line(db, tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text(
        "entity,period,indicator,value,unit,comment\nSMELT,2024,production.reo_output,5000,tREO,\n",
        encoding="utf-8",
    )
    assert main(["import", str(data), "--db", db, "--submit"]) == 0
    assert main(["approve", "--db", db]) == 0
    assert main(["lock", "2024", "--db", db]) == 0
    assert main(["snapshot", "--db", db]) == 0
    assert (
        main(["observations", "history", "SMELT", "2024", "production.reo_output", "--db", db]) == 0
    )
    assert main(["audit", "verify", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "1 new revision(s)" in out and "2024 locked" in out and "audit log intact" in out


def test_a_rejected_import_prints_every_problem_without_a_traceback(db, tmp_path, capsys):
    data = tmp_path / "bad.csv"
    data.write_text(
        "entity,period,indicator,value,unit\nXX,2024,production.reo_output,1,tREO\n"
        "SMELT,2024,production.reo_output,abc,tREO\n",
        encoding="utf-8",
    )
    assert main(["import", str(data), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "2 problem(s) in 2 row(s); nothing was imported" in err
    assert "row 2, column 'entity'" in err and "row 3, column 'value'" in err
    assert "Traceback" not in err


def test_a_rejected_import_speaks_chinese_when_asked(db, tmp_path, capsys, monkeypatch):
    data = tmp_path / "bad.csv"
    data.write_text(
        "entity,period,indicator,value,unit\nSMELT,2024,production.reo_output,1,MWh\n",
        encoding="utf-8",
    )
    assert main(["--lang", "zh", "import", str(data), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "1 行中有 1 个问题，未导入任何数据" in err
    assert "第 2 行，'unit' 列（值 'MWh'）：MWh（能量）无法换算为 tREO" in err
    monkeypatch.setenv("ESGLEDGER_LANGUAGE", "zh")
    assert main(["import", str(data), "--db", db]) == 1
    assert "无法换算为 tREO" in capsys.readouterr().err
    assert main(["--lang", "en", "import", str(data), "--db", db]) == 1
    assert "MWh (energy) cannot be converted to tREO" in capsys.readouterr().err


def test_commands_on_an_uninitialised_database_say_to_run_init(tmp_path, capsys):
    empty = tmp_path / "empty.db"
    empty.touch()
    assert main(["observations", "list", "--db", f"sqlite:///{empty}"]) == 1
    assert "run `esgledger init` first" in capsys.readouterr().err


NEEDS_A_LEDGER = [
    ["calc"],
    ["explain", "energy.total", "--entity", "group", "--period", "2024"],
    ["observations", "list"],
    ["org", "show"],
    ["audit", "verify"],
    ["audit", "log"],
    ["targets", "status"],
    ["user", "list"],
    ["import", "data.csv"],
    ["serve"],
]


@pytest.mark.parametrize("argv", NEEDS_A_LEDGER, ids=" ".join)
def test_a_missing_sqlite_file_is_refused_and_not_created(argv, tmp_path, capsys):
    missing = tmp_path / "nope.db"
    assert main([*argv, "--db", f"sqlite:///{missing}"]) == 1
    err = capsys.readouterr().err
    assert f"the file {missing} does not exist" in err
    assert f"esgledger init --db sqlite:///{missing}" in err
    assert not missing.exists()


def test_a_relative_sqlite_path_is_looked_up_in_the_working_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["calc", "--db", "sqlite:///nope2.db"]) == 1
    assert f"the file {tmp_path / 'nope2.db'} does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_init_still_creates_a_missing_sqlite_file(tmp_path):
    path = tmp_path / "new.db"
    assert main(["init", "--db", f"sqlite:///{path}", "--years", "2024"]) == 0
    assert path.is_file()
    assert main(["observations", "list", "--db", f"sqlite:///{path}"]) == 0


def test_a_missing_file_is_a_clear_error(db, capsys):
    assert main(["import", "nowhere.csv", "--db", db]) == 1
    assert "nowhere.csv: no such file" in capsys.readouterr().err


def test_files_the_importer_cannot_trust_are_clear_errors_on_the_command_line(db, tmp_path, capsys):
    twice = tmp_path / "twice.csv"
    twice.write_text("entity,period,indicator,value,数值\nSMELT,2024,energy.diesel,1,2\n", "utf-8")
    long_cell = tmp_path / "long.csv"
    long_cell.write_text(f"entity,period,indicator,value\nSMELT,2024,{'x' * 140_000},1\n", "utf-8")
    for path, said in (
        (twice, "columns D ('value') and E ('数值') both give the value"),
        (long_cell, "row 2: the cell holds more characters; a cell may hold at most 32,767"),
        (tmp_path, "no such file"),
    ):
        assert main(["import", str(path), "--db", db]) == 1
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err


def test_template_round_trip_through_the_wide_layout(db, tmp_path, capsys):
    from openpyxl import load_workbook

    path = tmp_path / "template.xlsx"
    assert main(["template", str(path), "--year", "2024", "--entity", "SMELT", "--db", db]) == 0
    workbook = load_workbook(path)
    sheet = workbook["SMELT"]
    header = [cell.value for cell in sheet[2]]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(3, sheet.max_row + 1)}
    sheet.cell(
        row=rows["energy.purchased_electricity"], column=header.index("2024-01") + 1, value=1500
    )
    sheet.cell(row=rows["energy.purchased_electricity"], column=4, value="kWh")
    sheet.cell(row=rows["production.reo_output"], column=header.index("2024") + 1, value=4800)
    workbook.save(path)
    assert main(["import", str(path), "--db", db]) == 0
    assert "2 new revision(s)" in capsys.readouterr().out
    assert (
        main(["observations", "list", "--db", db, "--indicator", "energy.purchased_electricity"])
        == 0
    )
    assert "1.5" in capsys.readouterr().out  # 1500 kWh stored as 1.5 MWh


def test_org_show_gives_grid_region_and_control_flags(db, tmp_path, capsys):
    assert (
        main(["org", "set", "SMELT", "grid_region=north", "financial_control=false", "--db", db])
        == 0
    )
    capsys.readouterr()
    assert main(["org", "show", "--db", db]) == 0
    out = capsys.readouterr().out
    assert (
        "SMELT Smelter (subsidiary, smelting_separation, 100%, grid north, no financial control)"
        in out
    )


def test_an_error_line_starts_with_the_prefix_of_its_language(db, capsys):
    """English writes "error: " and Chinese "错误：", whose full-width colon needs no space."""
    assert main(["--lang", "zh", "observations", "list", "--entity", "SMLET", "--db", db]) == 1
    assert capsys.readouterr().err.startswith("错误：--entity 'SMLET'")
    assert main(["--lang", "en", "observations", "list", "--entity", "SMLET", "--db", db]) == 1
    assert capsys.readouterr().err.startswith("error: --entity 'SMLET'")
