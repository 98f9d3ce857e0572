"""Everything of a scenario that is decided, as (years × cells) arrays per unit of activity.

``project.py`` multiplies these by sampled activity (growth) and grid factors. In the
base year every array equals the baseline's figures, so a projection starts exactly on
the ledger's latest actual year.

Electricity: demand (bought + own generation) shrinks with efficiency and grows with
electrification; own solar takes a share of it (bought = demand × (1 − own share));
contracts and certificates are a share of it bought green, which lowers only the
market-based Scope 2. A channel's share moves from the group's base-year share to the
scenario's points; each cell moves by the same number of percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from esgledger.pathways import levers
from esgledger.pathways.baseline import Baseline
from esgledger.pathways.scenario import GreenChannel, Scenario


@dataclass(frozen=True)
class Drivers:
    """Per unit of activity (1 = the base year's output), by year × cell."""

    years: np.ndarray
    energy: np.ndarray
    scope1: np.ndarray
    elec_location: np.ndarray
    elec_market: np.ndarray
    steam_co2: np.ndarray
    self_mwh: np.ndarray
    green_mwh: np.ndarray
    capacity: np.ndarray
    grid: np.ndarray


def drivers(scenario: Scenario, baseline: Baseline, years: np.ndarray) -> Drivers:
    """Apply every lever of ``scenario`` to ``baseline`` for ``years`` (the first is the base)."""
    keep_fuel, keep_elec, keep_steam = levers.efficiency_keep(scenario, baseline, years)
    fuels = levers.fuels_after_levers(scenario, baseline, years, keep_fuel)
    process = levers.process_after_levers(scenario, baseline, years)
    capture_combustion, capture_process = levers.captured_shares(scenario, baseline, years)
    demand = (baseline.purchased_mwh + baseline.self_mwh)[None, :] * keep_elec
    demand = demand + fuels.to_electricity_mwh
    own, green = green_shares(scenario, baseline, years)
    bought, generated = demand * (1 - own), demand * own
    green_mwh = np.minimum(demand * green, bought)
    location, market = grid_factors_by_cell(baseline)
    steam_tce = baseline.steam_tce[None, :] * keep_steam
    energy = (
        fuels.tce
        + bought * baseline.tce_per_mwh
        + generated * baseline.self_tce_per_mwh
        + steam_tce
    )
    return Drivers(
        years=years,
        energy=energy,
        scope1=fuels.co2 * (1 - capture_combustion) + process * (1 - capture_process),
        elec_location=bought * location[None, :],
        elec_market=(bought - green_mwh) * market[None, :],
        steam_co2=baseline.steam_co2[None, :] * keep_steam,
        self_mwh=generated,
        green_mwh=green_mwh,
        capacity=capacity(scenario, baseline, years),
        grid=grid_ratio(scenario, baseline, years),
    )


def interpolate(years: np.ndarray, base: float, points: dict[int, float]) -> np.ndarray:
    """A trajectory from ``base`` in the first year through ``points``, held after the last.

    >>> interpolate(np.arange(2024, 2029), 10.0, {2026: 20.0}).tolist()
    [10.0, 15.0, 20.0, 20.0, 20.0]
    """
    known = {int(years[0]): base, **{y: v for y, v in points.items() if y > years[0]}}
    xs = np.array(sorted(known), dtype=float)
    return np.interp(years, xs, np.array([known[int(x)] for x in xs]))


def green_shares(
    scenario: Scenario, baseline: Baseline, years: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Own-generation share and green-purchase share of electricity use, by year × cell."""
    use = baseline.purchased_mwh + baseline.self_mwh
    own0, green0 = _share(baseline.self_mwh, use), _share(baseline.green_mwh, use)
    group_own = _share(baseline.self_mwh.sum(), use.sum())
    group_green = _share(baseline.green_mwh.sum(), use.sum())
    channels = scenario.green_electricity
    own_path = _channel(years, float(group_own), channels.own_solar)
    bought_path = _channel(years, float(group_green), channels.contracts)
    bought_path = bought_path + _channel(years, 0.0, channels.certificates)
    own = np.clip(own0[None, :] + (own_path - group_own)[:, None], 0.0, 1.0)
    green = np.clip(green0[None, :] + (bought_path - group_green)[:, None], 0.0, 1.0 - own)
    return own, green


def _channel(years: np.ndarray, base: float, channel: GreenChannel | None) -> np.ndarray:
    if channel is None:
        return np.full(len(years), base)
    return interpolate(years, base, {y: v / 100 for y, v in channel.shares_pct.items()})


def _share(part: np.ndarray | float, whole: np.ndarray | float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(np.asarray(part, dtype=float) / whole)


def grid_factors_by_cell(baseline: Baseline) -> tuple[np.ndarray, np.ndarray]:
    """Implied base-year grid factors (tCO2e/MWh), location and market, per cell."""
    group = _share(baseline.elec_co2_location.sum(), baseline.purchased_mwh.sum())
    location = np.where(
        baseline.purchased_mwh > 0,
        _share(baseline.elec_co2_location, baseline.purchased_mwh),
        group,
    )
    not_green = baseline.purchased_mwh - baseline.green_mwh
    market = np.where(not_green > 0, _share(baseline.elec_co2_market, not_green), location)
    return location, market


def base_grid_factor(baseline: Baseline) -> float:
    """The group's average location-based grid factor in the base year."""
    return float(_share(baseline.elec_co2_location.sum(), baseline.purchased_mwh.sum()))


def grid_ratio(scenario: Scenario, baseline: Baseline, years: np.ndarray) -> np.ndarray:
    """The grid factor of each year relative to the base year's (1 = unchanged)."""
    if scenario.grid_factor is None:
        return np.ones(len(years))
    base = scenario.grid_factor.points.get(int(years[0]), base_grid_factor(baseline))
    if base <= 0:
        return np.ones(len(years))
    return interpolate(years, base, scenario.grid_factor.points) / base


def capacity(scenario: Scenario, baseline: Baseline, years: np.ndarray) -> np.ndarray:
    """Activity added or closed by capacity changes (1 = the base year's output)."""
    added = np.zeros((len(years), len(baseline.cells)))
    for change in scenario.capacity_changes:
        cells = levers.cells_of(baseline, change.segment)
        if change.change_pct is not None:
            size = change.change_pct / 100
        else:
            output = "production.metal_output" if change.unit == "t" else "production.reo_output"
            size = change.output / float(baseline.outputs[output][cells].sum())
        added += np.where((years >= change.year)[:, None] & cells[None, :], size, 0.0)
    return added
