"""Scenario analysis: carbon-price scenarios applied to the pathway projections.

For each pathway scenario (how the group grows and abates, :mod:`esgledger.pathways`) and
each carbon-price scenario (:mod:`.carbon`), the cost of emissions and of the levers per
year (:mod:`.costs`). A run is kept as a record of the register ``climate.scenarios`` (its
history is every earlier run), and the register's derived financial effects read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import polars as pl
from pydantic import BaseModel
from sqlalchemy.orm import Session

from esgledger.climate_risks.carbon import PriceFile, PriceScenario
from esgledger.climate_risks.costs import carbon_costs, green_costs, measure_costs
from esgledger.climate_risks.model import DerivedEffect
from esgledger.errors import EsgError
from esgledger.ledger.reads.records import current_record
from esgledger.ledger.records import RecordChange, append_records
from esgledger.pathways import Baseline, Scenario, project

RESULTS_REGISTER = "climate.scenarios"
RESULTS_KEY = "analysis"
_GREEN_QUANTITY = {"own_solar": "self_mwh", "contracts": "green_mwh", "certificates": "green_mwh"}


class CostRow(BaseModel):
    """One year of one pathway under one carbon-price scenario (CNY, tCO2e)."""

    pathway: str
    price_scenario: str
    year: int
    scope1_t: float
    covered_t: float
    free_t: float
    paid_t: float
    price_cny_per_t: float
    carbon_cost_cny: float
    lever_cost_cny: float
    total_cost_cny: float


class PathwayName(BaseModel):
    name: str
    title: str
    title_zh: str = ""


class Analysis(BaseModel):
    """A run: its inputs (named, with the price scenarios' sources) and its rows."""

    run_at: str
    base_year: int
    method_set: str
    pathways: list[PathwayName]
    prices: list[PriceScenario]
    rows: list[CostRow]

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame([row.model_dump() for row in self.rows])

    def price(self, scenario_id: str) -> PriceScenario:
        return next(p for p in self.prices if p.id == scenario_id)


def lever_costs(scenario: Scenario, baseline: Baseline, years: np.ndarray) -> np.ndarray:
    """Measures' yearly cost plus each green channel's premium on the MWh it supplies."""
    full = project(scenario, baseline, samples=0, end_year=int(years[-1]))
    mwh = {}
    for channel, quantity in _GREEN_QUANTITY.items():
        if getattr(scenario.green_electricity, channel) is not None:
            without = project(
                scenario.without(channel), baseline, samples=0, end_year=int(years[-1])
            )
            mwh[channel] = full.central(quantity) - without.central(quantity)
    green = green_costs(mwh, scenario) if mwh else np.zeros(len(years))
    return measure_costs(scenario, years) + green


def analyse(pathways: Sequence[Scenario], baseline: Baseline, prices: PriceFile) -> Analysis:
    """Every pathway under every price scenario, from the base year to each pathway's end."""
    frames = []
    for scenario in pathways:
        projection = project(scenario, baseline, samples=0)
        years = projection.years.astype(np.int64)
        levers = lever_costs(scenario, baseline, years)
        for price in prices.price_scenarios:
            table = carbon_costs(years, projection.central("scope1"), levers, price)
            frames.append(table.with_columns(
                pathway=pl.lit(scenario.name), price_scenario=pl.lit(price.id)
            ))  # fmt: skip
    rows = pl.concat(frames).to_dicts() if frames else []
    return Analysis(
        run_at=datetime.now(UTC).isoformat(timespec="seconds"),
        base_year=baseline.year,
        method_set=baseline.method_set,
        pathways=[
            PathwayName(name=s.name, title=s.title or s.name, title_zh=s.title_zh) for s in pathways
        ],
        prices=list(prices.price_scenarios),
        rows=[CostRow(**row) for row in rows],
    )


def record_analysis(session: Session, analysis: Analysis, *, actor: str) -> int:
    """Keep a run as the register's newest version; returns the version number."""
    (row,) = append_records(
        session, RESULTS_REGISTER, [RecordChange(RESULTS_KEY, analysis.model_dump(mode="json"))],
        actor=actor, action="climate.scenario_run",
        reason=f"{len(analysis.pathways)} × {len(analysis.prices)}",  # pathways × price scenarios
    )  # fmt: skip
    return row.version


def latest_analysis(session: Session) -> Analysis | None:
    """The newest run, or None before the first."""
    record = current_record(session, RESULTS_REGISTER, RESULTS_KEY)
    return None if record is None else Analysis.model_validate(record.payload)


class Derivation(BaseModel):
    """A derived effect: its range and the rows it comes from (one per price scenario)."""

    low_cny: float
    high_cny: float
    measure: str
    year: int
    pathway: str
    line: str
    rows: list[CostRow]


def derive(analysis: Analysis, link: DerivedEffect) -> Derivation:
    """The range of ``link.measure`` in ``link.year`` over the price scenarios.

    Raises:
        EsgError: the run holds no such pathway, or the year is outside its years.
    """
    rows = [r for r in analysis.rows if r.pathway == link.pathway and r.year == link.year]
    if not rows:
        held = ", ".join(p.name for p in analysis.pathways) or "none"
        raise EsgError(
            f"the scenario analysis holds no pathway {link.pathway!r} in {link.year} ({held})",
            code="climate_risks.no_pathway",
            params={"pathway": f"{link.pathway} {link.year}", "held": held},
        )
    values = [getattr(r, f"{link.measure}_cny") for r in rows]
    return Derivation(
        low_cny=min(values), high_cny=max(values), measure=link.measure, year=link.year,
        pathway=link.pathway, line=link.line, rows=rows,
    )  # fmt: skip
