"""`esgledger calc --factors FILE` with a user factor file that would change nothing: a
region no entity and no dataset has is refused, override years the ledger does not report
are noted, and a negative or misaligned factor is refused, each without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.cli.main import main

ORG = """entities:
  - {code: GRP, name_en: Group, name_zh: 集团, kind: group}
  - {code: SMELT, name_en: Smelter, name_zh: 冶炼厂, kind: subsidiary, parent: GRP,
     segment: smelting_separation, grid_region: north}
"""
DATA = """entity,period,indicator,value,unit,comment
SMELT,2023-01,energy.purchased_electricity,1000,MWh,
SMELT,2023,production.reo_output,100,tREO,
"""
YAML = """name: plant
title: Plant factors
version: "1"
source: plant meter
overrides: {{entities: [SMELT], years: [{years}]}}
factors:
  - key: grid.electricity
    value: {value}
    unit: tCO2/MWh
    region: {region}
    confidence: M
"""
CSV_HEAD = "dataset,title,version,source,entities,years,key,value,unit,region,confidence\n"
CSV_ROW = (
    "plant,Plant factors,1,plant meter,SMELT,{years},grid.electricity,{value},tCO2/MWh,{region},M\n"
)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A ledger for 2023 whose smelter, on the north grid, bought 1,000 MWh."""
    url = f"sqlite:///{tmp_path / 'calc.db'}"
    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    for args in (
        ["init", "--years", "2023"],
        ["org", "load", str(tmp_path / "org.yaml")],
        ["import", str(tmp_path / "data.csv"), "--submit"],
        ["approve"],
    ):
        assert main([*args, "--db", url]) == 0
    return url


def factor_file(folder: Path, fmt: str, region="north", years="2023", value="0.5") -> Path:
    path = folder / f"plant.{fmt}"
    text = YAML if fmt == "yaml" else CSV_HEAD + CSV_ROW
    path.write_text(text.format(region=region, years=years, value=value), encoding="utf-8")
    return path


def calc(db: str, path: Path, capsys) -> tuple[int, str, str]:
    code = main(["calc", "--db", db, "--factors", str(path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.mark.parametrize(("fmt", "where"), [("yaml", "line 7"), ("csv", "row 2")])
def test_a_misspelt_region_is_refused_with_the_region_meant(db, tmp_path, capsys, fmt, where):
    path = factor_file(tmp_path, fmt, region="nrth")
    code, out, err = calc(db, path, capsys)
    assert code == 1 and "Group results" not in out
    assert "factors name regions that no entity and no shipped dataset has" in err
    assert f"{path}, {where}, column 'region' (value 'nrth')" in err
    assert "Did you mean 'north'?" in err and "province codes CN-AH … CN-ZJ" in err


def test_a_region_written_as_a_name_is_refused_with_its_code(db, tmp_path, capsys):
    code, _, err = calc(db, factor_file(tmp_path, "yaml", region="North China"), capsys)
    assert code == 1 and "Did you mean 'north'?" in err


def test_the_entitys_grid_region_is_accepted_and_used(db, tmp_path, capsys):
    code, out, err = calc(db, factor_file(tmp_path, "yaml"), capsys)
    assert code == 0 and "note" not in err
    # Scope 2: 1,000 MWh x 0.5 tCO2/MWh, the user's factor, not the shipped 0.6361 (636.100)
    assert "500.000" in out and "636.100" not in out


@pytest.mark.parametrize(("fmt", "where"), [("yaml", "line 5"), ("csv", "row 2")])
def test_override_years_the_ledger_does_not_report_are_noted_not_refused(
    db, tmp_path, capsys, fmt, where
):
    path = factor_file(tmp_path, fmt, years="2023;2025" if fmt == "csv" else "2023, 2025")
    code, out, err = calc(db, path, capsys)
    assert code == 0 and "Group results" in out
    assert f"note {path}, {where}, column 'years' (value '2025')" in " ".join(err.split())
    assert "which this ledger does not report (its years: 2023)" in " ".join(err.split())


@pytest.mark.parametrize(("fmt", "where"), [("yaml", "line 8"), ("csv", "row 2")])
def test_a_negative_factor_is_refused_at_its_value(db, tmp_path, capsys, fmt, where):
    path = factor_file(tmp_path, fmt, value="-0.52")
    code, _, err = calc(db, path, capsys)
    assert code == 1 and f"{path}, {where}, column 'value' (value '-0.52')" in err
    assert "a factor cannot be negative" in err


def test_a_decimal_comma_is_one_problem_naming_its_row(db, tmp_path, capsys):
    path = factor_file(tmp_path, "csv", value="0,52")
    code, _, err = calc(db, path, capsys)
    assert code == 1 and "1 problem(s)" in err
    assert "row 2 has 12 cells, the header has 11 columns" in " ".join(err.split())
