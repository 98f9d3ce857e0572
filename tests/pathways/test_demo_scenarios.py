"""The demo's three scenarios project from its 2024 figures and peak where the docs say."""

from __future__ import annotations

import pytest

from esgledger.catalog import load_catalog
from esgledger.demo.generate import DATA_DIR
from esgledger.pathways import baseline_from_results, compare, load_scenario, run_pathway
from tests.pathways.demo import demo_results

SCENARIOS = DATA_DIR / "scenarios"


@pytest.fixture(scope="module")
def results():
    catalog, actual = load_catalog(), demo_results()
    base = baseline_from_results(actual, 2024, ["tag:key-entity"])
    return {
        path.stem: run_pathway(load_scenario(path), base, catalog, samples=200, seed=1)
        for path in sorted(SCENARIOS.glob("*.yaml"))
    }


def test_the_demo_ships_the_three_scenarios_of_the_issue(results):
    assert set(results) >= {"business_as_usual", "green_power_push", "efficiency_green_process"}


def test_every_scenario_starts_on_the_ledger_figures_of_2024(results):
    """2024 group: 909,563 tCO2e Scope 1+2 (location), 280,749 tce (`esgledger calc`)."""
    for result in results.values():
        first = result.rows[0]
        assert first.actual and first.year == 2024
        assert first.total_t == pytest.approx(909_563.3, abs=1)
        assert first.energy_tce == pytest.approx(280_749.0, abs=1)


@pytest.mark.parametrize(
    ("name", "year"),
    [("business_as_usual", 2040), ("green_power_push", 2040), ("efficiency_green_process", 2027)],
)
def test_peak_years(results, name, year):
    assert results[name].peak.year == year


def test_levers_lower_the_path_and_compare_lines_them_up(results):
    order = ["business_as_usual", "green_power_push", "efficiency_green_process"]
    rows = {row.label: row.values for row in compare([results[n] for n in order])}
    peaks = rows["peak"]
    assert peaks[0] > peaks[1] > peaks[2]
    assert rows["peak year"] == [2040, 2040, 2027]
    assert results["efficiency_green_process"].mac[0].cost_per_t < 0  # a saving comes first
