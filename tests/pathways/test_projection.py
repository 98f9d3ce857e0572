"""The projection, worked by hand on a one-cell baseline (see conftest.make_baseline)."""

from __future__ import annotations

import numpy as np
import pytest

from esgledger.catalog import load_catalog
from esgledger.pathways import indicator_series, project
from tests.pathways.conftest import scenario

THREE_YEARS = dict(
    growth={"default": {"rate_pct": 10}},
    grid_factor={"points": {2027: 0.3}},
    efficiency=[{"id": "motors", "carrier": "electricity", "savings_pct": 10, "start_year": 2026}],
)


def test_the_base_year_is_the_baseline_itself(baseline):
    projection = project(scenario(**THREE_YEARS), baseline, samples=0)
    assert projection.central("energy")[0] == pytest.approx(200.0)
    assert projection.central("scope1")[0] == pytest.approx(300.0)
    assert projection.central("total")[0] == pytest.approx(900.0)


def test_a_three_year_projection_matches_the_hand_worked_figures(baseline):
    """Growth 10 %/yr; grid 0.6 -> 0.3 tCO2e/MWh in 2027, straight line (0.5, 0.4, 0.3);
    electricity -10 % from 2026. Activity A = 1.1, 1.21, 1.331.

    2025: energy 1.1 x (100 + 1,000 x 0.1) = 220 tce; Scope 1 1.1 x (250 + 50) = 330;
          Scope 2 1.1 x 1,000 x 0.5 = 550; total 880.
    2026: energy 1.21 x (100 + 900 x 0.1) = 229.9; Scope 1 363; Scope 2 1.21 x 900 x 0.4
          = 435.6; total 798.6.
    2027: energy 1.331 x 190 = 252.89; Scope 1 399.3; Scope 2 1.331 x 900 x 0.3 = 359.37;
          total 758.67; intensity 758.67 / 133.1 tREO = 5.7 tCO2e/tREO.
    """
    projection = project(scenario(**THREE_YEARS), baseline, samples=0)
    assert projection.years.tolist() == [2024, 2025, 2026, 2027]
    assert projection.central("energy")[1:] == pytest.approx([220.0, 229.9, 252.89])
    assert projection.central("scope1")[1:] == pytest.approx([330.0, 363.0, 399.3])
    assert projection.central("scope2_location")[1:] == pytest.approx([550.0, 435.6, 359.37])
    assert projection.central("total")[1:] == pytest.approx([880.0, 798.6, 758.67])
    intensity = indicator_series(projection, load_catalog(), "ghg.intensity_per_treo", "group")
    assert intensity[0, 3] == pytest.approx(5.7)


def test_a_fuel_switch_to_electricity_moves_energy_and_emissions(baseline):
    """Half the coal (50 tce, 125 t) to electricity at a ratio of 0.5 from 2025: 25 tce =
    250 MWh more bought at 0.6 t = 150 t of Scope 2. Scope 1 300 -> 175, Scope 2 600 -> 750;
    energy 200 -> 50 + 125 = 175 tce."""
    switch = {
        "id": "e",
        "from": "power_coal",
        "to": "electricity",
        "share_pct": 50,
        "efficiency_ratio": 0.5,
        "start_year": 2025,
    }
    projection = project(scenario(fuel_switches=[switch]), baseline, samples=0)
    assert projection.central("scope1")[1] == pytest.approx(175.0)
    assert projection.central("scope2_location")[1] == pytest.approx(750.0)
    assert projection.central("energy")[1] == pytest.approx(175.0)


def test_process_change_capture_and_own_solar(baseline):
    """From 2025: anode CO2 -50 % (40 -> 20), then half the process CO2 captured
    ((20 + 10) / 2 = 15 left), own solar 30 % of electricity (bought 700 MWh, 420 t)."""
    levers = dict(
        process_changes=[{"id": "a", "source": "anode", "reduction_pct": 50, "start_year": 2025}],
        carbon_capture=[{"id": "c", "capture_pct": 50, "start_year": 2025}],
        green_electricity={"own_solar": {"shares_pct": {2025: 30}}},
    )
    projection = project(scenario(**levers), baseline, samples=0)
    assert projection.central("scope1")[1] == pytest.approx(250.0 + 15.0)
    assert projection.central("scope2_location")[1] == pytest.approx(420.0)
    assert projection.central("energy")[1] == pytest.approx(200.0)  # own power still counts


def test_certificates_lower_only_the_market_based_scope2(baseline):
    green = {"certificates": {"shares_pct": {2025: 40}}}
    projection = project(scenario(green_electricity=green), baseline, samples=0)
    assert projection.central("scope2_location")[1] == pytest.approx(600.0)
    assert projection.central("scope2_market")[1] == pytest.approx(360.0)


def test_a_capacity_addition_adds_output_that_does_not_grow(baseline):
    """+50 tREO from 2026 on a base of 100: activity 1 + 0.5 = 1.5 from 2026."""
    change = {"segment": "smelting_separation", "year": 2026, "output": 50, "unit": "tREO"}
    projection = project(scenario(capacity_changes=[change]), baseline, samples=0)
    assert projection.central("production.reo_output").tolist() == [100, 100, 150, 150]


def test_growth_stops_after_until_year(baseline):
    growth = {"default": {"rate_pct": 10, "until_year": 2025}}
    projection = project(scenario(growth=growth), baseline, samples=0)
    assert projection.central("production.reo_output") == pytest.approx([100, 110, 110, 110])


def test_samples_are_deterministic_under_a_seed(baseline):
    uncertain = dict(
        growth={"default": {"rate_pct": 3, "low_pct": 0, "high_pct": 6}},
        grid_factor={"points": {2027: 0.3}, "uncertainty_pct": 30},
    )
    first = project(scenario(**uncertain), baseline, samples=200, seed=7)
    again = project(scenario(**uncertain), baseline, samples=200, seed=7)
    other = project(scenario(**uncertain), baseline, samples=200, seed=8)
    assert np.array_equal(first.series("total"), again.series("total"))
    assert not np.array_equal(first.series("total"), other.series("total"))
    p5, p50, p95 = first.band("total")
    assert np.all(p5 <= p50) and np.all(p50 <= p95) and p95[-1] > p5[-1]


def test_row_zero_is_the_central_case_whatever_the_samples(baseline):
    uncertain = dict(growth={"default": {"rate_pct": 3, "low_pct": 0, "high_pct": 6}})
    central = project(scenario(**uncertain), baseline, samples=0).central("total")
    sampled = project(scenario(**uncertain), baseline, samples=50, seed=1).central("total")
    assert sampled == pytest.approx(central)
