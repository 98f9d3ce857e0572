"""`esgledger calc` and `esgledger explain` on a small ledger, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from esgledger.calc import export
from esgledger.catalog import load_catalog
from esgledger.cli.main import main

ORG = """entities:
  - {code: GRP, name_en: Group, name_zh: 集团, kind: group}
  - {code: SMELT, name_en: Smelter, name_zh: 冶炼厂, kind: subsidiary, parent: GRP,
     segment: smelting_separation, grid_region: north, tags: [key-entity]}
"""
DATA = """entity,period,indicator,value,unit,comment
SMELT,2023-01,energy.purchased_electricity,1000,MWh,
SMELT,2023-02,energy.purchased_electricity,500000,kWh,
SMELT,2023,production.reo_output,100,tREO,
SMELT,2023,energy.diesel,10,t,
"""


def _ledger(folder: Path, years: str) -> str:
    url = f"sqlite:///{folder / 'calc.db'}"
    (folder / "org.yaml").write_text(ORG, encoding="utf-8")
    (folder / "data.csv").write_text(DATA, encoding="utf-8")
    for args in (
        ["init", "--years", years],
        ["org", "load", str(folder / "org.yaml")],
        ["import", str(folder / "data.csv"), "--submit"],
        ["approve"],
    ):
        assert main([*args, "--db", url]) == 0
    return url


@pytest.fixture
def db(tmp_path: Path) -> str:
    return _ledger(tmp_path, "2023")


def _group_energy_total(path: Path, fmt: str) -> float:
    if fmt == "csv":
        frame = pl.read_csv(path)
    elif fmt == "json":
        frame = pl.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    else:
        rows = list(load_workbook(path)["results"].iter_rows(values_only=True))
        frame = pl.DataFrame(rows[1:], schema=list(rows[0]), orient="row")
    total = frame.filter((pl.col("code") == "group") & (pl.col("indicator") == "energy.total"))
    return total["value"][0]


def test_calc_prints_group_and_entity_tables(db, capsys):
    assert main(["calc", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Group results (operational control)" in out
    # 1,500 MWh x 0.1229 + 10 t diesel x 1.4571 = 184.35 + 14.571 = 198.921 tce
    assert "198.921" in out
    assert "By entity, 2023" in out and "SMELT" in out
    assert "[tce]" in out  # the unit under each indicator (not read as a markup tag)


def test_calc_compares_method_sets_side_by_side(db, capsys):
    assert main(["calc", "--db", db, "--methods", "cn-default,coal-consumption"]) == 0
    out = capsys.readouterr().out
    assert "cn-default" in out and "coal-consumption" in out
    # coal-consumption 2023: 1,500 x 0.3019 + 14.571 = 467.421 tce
    assert "467.421" in out


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_calc_exports_every_value(db, tmp_path, fmt):
    out = tmp_path / f"results.{fmt}"
    assert main(["calc", "--db", db, "--format", fmt, "--out", str(out)]) == 0
    assert _group_energy_total(out, fmt) == pytest.approx(198.921)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_calc_takes_the_export_format_from_the_out_extension(db, tmp_path, fmt, capsys):
    out = tmp_path / f"results.{fmt}"
    assert main(["calc", "--db", db, "--out", str(out)]) == 0
    assert f"values written to {out}" in capsys.readouterr().out
    assert _group_energy_total(out, fmt) == pytest.approx(198.921)


def test_an_out_extension_that_names_no_format_is_refused(db, tmp_path, capsys):
    out = tmp_path / "results.txt"
    assert main(["calc", "--db", db, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"cannot tell the export format from --out {out}" in err
    assert "expected .csv, .json or .xlsx" in err
    assert not out.exists()


def test_an_out_extension_that_disagrees_with_the_format_is_refused(db, tmp_path, capsys):
    out = tmp_path / "results.csv"
    assert main(["calc", "--db", db, "--format", "xlsx", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"--out {out} ends in '.csv' but --format xlsx writes a .xlsx file" in err
    assert f"name the file {tmp_path / 'results.xlsx'}, or use --format csv" in err
    assert not out.exists()


def test_an_out_in_a_missing_folder_is_refused_not_created(db, tmp_path, capsys):
    out = tmp_path / "missing" / "dir" / "results.csv"
    assert main(["calc", "--db", db, "--out", str(out)]) == 1
    assert f"the folder {out.parent} does not exist" in capsys.readouterr().err
    assert not (tmp_path / "missing").exists()


def test_an_out_that_is_a_folder_is_refused(db, tmp_path, capsys):
    assert main(["calc", "--db", db, "--format", "csv", "--out", str(tmp_path)]) == 1
    assert f"--out {tmp_path} is a folder" in capsys.readouterr().err


def test_an_unknown_export_format_is_refused(db, capsys):
    assert main(["calc", "--db", db, "--format", "pdf"]) == 1
    assert "--format must be one of csv, json or xlsx, not 'pdf'" in capsys.readouterr().err


def test_methods_naming_no_method_set_is_refused(db, capsys):
    assert main(["calc", "--db", db, "--methods", ","]) == 1
    assert "names no method set" in capsys.readouterr().err


def _header_cells(out: str, column: int) -> list[str]:
    """The lines of one column's header in a printed Rich table."""
    lines = out.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    rule = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    return [line.split("┃")[column].strip() for line in lines[top + 1 : rule]]


