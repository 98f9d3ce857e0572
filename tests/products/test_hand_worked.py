"""The three-process chain of systems/three_process.yaml against its hand-worked figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.factors import load_factor_sets
from esgledger.products.compute import compute_footprint
from esgledger.products.loading import read_system
from esgledger.products.model import Allocation
from esgledger.products.service import offline_inputs

SYSTEM = Path(__file__).with_name("systems") / "three_process.yaml"


@pytest.fixture(scope="module")
def chain():
    system = read_system(SYSTEM)
    return system, offline_inputs(system, load_factor_sets(), 2024)


def test_mass_allocation_gives_the_hand_worked_total(chain):
    result = compute_footprint(*chain)
    assert result.solution.score == pytest.approx(0.99948, rel=1e-12)
    assert result.footprint.total_excluding_biogenic_uptake.to("kgCO2e/kg").magnitude == (
        pytest.approx(0.99948, rel=1e-12)
    )
    assert result.footprint.allocation == "mass"


def test_contributions_by_process_and_gas_add_up_to_the_hand_worked_parts(chain):
    result = compute_footprint(*chain)
    assert result.by_process == pytest.approx(
        {"metal": 0.738, "separate": 0.06948 + 0.072, "mine": 0.12}, rel=1e-12
    )
    assert result.by_gas == pytest.approx(
        {"CF4": 0.738, "CO2": 0.036 + 0.072 + 0.048 + 0.072, "CH4": 0.03348}, rel=1e-12
    )


def test_economic_allocation_switches_the_shares_to_value(chain):
    result = compute_footprint(*chain, allocation=Allocation.ECONOMIC)
    separate = 0.002 * 3 / 11 * (30 + 27.9 + 60)
    mine = 0.002 * 3 / 11 * 2 * (20 + 30)
    assert result.solution.score == pytest.approx(0.738 + separate + mine, rel=1e-12)
    assert result.solution.score == pytest.approx(0.8568545454, rel=1e-9)


def test_substitution_credits_the_displaced_oxide(chain):
    result = compute_footprint(*chain, allocation=Allocation.SUBSTITUTION)
    assert result.solution.score == pytest.approx(0.7738, rel=1e-12)
    assert result.by_process["separate"] == pytest.approx(-0.1642, rel=1e-12)


def test_primary_share_counts_the_measured_emissions(chain):
    result = compute_footprint(*chain)
    # primary: CF4 of metal (0.738) and the mine's CO2 (0.048), of 0.99948 in all
    assert result.footprint.primary_data_share == pytest.approx((0.738 + 0.048) / 0.99948)


def test_data_quality_weights_the_ratings_by_contribution(chain):
    result = compute_footprint(*chain)
    # technological: metal 0.738 x 1, separate 0.06948 x 2, mine 0.048 x 1, grid 0.144 x 3
    expected = (0.738 + 2 * 0.06948 + 0.048 + 3 * 0.144) / 0.99948
    assert result.footprint.data_quality["technological"] == pytest.approx(expected, abs=0.005)


def test_monte_carlo_is_seeded_and_spreads_only_the_uncertain_grid(chain):
    first = compute_footprint(*chain, draws=2000, seed=7).spread
    again = compute_footprint(*chain, draws=2000, seed=7).spread
    assert first == again
    # the grid (0.144 kg CO2e) is lognormal with GSD 1.2: median 0.144, the rest fixed
    assert first.p50 == pytest.approx(0.99948, rel=0.01)
    assert first.p2_5 < 0.99948 < first.p97_5
    assert first.p2_5 > 0.99948 - 0.144


@pytest.mark.parametrize(
    ("dataset", "report", "cf4"),
    [
        ("ipcc_ar6_gwp100", "AR6", 7380.0),
        ("ipcc_ar5_gwp100", "AR5", 6630.0),
    ],
)
def test_the_footprint_declares_the_gwp_set_it_characterised_with(dataset, report, cf4):
    """The metal's 0.1 kg CF4 per t at the set's GWP: 0.001 x 0.1 x GWP per kg of metal."""
    system = read_system(SYSTEM).model_copy(update={"gwp_dataset": dataset})
    result = compute_footprint(system, offline_inputs(system, load_factor_sets(), 2024))
    assert result.footprint.ipcc_characterization == (report,)
    assert result.by_gas["CF4"] == pytest.approx(0.001 * 0.1 * cf4, rel=1e-12)
    declared = system.biogenic
    assert declared is not None and result.footprint.biogenic_note == declared.reason.en
