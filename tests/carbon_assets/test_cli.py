"""`esgledger carbon-assets ...`: import all rows or none, a bad cell located by file, row
and column in both languages; show the gap; feed Scope 2; the demo's files import cleanly."""

from __future__ import annotations

from esgledger.carbon_assets.files import read_movements, read_verified
from esgledger.cli.main import main
from esgledger.demo.carbon_assets import DATA
from tests.cli.test_cli import db  # noqa: F401  (the fixture: an initialised ledger with SMELT)

HEADER = "ref,entity,instrument,kind,quantity,on,compliance_year,period,serials,production_year\n"


def test_movements_and_verified_emissions_import_and_show_the_gap(db, tmp_path, capsys):  # noqa: F811
    moves = tmp_path / "moves.csv"
    moves.write_text(HEADER + "A1,SMELT,cea,allocation,900,2024-03-01,2024,,,\n"
                     "G1,SMELT,gec,purchase,50,2024-03-01,,,,\n"
                     "G2,SMELT,gec,retirement,50,2024-04-01,,2024-03,1-50,2024\n")  # fmt: skip
    verified = tmp_path / "verified.csv"
    verified.write_text("entity,year,verified_tco2\nSMELT,2024,1000\n")
    assert main(["carbon-assets", "import", str(moves), "--db", db]) == 0
    assert main(["carbon-assets", "verified", str(verified), "--db", db]) == 0
    assert main(["carbon-assets", "show", "--db", db]) == 0
    out = capsys.readouterr().out
    # gap 1,000 − 0 − 0 = 1,000; 900 held: 100 to buy
    assert "1,000.00" in out and "100.00" in out
    assert main(["carbon-assets", "feed-scope2", "--db", db]) == 0
    assert "SMELT 2024-03: 50.000 MWh (G2)" in capsys.readouterr().out


def test_a_bad_cell_is_located_and_nothing_is_imported(db, tmp_path, capsys):  # noqa: F811
    moves = tmp_path / "bad.csv"
    moves.write_text(HEADER + "A1,SMELT,cea,allocation,900,2024-03-01,2024,,,\n"
                     "A2,SMELT,cea,purchase,many,2024-03-01,,,,\n")  # fmt: skip
    assert main(["carbon-assets", "import", str(moves), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "bad.csv" in err and "row 3" in err and "quantity" in err
    assert main(["--lang", "zh", "carbon-assets", "import", str(moves), "--db", db]) == 1
    assert "quantity 列的值 'many' 有误" in capsys.readouterr().err
    assert main(["carbon-assets", "show", "--db", db]) == 0
    assert "SMELT" not in capsys.readouterr().out  # no holding, no gap row: nothing written


def test_the_demo_holdings_read_cleanly():
    movements = read_movements(DATA / "movements.csv")
    assert len(movements) == 10 and all(m.checked() for m in movements)
    assert {v.year for v in read_verified(DATA / "verified.csv")} == {2023, 2024}