def test_a_wide_comparison_piped_to_a_file_shows_whole_numbers_and_labels(tmp_path, capsys):
    db = _ledger(tmp_path, "2023-2024")
    sets = "cn-default,coal-consumption,equity-share,ipcc-ar6"
    assert main(["calc", "--db", db, "--methods", sets]) == 0
    out = capsys.readouterr().out  # captured, so not a terminal
    assert "…" not in out
    assert "198.921" in out and "467.421" in out  # cn-default and coal-consumption, 2023
    assert load_catalog().get("energy.total").name("en") in out
    title = (
        "operational control: cn-default, coal-consumption, ipcc-ar6; equity share: equity-share"
    )
    assert f"Group results ({title})" in out
    # the estimated share is the first method set's, and the header says so
    assert [cell for cell in _header_cells(out, -2) if cell] == ["estimated", "2024", "cn-default"]


def test_explain_shows_formula_factor_citation_and_source_rows(db, capsys):
    args = ["explain", "energy.total", "--entity", "SMELT", "--period", "2023"]
    assert main([*args, "--db", db]) == 0
    out = capsys.readouterr().out
    assert "coal_equivalent.electricity = 0.1229 kgce/kWh" not in out  # shown in its own unit
    assert "coal_equivalent.electricity = 0.1229 tce/MWh" in out
    assert "GB/T 2589-2020" in out
    assert "data.csv, row 3" in out


def test_explain_says_an_input_is_not_reported(db, capsys):
    args = ["explain", "ghg.scope2_location", "--entity", "SMELT", "--period", "2023"]
    assert main([*args, "--db", db]) == 0
    out = capsys.readouterr().out
    # the smelter reports electricity but no steam: 1,500 MWh x 0.6361 = 954.15 tCO2e
    assert "ghg.scope2_location SMELT 2023 = 954.15 tCO2e  sum of the months" in out
    assert "energy.purchased_steam SMELT 2023-01 = not reported" in out


def test_explain_as_json_reaches_observations(db, capsys):
    assert (
        main(
            [
                "explain",
                "ghg.scope2_location",
                "--entity",
                "group",
                "--period",
                "2023",
                "--json",
                "--db",
                db,
            ]
        )
        == 0
    )
    tree = json.loads(capsys.readouterr().out)
    assert tree["value"] == pytest.approx(1500 * 0.6361)
    smelter = tree["children"][0]
    # the smelter's year is the sum of its two months, each with its factor and row
    assert [p["label"] for p in smelter["parts"]] == ["2023-01", "2023-02"]
    january, february = smelter["children"]
    assert january["factors"][0]["citation"].startswith("MEE")
    assert [o["source"] for o in january["children"][0]["observations"]] == ["data.csv, row 2"]
    assert [o["source"] for o in february["children"][0]["observations"]] == ["data.csv, row 3"]


