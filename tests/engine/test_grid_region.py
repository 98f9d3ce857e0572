"""An entity's electricity is never priced at the national average unless it says so."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from esgledger.engine.errors import CalculationError
from esgledger.org import Entity
from esgledger.org.divisions import grid_of_division
from tests.engine.harness import run_case


def electricity_of(entity: dict, tmp_path):
    case = {
        "name": "t",
        "period": 2023,
        "entities": [{"code": "G", "kind": "group"}, {"parent": "G", **entity}],
        "input": {entity["code"]: {"energy.purchased_electricity": 1000}},
    }
    return run_case(case, tmp_path)


def test_an_entity_without_grid_region_or_division_code_is_refused_with_the_fix(tmp_path):
    with pytest.raises(CalculationError) as caught:
        electricity_of({"code": "SITE"}, tmp_path)
    text = str(caught.value)
    assert "no grid region for the electricity of SITE" in text
    assert "neither a grid_region nor a division_code" in text
    assert "give entity SITE a grid_region" in text and "division_code" in text


def test_inner_mongolia_at_province_level_is_refused_naming_its_prefectures(tmp_path):
    # 150000 does not say whether the site is on the North (蒙西) or Northeast (蒙东) grid
    with pytest.raises(CalculationError) as caught:
        electricity_of({"code": "NM", "division_code": "150000"}, tmp_path)
    assert "Inner Mongolia, which is split between grids" in str(caught.value)
    assert "1502xx" in str(caught.value)


def test_an_entity_without_electricity_needs_no_grid(tmp_path):
    case = {
        "name": "t",
        "period": 2023,
        "entities": [{"code": "G", "kind": "group"}],
        "input": {"G": {"energy.diesel": 10}},
    }
    assert run_case(case, tmp_path).value("ghg.scope1", "G", "2023") > 0


@pytest.mark.parametrize(
    ("code", "grid"),
    [("150203", "north"), ("150402", "northeast"), ("360102", "central"), ("510104", "southwest")],
)
def test_division_codes_give_their_regional_grid(code, grid):
    assert grid_of_division(code) == grid


@pytest.mark.parametrize("code", ["15020", "1502031", "99xxxx", "990000"])
def test_a_malformed_or_unknown_division_code_is_refused_on_load(code):
    with pytest.raises(ValidationError):
        Entity(code="X", name_en="x", name_zh="x", kind="facility", division_code=code)
