"""`esgledger calc` and `esgledger explain` on a small ledger, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

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


@pytest.fixture
def db(tmp_path: Path) -> str:
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


def test_calc_prints_group_and_entity_tables(db, capsys):
    assert main(["calc", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Group results (operational control)" in out
    # 1,500 MWh x 0.1229 + 10 t diesel x 1.4571 = 184.35 + 14.571 = 198.921 tce
    assert "198.921" in out
    assert "By entity, 2023" in out and "SMELT" in out


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
    if fmt == "csv":
        frame = pl.read_csv(out)
    elif fmt == "json":
        frame = pl.DataFrame(json.loads(out.read_text(encoding="utf-8")))
    else:
        rows = list(load_workbook(out)["results"].iter_rows(values_only=True))
        frame = pl.DataFrame(rows[1:], schema=list(rows[0]), orient="row")
    total = frame.filter((pl.col("code") == "group") & (pl.col("indicator") == "energy.total"))
    assert total["value"][0] == pytest.approx(198.921)


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
    assert "ghg.scope2_location SMELT 2023 = 954.15 tCO2e" in out
    assert "energy.purchased_steam SMELT 2023 = not reported" in out


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
    assert smelter["factors"][0]["citation"].startswith("MEE")
    observations = smelter["children"][0]["observations"]
    assert [o["source"] for o in observations] == ["data.csv, row 2", "data.csv, row 3"]


def test_explain_of_an_unknown_entity_is_a_clear_error(db, capsys):
    args = ["explain", "energy.total", "--entity", "NOPE", "--period", "2023"]
    assert main([*args, "--db", db]) == 1
    assert "no entity or consolidation target 'NOPE'" in capsys.readouterr().err
