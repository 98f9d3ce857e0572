"""`esgledger calc --factors FILE` with a user factor file that would change nothing or
something else than meant: a region no entity and no dataset has is refused, a shipped region
no entity has, override years the ledger does not report and a value far from every shipped
one (a unit slip) are noted, and a negative or misaligned factor, an impossible date, a
valid_to on a month's last day and a file separated by ';' are refused, each without a
traceback."""

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
    unit: {unit}
    region: {region}
    valid_to: {valid_to}
    confidence: M
"""
CSV_HEAD = "dataset,title,version,source,entities,years,key,value,unit,region,valid_to,confidence\n"
CSV_ROW = (
    "plant,Plant factors,1,plant meter,SMELT,{years},grid.electricity,{value},{unit},{region},"
    "{valid_to},M\n"
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


def factor_file(folder: Path, fmt: str, region="north", years="2023", value="0.5", **more) -> Path:
    """``more``: ``unit`` (default tCO2/MWh) and ``valid_to`` (default none)."""
    path = folder / f"plant.{fmt}"
    text = YAML if fmt == "yaml" else CSV_HEAD + CSV_ROW
    fields = {"unit": "tCO2/MWh", "valid_to": "", **more}
    path.write_text(
        text.format(region=region, years=years, value=value, **fields), encoding="utf-8"
    )
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
    assert "row 2 has 13 cells, the header has 12 columns" in " ".join(err.split())


@pytest.mark.parametrize(("fmt", "where"), [("yaml", "line 11"), ("csv", "row 2")])
def test_a_valid_to_on_the_last_day_of_the_year_is_refused_with_the_day_meant(
    db, tmp_path, capsys, fmt, where
):
    path = factor_file(tmp_path, fmt, valid_to="2023-12-31")
    code, out, err = calc(db, path, capsys)
    text = " ".join(err.split())
    assert code == 1 and "Group results" not in out
    assert f"{path}, {where}, column 'valid_to' (value '2023-12-31')" in text
    assert (
        "valid_to is the first day the value no longer holds; 2023-12-31 would end it on "
        "30 December. For a value through 2023 write 2024-01-01."
    ) in text


def test_an_impossible_yaml_date_is_refused_at_its_line(db, tmp_path, capsys):
    code, _, err = calc(db, factor_file(tmp_path, "yaml", valid_to="2024-13-01"), capsys)
    text = " ".join(err.split())
    assert code == 1 and "line 11, column 'valid_to' (value '2024-13-01')" in text
    assert "2024-13-01 is not a date (month must be in 1..12)" in text


def test_a_grid_factor_in_tonnes_per_kwh_is_computed_and_noted(db, tmp_path, capsys):
    code, out, err = calc(db, factor_file(tmp_path, "yaml", value="0.52", unit="tCO2e/kWh"), capsys)
    text = " ".join(err.split())
    assert code == 0 and "Group results" in out
    assert "line 7, column 'value' (value '0.52 tCO2e/kWh')" in text
    assert "grid.electricity = 520 tCO2/MWh in these units is 658 times the largest" in text
    assert "Check the unit (kg vs t, kWh vs MWh)" in text


def test_a_province_no_entity_has_is_noted_as_applying_to_nothing(db, tmp_path, capsys):
    path = factor_file(tmp_path, "csv", region="CN-NM")
    code, out, err = calc(db, path, capsys)
    text = " ".join(err.split())
    assert code == 0 and "636.100" in out  # the shipped north factor, not the user's 0.5
    assert f"note {path}, row 2, column 'region' (value 'CN-NM')" in text
    assert "so this factor applies to nothing; entities' regions: north" in text


def test_a_file_separated_by_semicolons_is_one_problem_naming_the_separator(db, tmp_path, capsys):
    path = factor_file(tmp_path, "csv")
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    code, _, err = calc(db, path, capsys)
    text = " ".join(err.split())
    assert code == 1 and "no column" not in text
    assert (
        "the header is one column 'dataset;title;version;...': the file is separated by ';'" in text
    )
    assert "Save it as CSV with commas (Excel: CSV UTF-8 (comma delimited))." in text
