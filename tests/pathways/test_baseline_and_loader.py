"""The base year read from engine results, and scenario files that are wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.catalog import load_catalog
from esgledger.engine.methodset import get_method_sets
from esgledger.engine.run import calculate
from esgledger.errors import ValidationFailed
from esgledger.factors import load_factor_sets
from esgledger.pathways import (
    Scenario,
    baseline_from_results,
    check_scenario,
    load_scenario,
    project,
)
from tests.engine.harness import observations_of, org_of
from tests.pathways.demo import demo_results

ENTITIES = [
    {"code": "GRP", "kind": "group"},
    {
        "code": "SEP",
        "parent": "GRP",
        "segment": "smelting_separation",
        "grid_region": "north",
        "tags": ["key-entity"],
    },
    {"code": "SEP2", "parent": "GRP", "segment": "smelting_separation", "grid_region": "north"},
    {
        "code": "MET",
        "parent": "GRP",
        "segment": "metals",
        "grid_region": "east",
        "tags": ["key-entity"],
    },
]
INPUTS = {
    "SEP": {
        "energy.natural_gas": 1_000_000,
        "energy.purchased_electricity": 5_000,
        "energy.purchased_steam": 200,
        "production.reo_output": 1_000,
    },
    "SEP2": {"energy.power_coal": 300, "energy.purchased_electricity": 1_000},
    "MET": {
        "energy.diesel": 20,
        "energy.purchased_electricity": 8_000,
        "process.carbon_anode_consumed": 50,
        "production.metal_output": 500,
    },
}


@pytest.fixture(scope="module")
def results():
    return calculate(
        observations_of(INPUTS, "2023"),
        org_of(ENTITIES),
        load_catalog(),
        load_factor_sets(),
        get_method_sets("cn-default")[0],
        ["2023"],
    )


@pytest.mark.parametrize("scope", ["group", "tag:key-entity", "segment:smelting_separation"])
def test_the_baseline_adds_up_to_the_engine_figures_of_every_scope(results, scope):
    base = baseline_from_results(results, 2023, ["tag:key-entity"])
    cells = base.scopes[scope]
    scope2 = base.elec_co2_location + base.steam_co2
    database = {i: results.value(i, scope, "2023") for i in ("energy.total", "ghg.scope1")}
    assert base.energy_tce[cells].sum() == pytest.approx(database["energy.total"])
    assert base.scope1[cells].sum() == pytest.approx(database["ghg.scope1"])
    assert scope2[cells].sum() == pytest.approx(results.value("ghg.scope2_location", scope, "2023"))


def test_entities_are_pooled_by_segment_and_requested_scope(results):
    base = baseline_from_results(results, 2023, ["tag:key-entity"])
    assert sorted(base.cells) == [
        "metals+tag:key-entity",
        "other",  # GRP itself, outside any segment
        "smelting_separation",
        "smelting_separation+tag:key-entity",
    ]
    fuels = {"power_coal", "natural_gas", "coke_oven_gas", "diesel", "gasoline", "crude_oil"}
    fuels |= {"fuel_oil", "lpg", "kerosene", "coke"}
    assert set(base.carriers) == fuels  # every carrier of the energy method, used or not


def test_the_demo_baseline_is_the_demo_ledger(results):
    base = baseline_from_results(demo_results(), 2024)
    assert base.energy_tce.sum() == pytest.approx(280_749.04, abs=0.01)
    assert base.scope1.sum() == pytest.approx(382_722.90, abs=0.01)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_wrong_field_is_reported_at_its_line(tmp_path):
    path = _write(
        tmp_path,
        "name: s\n"
        "growth:\n"
        "  metals: {rate_pct: 3, low_pct: 5}\n"
        "efficiency:\n"
        "  - id: e\n"
        "    start_year: 2026\n"
        "    savings_pct: 10\n"
        "    savings_percent: 10\n",
    )
    with pytest.raises(ValidationFailed) as caught:
        load_scenario(path)
    text = str(caught.value)
    assert f"{path}, line 3, column 'growth.metals'" in text
    assert "low_pct <= rate_pct <= high_pct" in text
    assert "line 8, column 'efficiency.0.savings_percent'" in text
    assert "unknown field 'savings_percent'" in text


def test_names_the_baseline_lacks_are_refused_with_what_exists(tmp_path, results):
    path = _write(
        tmp_path,
        "name: s\n"
        "growth:\n"
        "  mining: {rate_pct: 3}\n"
        "fuel_switches:\n"
        "  - {id: f, from: coal, to: hydrogen, share_pct: 50, start_year: 2026}\n",
    )
    scenario = load_scenario(path)
    with pytest.raises(ValidationFailed) as caught:
        check_scenario(scenario, baseline_from_results(results, 2023))
    text = str(caught.value)
    assert "line 3" in text and "Use one of: all, metals, other, smelting_separation." in text
    assert "line 5, column 'fuel_switches.0.from'" in text and "power_coal" in text
    assert "no emission factor for this carrier" in text


def test_a_file_that_is_not_yaml_is_reported_at_its_line(tmp_path):
    path = _write(tmp_path, "name: s\ngrowth: [\n")
    with pytest.raises(ValidationFailed, match="line"):
        load_scenario(path)


def test_projection_without_any_lever_keeps_the_base_year_flat(results):
    base = baseline_from_results(results, 2023)
    projection = project(Scenario(name="flat", end_year=2030), base, samples=0)
    assert projection.central("total") == pytest.approx([projection.central("total")[0]] * 8)
