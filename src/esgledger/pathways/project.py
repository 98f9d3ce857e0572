"""Project a scenario year by year, vectorised over samples × years × cells.

For sample n, year t (t = 0 in the base year) and cell k:

    activity[n, t, k] = (1 + growth[n, segment(k)]) ** min(t, until) + capacity[t, k]
    grid[n, t]        = 1 − (1 − grid_ratio[t]) × m[n]
    energy            = activity × drivers.energy[t, k]
    scope 1           = activity × drivers.scope1[t, k]
    scope 2 location  = activity × (drivers.elec_location[t, k] × grid[n, t] + steam CO2[t, k])

Growth is drawn per segment from a triangular distribution (low, rate, high) and stops
after the segment's ``until_year`` (``until`` counts from the base year); ``m`` scales
how much of the scenario's grid decarbonisation happens, uniform in 1 ± uncertainty. Row 0
is the central case (every range at its central value); rows 1..N are the samples, drawn
from ``numpy.random.default_rng(seed)``, so a seed gives the same band every time.
Cells are summed into scopes with one batched matrix product (see :func:`combine`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from esgledger.catalog.registry import Catalog
from esgledger.pathways.baseline import Baseline
from esgledger.pathways.drivers import Drivers, drivers
from esgledger.pathways.scenario import Scenario
from esgledger.units import conversion_factor

DEFAULT_SEED = 2060
QUANTITIES = {
    "energy.total": "energy",
    "ghg.scope1": "scope1",
    "ghg.scope2_location": "scope2_location",
    "ghg.scope2_market": "scope2_market",
    "ghg.scope2": "scope2",
    "ghg.scope12_total": "total",
}


@dataclass(frozen=True)
class Projection:
    """Projected quantities by scope: arrays of (1 + samples) × years × scopes."""

    scenario: Scenario
    baseline: Baseline
    years: np.ndarray
    scopes: tuple[str, ...]
    values: dict[str, np.ndarray]
    samples: int
    seed: int

    def series(self, quantity: str, scope: str = "group") -> np.ndarray:
        """Every row (central first) of one quantity for one scope: (1 + samples) × years."""
        return self.values[quantity][:, :, self.scopes.index(scope)]

    def central(self, quantity: str, scope: str = "group") -> np.ndarray:
        return self.series(quantity, scope)[0]

    def band(self, quantity: str, scope: str = "group") -> np.ndarray:
        """p5, p50 and p95 over the samples (the central line when there are none)."""
        rows = self.series(quantity, scope)
        drawn = rows[1:] if self.samples else rows[:1]
        return np.percentile(drawn, [5, 50, 95], axis=0)


def project(
    scenario: Scenario,
    baseline: Baseline,
    *,
    samples: int = 1000,
    seed: int = DEFAULT_SEED,
    end_year: int | None = None,
) -> Projection:
    """Project ``scenario`` from the baseline's year to ``end_year`` (default the scenario's)."""
    years = np.arange(baseline.year, (end_year or scenario.end_year) + 1)
    fixed = drivers(scenario, baseline, years)
    growth, grid_scale = draw(scenario, baseline, samples, seed)
    return combine(scenario, baseline, fixed, growth, grid_scale, samples, seed)


def draw(
    scenario: Scenario, baseline: Baseline, samples: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Growth per row × cell and grid multiplier per row; row 0 central."""
    rng = np.random.default_rng(seed)
    segments = sorted(set(baseline.segments))
    by_segment = np.empty((samples + 1, len(segments)))
    for j, segment in enumerate(segments):
        growth = scenario.growth_of(segment)
        by_segment[0, j] = growth.rate_pct
        if growth.low < growth.high:
            by_segment[1:, j] = rng.triangular(growth.low, growth.rate_pct, growth.high, samples)
        else:
            by_segment[1:, j] = growth.rate_pct
    cells = [segments.index(segment) for segment in baseline.segments]
    spread = scenario.grid_factor.uncertainty_pct / 100 if scenario.grid_factor else 0.0
    grid_scale = np.ones(samples + 1)
    if spread:
        grid_scale[1:] = rng.uniform(1 - spread, 1 + spread, samples)
    return by_segment[:, cells] / 100, grid_scale


