"""The cost of emissions and of the abatement levers per year: whole columns at once.

    covered_t     = Scope 1 × coverage %            (emissions under a carbon price)
    free_t        = covered_t × free allocation %   (allowances received free)
    paid_t        = covered_t − free_t              (allowances bought, or tax paid)
    carbon_cost   = paid_t × price (CNY/tCO2e)
    lever_cost    = Σ levers ramp share × (capex × CRF(rate, life) + yearly running cost)
                    + Σ green channels MWh × premium
    total_cost    = carbon_cost + lever_cost

Scope 2 carries no carbon price here: the national ETS prices direct emissions; what a
generator passes on in the electricity price is not modelled (a stated limit).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from esgledger.climate_risks.carbon import PriceScenario
from esgledger.pathways.levers import ramp
from esgledger.pathways.mac import capital_recovery_factor
from esgledger.pathways.scenario import Scenario

COST_COLUMNS = (
    "year", "scope1_t", "covered_t", "free_t", "paid_t", "price_cny_per_t",
    "carbon_cost_cny", "lever_cost_cny", "total_cost_cny",
)  # fmt: skip


def carbon_costs(
    years: np.ndarray, scope1_t: np.ndarray, lever_cost_cny: np.ndarray, price: PriceScenario
) -> pl.DataFrame:
    """One row per year of what emissions and levers cost under ``price``."""
    covered = scope1_t * price.coverage_pct.at(years) / 100
    free = covered * price.free_allocation_pct.at(years) / 100
    paid = covered - free
    cny_per_t = price.cny_per_t(years)
    carbon = paid * cny_per_t
    return pl.DataFrame(
        {
            "year": years.astype(np.int64),
            "scope1_t": scope1_t,
            "covered_t": covered,
            "free_t": free,
            "paid_t": paid,
            "price_cny_per_t": cny_per_t,
            "carbon_cost_cny": carbon,
            "lever_cost_cny": lever_cost_cny,
            "total_cost_cny": carbon + lever_cost_cny,
        }
    )


def measure_costs(scenario: Scenario, years: np.ndarray) -> np.ndarray:
    """The yearly cost of the scenario's measures: each at its ramp share of its annualised
    capital plus running cost (capital is taken as renewed at the end of its life)."""
    total = np.zeros(len(years))
    for measure in scenario.measures():
        crf = capital_recovery_factor(scenario.discount_rate_pct, measure.lifetime_years)
        total += ramp(years, measure) * (measure.capex_cny * crf + measure.opex_cny_per_year)
    return total


def green_costs(green_mwh: dict[str, np.ndarray], scenario: Scenario) -> np.ndarray:
    """The yearly premium of each green-electricity channel on the MWh it supplies."""
    channels = scenario.green_electricity
    total = np.zeros(len(next(iter(green_mwh.values()))) if green_mwh else 0)
    for channel, mwh in green_mwh.items():
        total = total + mwh * getattr(channels, channel).cost_cny_per_mwh
    return total