def test_explain_of_an_unknown_entity_is_a_clear_error(db, capsys):
    args = ["explain", "energy.total", "--entity", "NOPE", "--period", "2023"]
    assert main([*args, "--db", db]) == 1
    assert "no entity or boundary 'NOPE'" in capsys.readouterr().err


def test_explain_refuses_more_than_one_method_set(db, capsys):
    args = ["explain", "energy.total", "--entity", "SMELT", "--period", "2023"]
    assert main([*args, "--methods", "cn-default,ipcc-ar6", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "explain takes one method set, got 2 in --methods 'cn-default,ipcc-ar6'" in err


def test_a_year_outside_the_calendar_is_refused_not_shown_empty(db, capsys):
    assert main(["calc", "--db", db, "--years", "2030"]) == 1
    err = capsys.readouterr().err
    assert "year 2030 is not a reporting year of this ledger (its years: 2023)" in err
    args = ["explain", "ghg.scope1", "--entity", "SMELT", "--period", "2031", "--db", db]
    assert main(args) == 1
    assert "year 2031 is not a reporting year" in capsys.readouterr().err


def test_explain_takes_a_year_or_a_month_as_its_period(db, capsys):
    args = ["explain", "ghg.scope2_location", "--entity", "SMELT", "--db", db]
    assert main([*args, "--period", "2023-02"]) == 0
    # 500,000 kWh = 500 MWh x 0.6361 (the month's grid factor)
    assert "ghg.scope2_location SMELT 2023-02 = 318.05 tCO2e" in capsys.readouterr().out
    assert main([*args, "--period", "2023-Q1"]) == 1
    assert "--period takes one year or month, e.g. 2024 or 2024-03; got '2023-Q1'" in (
        capsys.readouterr().err
    )


def test_calc_shows_the_months_computed_by_month_or_one_month(db, capsys):
    assert main(["calc", "--db", db, "--by", "month"]) == 0
    out = capsys.readouterr().out
    assert "2023-01" in out and "2023-12" in out
    # 1,000 MWh x 0.1229 in January; February 500 MWh x 0.1229
    assert "122.900" in out and "61.450" in out
    assert main(["calc", "--db", db, "--period", "2023-02"]) == 0
    out = capsys.readouterr().out
    assert "61.450" in out and "122.900" not in out
    assert "By entity, 2023-02" in out


def test_months_are_refused_where_none_was_reported(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'yearly.db'}"
    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    (tmp_path / "data.csv").write_text(
        "entity,period,indicator,value,unit\nSMELT,2023,energy.diesel,10,t\n", encoding="utf-8"
    )
    for args in (
        ["init", "--years", "2023"],
        ["org", "load", str(tmp_path / "org.yaml")],
        ["import", str(tmp_path / "data.csv"), "--submit"],
        ["approve"],
    ):
        assert main([*args, "--db", url]) == 0
    assert main(["calc", "--db", url, "--by", "month"]) == 1
    assert "no month was computed: nothing was reported monthly in 2023" in (
        capsys.readouterr().err
    )
    args = ["explain", "energy.total", "--entity", "SMELT", "--period", "2023-03", "--db", url]
    assert main(args) == 1
    assert "nothing was reported monthly, so no month was computed" in capsys.readouterr().err


def test_a_monthly_export_holds_the_months_after_the_years(db, tmp_path):
    path = tmp_path / "values.csv"
    assert main(["calc", "--db", db, "--by", "month", "--out", str(path)]) == 0
    frame = pl.read_csv(path).filter(
        (pl.col("code") == "group") & (pl.col("indicator") == "energy.purchased_electricity")
    )
    assert dict(zip(frame["period"], frame["value"], strict=True)) == {
        "2023": 1500.0,
        "2023-01": 1000.0,
        "2023-02": 500.0,
    }


PLANT_FACTORS = """name: plant
title: Plant factors
version: "1"
source: plant meter
overrides: {{entities: [{entity}]}}
factors:
  - key: {key}
    value: 0.5
    unit: tCO2e/MWh
    confidence: M
    citation: plant measurement
"""


def test_a_factor_file_scoped_to_an_unknown_entity_is_refused(db, tmp_path, capsys):
    path = tmp_path / "plant.yaml"
    path.write_text(PLANT_FACTORS.format(entity="SMELTT", key="grid.electricity"), "utf-8")
    assert main(["calc", "--db", db, "--factors", str(path)]) == 1
    err = capsys.readouterr().err
    assert "override scopes name entities the organisation does not have" in err
    assert "entity 'SMELTT'" in err and "Did you mean 'SMELT'?" in err


def test_a_factor_key_nothing_uses_is_noted_but_computed(db, tmp_path, capsys):
    path = tmp_path / "plant.yaml"
    path.write_text(PLANT_FACTORS.format(entity="SMELT", key="plant.own_meter_factor"), "utf-8")
    assert main(["calc", "--db", db, "--factors", str(path)]) == 0
    captured = capsys.readouterr()
    assert "plant.own_meter_factor" in captured.err and "198.921" in captured.out


def test_an_unknown_entity_table_indicator_is_refused_before_computing(db, capsys):
    assert main(["calc", "--db", db, "--entity-indicator", "ghg.scope1x"]) == 1
    captured = capsys.readouterr()
    assert "no indicator 'ghg.scope1x' in the catalog; did you mean ghg.scope1" in captured.err
    assert "Group results" not in captured.out


def test_entity_table_indicators_with_an_export_are_refused(db, tmp_path, capsys):
    args = [
        "calc",
        "--db",
        db,
        "--entity-indicator",
        "ghg.scope1",
        "--out",
        str(tmp_path / "r.csv"),
    ]
    assert main(args) == 1
    assert "--entity-indicator chooses the columns" in capsys.readouterr().err


def test_explain_suggests_the_code_whatever_its_case(db, capsys):
    args = ["explain", "energy.total", "--entity", "smelt", "--period", "2023", "--db", db]
    assert main(args) == 1
    assert "did you mean SMELT?" in capsys.readouterr().err


def test_several_years_outside_the_calendar_are_named_together(db, capsys):
    assert main(["calc", "--db", db, "--years", "2023-2025"]) == 1
    err = capsys.readouterr().err
    assert "years 2024, 2025 are not reporting years of this ledger (its years: 2023)" in err
    assert "esgledger init --years 2024,2025" in err


def test_an_export_names_the_user_factor_files_on_every_row(db, tmp_path):
    factors = tmp_path / "plant.yaml"
    factors.write_text(PLANT_FACTORS.format(entity="SMELT", key="grid.electricity"), "utf-8")
    out = tmp_path / "r.csv"
    assert main(["calc", "--db", db, "--factors", str(factors), "--out", str(out)]) == 0
    files = pl.read_csv(out)["user_factor_files"].unique().to_list()
    assert files == [f"plant 1 ({factors})"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_writes_text_that_looks_like_a_formula_as_text(db, tmp_path, fmt, monkeypatch):
    """Names reaching an export are checked elsewhere; the writer guards on its own too."""
    real = export.run_frame
    formula = '=HYPERLINK("http://x.test","y")'
    monkeypatch.setattr(
        export,
        "run_frame",
        lambda *args, **options: real(*args, **options).with_columns(
            user_factor_files=pl.lit(formula)
        ),
    )
    out = tmp_path / f"results.{fmt}"
    assert main(["calc", "--db", db, "--format", fmt, "--out", str(out)]) == 0
    if fmt == "csv":
        frame = pl.read_csv(out)
        assert set(frame["user_factor_files"]) == {f"'{formula}"}
        assert frame["value"].dtype == pl.Float64  # numbers stay numbers
        return
    book = load_workbook(out)
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert sum(c.value == formula for c in cells) == len(list(book["results"].rows)) - 1
    assert any(c.data_type == "n" for c in cells)
