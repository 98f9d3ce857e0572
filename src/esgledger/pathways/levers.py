"""What each lever leaves of the base year, per unit of activity, as (years × cells) arrays.

Nothing here is sampled: levers are decided, only growth and the grid are uncertain. So
the levers are evaluated once per scenario, and the Monte Carlo samples only multiply
these arrays by sampled activity and grid factors (see ``project.py``).

Order of application, per year and cell: efficiency lowers each carrier; fuel switches
move a share of what is left of a fuel to another fuel or to electricity; process changes
lower process CO2 at the source; capture takes a share of what remains.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from esgledger.pathways.baseline import Baseline
from esgledger.pathways.scenario import Efficiency, Measure, Scenario


def ramp(years: np.ndarray, measure: Measure) -> np.ndarray:
    """Share of a measure's effect in each year: 0 before its start, full after the ramp.

    >>> from esgledger.pathways.scenario import ProcessChange
    >>> m = ProcessChange(id="a", start_year=2026, ramp_years=1, reduction_pct=10)
    >>> ramp(np.arange(2025, 2029), m).tolist()
    [0.0, 0.5, 1.0, 1.0]
    """
    done = (years - measure.start_year + 1) / (measure.ramp_years + 1)
    return np.clip(done, 0.0, 1.0)


def cells_of(baseline: Baseline, segment: str) -> np.ndarray:
    """The cells a lever applies to: one segment's, or all of them."""
    return np.array([segment in ("all", s) for s in baseline.segments])


@dataclass
class Fuels:
    """Fuel per unit of activity after the levers: tce and CO2 by year × cell."""

    tce: np.ndarray
    co2: np.ndarray
    to_electricity_mwh: np.ndarray


def efficiency_keep(
    scenario: Scenario, baseline: Baseline, years: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share of each carrier's base energy left after efficiency: fuels (T×K×C),
    electricity (T×K) and steam (T×K)."""
    shape = (len(years), len(baseline.cells))
    fuels = np.ones((*shape, len(baseline.carriers)))
    electricity, steam = np.ones(shape), np.ones(shape)
    for measure in scenario.efficiency:
        cells, targets = cells_of(baseline, measure.segment), _targets(baseline, measure.carrier)
        cut = _fraction(measure, baseline, cells, targets)[None, :] * ramp(years, measure)[:, None]
        left = 1.0 - np.where(cells[None, :], cut, 0.0)
        for target in targets:
            if target == "electricity":
                electricity *= left
            elif target == "steam":
                steam *= left
            else:
                fuels[:, :, baseline.carriers.index(target)] *= left
    return fuels, electricity, steam


def _targets(baseline: Baseline, carrier: str) -> list[str]:
    if carrier == "all":
        return [*baseline.carriers, "electricity", "steam"]
    if carrier == "fuels":
        return list(baseline.carriers)
    return [carrier]


def _fraction(
    measure: Efficiency, baseline: Baseline, cells: np.ndarray, targets: list[str]
) -> np.ndarray:
    """The saving as a share; tce savings are divided by the base energy they act on."""
    if measure.savings_pct is not None:
        return np.full(1, measure.savings_pct / 100)
    energy = 0.0
    for target in targets:
        if target == "electricity":
            mwh = baseline.purchased_mwh * baseline.tce_per_mwh
            energy += float((mwh + baseline.self_mwh * baseline.self_tce_per_mwh)[cells].sum())
        elif target == "steam":
            energy += float(baseline.steam_tce[cells].sum())
        else:
            energy += float(baseline.fuel_tce[cells, baseline.carriers.index(target)].sum())
    return np.full(1, min(measure.savings_tce / energy, 1.0) if energy > 0 else 0.0)


def fuels_after_levers(
    scenario: Scenario, baseline: Baseline, years: np.ndarray, keep: np.ndarray
) -> Fuels:
    """Fuel tce and CO2 per unit of activity after efficiency (``keep``) and switches."""
    factors = emission_factors(baseline)
    left = baseline.fuel_tce[None, :, :] * keep
    moved_out = np.zeros_like(left)
    co2_in = np.zeros(left.shape[:2])
    tce_in = np.zeros(left.shape[:2])
    mwh_in = np.zeros(left.shape[:2])
    for switch in scenario.fuel_switches:
        source = baseline.carriers.index(switch.from_carrier)
        share = switch.share_pct / 100 * ramp(years, switch)[:, None]
        moved = left[:, :, source] * np.where(cells_of(baseline, switch.segment), share, 0.0)
        moved_out[:, :, source] += moved
        arriving = moved * switch.efficiency_ratio
        if switch.to == "electricity":
            mwh_in += arriving / baseline.tce_per_mwh
            continue
        tce_in += arriving
        co2_in += arriving * _factor_to(switch.to, switch.to_emission_factor, baseline, factors)
    remaining = left - moved_out
    return Fuels(
        tce=remaining.sum(axis=2) + tce_in,
        co2=(remaining * factors[None, :, :]).sum(axis=2) + co2_in,
        to_electricity_mwh=mwh_in,
    )


def emission_factors(baseline: Baseline) -> np.ndarray:
    """tCO2e per tce by cell and carrier; a cell without the fuel takes the group's."""
    with np.errstate(divide="ignore", invalid="ignore"):
        own = baseline.fuel_co2 / baseline.fuel_tce
        group = baseline.fuel_co2.sum(axis=0) / baseline.fuel_tce.sum(axis=0)
    group = np.nan_to_num(group)
    return np.where(baseline.fuel_tce > 0, np.nan_to_num(own), group[None, :])


def _factor_to(
    carrier: str, declared: float | None, baseline: Baseline, factors: np.ndarray
) -> np.ndarray:
    if declared is not None:
        return np.full(len(baseline.cells), declared)
    return factors[:, baseline.carriers.index(carrier)]


def process_after_levers(scenario: Scenario, baseline: Baseline, years: np.ndarray) -> np.ndarray:
    """Process CO2 per unit of activity (T×K) after process changes."""
    total = np.zeros((len(years), len(baseline.cells)))
    for part, base in baseline.process_co2.items():
        keep = np.ones_like(total)
        for change in scenario.process_changes:
            if change.source in (part, "process"):
                cut = change.reduction_pct / 100 * ramp(years, change)[:, None]
                keep *= 1.0 - np.where(cells_of(baseline, change.segment), cut, 0.0)
        total += base[None, :] * keep
    return total


def captured_shares(
    scenario: Scenario, baseline: Baseline, years: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Share of combustion and of process CO2 captured, by year × cell."""
    shape = (len(years), len(baseline.cells))
    free_combustion, free_process = np.ones(shape), np.ones(shape)
    for unit in scenario.carbon_capture:
        share = unit.capture_pct / 100 * ramp(years, unit)[:, None]
        share = np.where(cells_of(baseline, unit.segment), share, 0.0)
        if unit.applies_to in ("combustion", "all"):
            free_combustion *= 1.0 - share
        if unit.applies_to in ("process", "all"):
            free_process *= 1.0 - share
    return 1.0 - free_combustion, 1.0 - free_process
