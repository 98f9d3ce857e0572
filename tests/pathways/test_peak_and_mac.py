"""Peak detection and the marginal abatement cost curve, against hand-worked examples."""

from __future__ import annotations

import numpy as np
import pytest

from esgledger.pathways import mac_curve, mac_rows
from esgledger.pathways.mac import MacItem, capital_recovery_factor
from esgledger.pathways.summary import find_peak
from tests.pathways.conftest import scenario

YEARS = np.arange(2024, 2029)


def _peak(central, *samples):
    rows = np.array([central, *samples], dtype=float)
    return find_peak(YEARS, rows, samples=len(samples))


def test_the_peak_is_the_highest_year_and_a_plateau_peaks_in_its_first_year():
    peak = _peak([10, 12, 15, 15, 11])
    assert (peak.year, peak.value_t) == (2026, 15.0)
    assert not peak.in_base_year and peak.before_end


def test_a_falling_series_peaked_in_the_base_year_and_a_rising_one_has_not_peaked():
    assert _peak([15, 14, 13, 12, 11]).in_base_year
    rising = _peak([10, 11, 12, 13, 14])
    assert (rising.year, rising.before_end) == (2028, False)


def test_sample_peak_years_give_the_spread():
    """Samples peaking in 2025, 2026 and 2027: nearest-rank p5 2025, p50 2026, p95 2027."""
    peak = _peak([1, 2, 3, 2, 1], [1, 3, 2, 1, 0], [1, 2, 3, 2, 1], [1, 2, 3, 4, 1])
    assert (peak.sample_year_p5, peak.sample_year_p50, peak.sample_year_p95) == (2025, 2026, 2027)


def test_mac_rows_sort_by_cost_per_tonne_and_accumulate_abatement():
    """A: 100 t for 5,000 CNY = 50/t; B: 50 t saving 1,000 CNY = -20/t; C: 200 t for 20,000 =
    100/t; D abates nothing. Curve: B (50), A (150), C (350), then D without a cost per t."""
    items = [
        MacItem(id="a", name="A", kind="efficiency", abatement_t=100, annual_cost_cny=5_000),
        MacItem(id="b", name="B", kind="efficiency", abatement_t=50, annual_cost_cny=-1_000),
        MacItem(id="c", name="C", kind="fuel_switch", abatement_t=200, annual_cost_cny=20_000),
        MacItem(id="d", name="D", kind="green_electricity", abatement_t=0, annual_cost_cny=500),
    ]
    rows = mac_rows(items)
    assert [r.id for r in rows] == ["b", "a", "c", "d"]
    assert [r.cost_per_t for r in rows] == [-20.0, 50.0, 100.0, None]
    assert [r.cumulative_t for r in rows] == [50.0, 150.0, 350.0, 350.0]


def test_capital_recovery_factor():
    """8 %, 10 years: 0.08 x 1.08^10 / (1.08^10 - 1) = 0.149029."""
    assert capital_recovery_factor(8, 10) == pytest.approx(0.1490295, rel=1e-6)
    assert capital_recovery_factor(0, 5) == pytest.approx(0.2)


def test_mac_curve_of_a_scenario_against_hand_figures(baseline):
    """No growth, grid unchanged, MAC year 2026, no discounting:
    - motors: electricity -10 % from 2025 -> 100 MWh x 0.6 = 60 t; capex 1,000 over 1 year
      + opex -400 = 600 CNY/yr -> 10 CNY/t;
    - anode: anode CO2 -50 % -> 20 t; opex 400 CNY/yr -> 20 CNY/t;
    - certificates lower only the market-based Scope 2: 0 t on the location basis, last.
    """
    levers = dict(
        mac_year=2026,
        discount_rate_pct=0,
        efficiency=[
            {
                "id": "motors",
                "carrier": "electricity",
                "savings_pct": 10,
                "start_year": 2025,
                "capex_cny": 1000,
                "opex_cny_per_year": -400,
                "lifetime_years": 1,
            }
        ],
        process_changes=[
            {
                "id": "anode",
                "source": "anode",
                "reduction_pct": 50,
                "start_year": 2025,
                "opex_cny_per_year": 400,
            }
        ],
        green_electricity={"certificates": {"shares_pct": {2025: 10}, "cost_cny_per_mwh": 5}},
    )
    rows = mac_curve(scenario(**levers), baseline)
    assert [r.id for r in rows] == ["motors", "anode", "certificates"]
    assert [r.abatement_t for r in rows] == pytest.approx([60.0, 20.0, 0.0])
    assert [r.cost_per_t for r in rows[:2]] == pytest.approx([10.0, 20.0])
    assert rows[2].cost_per_t is None
    assert rows[2].annual_cost_cny == pytest.approx(90 * 5)  # 10 % of 900 MWh in 2026
    assert [r.cumulative_t for r in rows] == pytest.approx([60.0, 80.0, 80.0])