def combine(
    scenario: Scenario,
    baseline: Baseline,
    fixed: Drivers,
    growth: np.ndarray,
    grid_scale: np.ndarray,
    samples: int,
    seed: int,
) -> Projection:
    """Multiply the decided drivers by sampled activity and grid, and sum cells to scopes.

    Every quantity is activity[n, t, k] × driver[t, k] summed over the cells k of a scope,
    so all of them come out of one batched matrix product per year: activity (samples ×
    cells) times the drivers weighted by scope membership (cells × quantities·scopes). The
    grid multiplier is per sample and year, not per cell, so it is applied after the sum.
    """
    activity = (1 + growth[:, None, :]) ** growth_years(scenario, baseline, fixed.years)[None]
    activity = np.maximum(activity + fixed.capacity[None], 0.0)
    steps, drivers = fixed.energy.shape, _per_activity(fixed, baseline)
    scopes = tuple(baseline.scopes)
    membership = np.column_stack([baseline.scopes[s] for s in scopes]).astype(float)
    weights = np.stack([d[:, :, None] * membership[None] for d in drivers.values()], axis=2)
    summed = np.matmul(activity.transpose(1, 0, 2), weights.reshape(*steps, -1))
    summed = summed.reshape(steps[0], len(activity), len(drivers), len(scopes))
    values = {name: summed[:, :, q].transpose(1, 0, 2) for q, name in enumerate(drivers)}
    grid = np.maximum(1 - (1 - fixed.grid)[None, :] * grid_scale[:, None], 0.0)[:, :, None]
    steam = values.pop("steam_co2")
    values["scope2_location"] = values.pop("elec_location") * grid + steam
    values["scope2_market"] = values.pop("elec_market") * grid + steam
    values["scope2"] = values[f"scope2_{baseline.scope2_basis}"]
    values["total"] = values["scope1"] + values["scope2"]
    return Projection(scenario, baseline, fixed.years, scopes, values, samples, seed)


def _per_activity(fixed: Drivers, baseline: Baseline) -> dict[str, np.ndarray]:
    """Every quantity per unit of activity, years × cells (outputs are the base's)."""
    outputs = {
        name: np.broadcast_to(base, fixed.energy.shape) for name, base in baseline.outputs.items()
    }
    return {
        "energy": fixed.energy,
        "scope1": fixed.scope1,
        "elec_location": fixed.elec_location,
        "elec_market": fixed.elec_market,
        "steam_co2": fixed.steam_co2,
        "self_mwh": fixed.self_mwh,
        "green_mwh": fixed.green_mwh,
        **outputs,
    }


def growth_years(scenario: Scenario, baseline: Baseline, years: np.ndarray) -> np.ndarray:
    """Years of growth behind each year × cell: years since the base, up to ``until_year``."""
    steps = (years - years[0]).astype(float)
    limits = np.array(
        [
            np.inf if (until := scenario.growth_of(s).until_year) is None else until - years[0]
            for s in baseline.segments
        ]
    )
    return np.minimum(steps[:, None], np.maximum(limits, 0.0)[None, :])


def indicator_series(
    projection: Projection, catalog: Catalog, indicator: str, scope: str
) -> np.ndarray | None:
    """An indicator the projection can compute (a total or an intensity of projected
    totals), rows × years; None when it cannot (the scope or the indicator is not modelled)."""
    if scope not in projection.scopes or indicator not in catalog:
        return None
    if indicator in QUANTITIES:
        return projection.series(QUANTITIES[indicator], scope)
    if indicator in projection.values:
        return projection.series(indicator, scope)
    ratio = catalog.get(indicator).ratio
    if ratio is None:
        return None
    top = indicator_series(projection, catalog, ratio.numerator, scope)
    bottom = indicator_series(projection, catalog, ratio.denominator, scope)
    if top is None or bottom is None:
        return None
    units = f"({catalog.get(ratio.numerator).unit})/({catalog.get(ratio.denominator).unit})"
    scale = ratio.scale * conversion_factor(units, catalog.get(indicator).unit)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / bottom * scale, np.nan)
