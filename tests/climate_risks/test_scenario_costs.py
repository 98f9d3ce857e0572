"""The cost of emissions and levers, against hand-worked cases (cases/carbon_costs.yaml)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from esgledger.climate_risks.carbon import PriceScenario, load_prices
from esgledger.climate_risks.costs import carbon_costs, measure_costs
from esgledger.errors import EsgError
from esgledger.pathways.scenario import Scenario

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "carbon_costs.yaml").read_text())


def _scenario(fields: dict) -> PriceScenario:
    return PriceScenario(id="case", name_en="case", name_zh="案例", **fields)


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["name"])
def test_carbon_costs_match_hand_worked_figures(case: dict) -> None:
    table = carbon_costs(
        np.array(case["years"]),
        np.array(case["scope1_t"], dtype=float),
        np.array(case["lever_cost_cny"], dtype=float),
        _scenario(case["scenario"]),
    )
    for column, expected in case["expect"].items():
        assert table[column].to_list() == pytest.approx(expected, rel=1e-9), column


@pytest.mark.parametrize("case", CASES["lever_cases"], ids=lambda c: c["name"])
def test_lever_costs_match_hand_worked_figures(case: dict) -> None:
    scenario = Scenario.model_validate(
        {"name": "case", "discount_rate_pct": case["discount_rate_pct"],
         "process_changes": case["measures"]}
    )  # fmt: skip
    costs = measure_costs(scenario, np.array(case["years"]))
    assert costs.tolist() == pytest.approx(case["expect_cny"], abs=1)


def test_shipped_price_scenarios_cite_every_point() -> None:
    """Each price, coverage and free-allocation point names a source or says it is assumed."""
    for scenario in load_prices().price_scenarios:
        for path in (scenario.price, scenario.coverage_pct, scenario.free_allocation_pct):
            assert set(path.sources) <= set(path.points)
        assert set(scenario.price.sources) == set(scenario.price.points), scenario.id


def test_a_foreign_price_without_a_rate_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "prices.yaml"
    bad.write_text(yaml.safe_dump({"price_scenarios": [{
        "id": "x", "name_en": "x", "name_zh": "x", "price_unit": "USD/tCO2e",
        "price": {"points": {2030: 100}}, "coverage_pct": {"points": {2030: 100}},
        "free_allocation_pct": {"points": {2030: 0}},
    }]}))  # fmt: skip
    with pytest.raises(EsgError) as caught:
        load_prices(bad)
    assert caught.value.code == "climate_risks.price_file"
