"""Activity data and emissions of the product systems, read from the ledger through the
engine (``esgledger.calc.service``): nothing is entered twice.

A process linked to an entity takes that entity's computed emissions over the period per
unit of its output (a ratio of sums: the year's emissions over the year's output), and
names the ledger observations (entity, period, indicator, revision) behind the figure.
Each emission figure enters as the masses of its gases (``engine.gases``: CO2, CH4, N2O,
CF4, C2F6 ... from the engine's own terms), so that the footprint characterises them with
its own GWP set and its contribution by gas is the engine's, not a label.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from esgledger.calc.service import CalculationRun, LedgerInputs
from esgledger.engine.gases import gas_split
from esgledger.errors import EsgError, Location
from esgledger.products.matrices import LedgerFlow
from esgledger.products.model import Process, ProductSystem
from esgledger.units import conversion_factor


@dataclass(frozen=True)
class ObservationUsed:
    """A ledger observation a footprint rests on."""

    entity: str
    period: str
    indicator: str
    revision_id: int
    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class ComputedFigure:
    """An engine figure a footprint uses: ``value`` (catalog ``unit``) of entity and year."""

    process: str
    entity: str
    period: str
    indicator: str
    value: float
    unit: str


def ledger_flows(
    system: ProductSystem, run: CalculationRun, inputs: LedgerInputs, year: str
) -> tuple[dict[str, list[LedgerFlow]], list[ComputedFigure], list[ObservationUsed]]:
    """Each linked process's ledger emissions per unit, the figures and the observations."""
    flows: dict[str, list[LedgerFlow]] = {}
    figures: list[ComputedFigure] = []
    observed: list[ObservationUsed] = []
    results = run.results[0]
    for process in (p for p in system.processes if p.ledger is not None):
        link = process.ledger
        output = _figure(system, process, results, link.per, year, link.line)
        figures.append(output)
        for emission in link.emissions:
            figure = _figure(system, process, results, emission.indicator, year, emission.line)
            figures.append(figure)
            per = _per_product_unit(figure.unit, output.unit, process)
            flows.setdefault(process.id, []).extend(
                LedgerFlow(
                    process.id,
                    emission.indicator,
                    gas.gas,
                    emission.share * gas.mass_t / output.value * per,
                    gas.co2e_t,
                )
                for gas in gas_split(results, emission.indicator, link.entity, year)
            )
        observed.extend(_observations(inputs, link.entity, year, [link.per, *link.observed]))
    return flows, figures, observed


def _per_product_unit(emission_unit: str, output_unit: str, process: Process) -> float:
    """kg CO2e per unit of the process's reference product for 1 emission_unit/output_unit."""
    ratio, product_unit = f"{emission_unit}/{output_unit}", process.outputs[0].unit
    if process.ledger.reo_content is None:
        return conversion_factor(ratio, f"kgCO2e/{product_unit}")
    per_reo = conversion_factor(ratio, "kgCO2e/tREO")
    to_product = conversion_factor("kgCO2e/t", f"kgCO2e/{product_unit}")
    return per_reo * process.ledger.reo_content * to_product


def _figure(system, process: Process, results, indicator: str, year: str, line: int):
    entity = process.ledger.entity
    value = results.value(indicator, entity, year)
    if math.isnan(value) or (indicator == process.ledger.per and value <= 0):
        raise EsgError(
            f"no {indicator} of {entity} in {year}",
            code="footprint.no_ledger_value",
            params={
                "process": process.id,
                "indicator": indicator,
                "entity": entity,
                "period": year,
            },
            location=Location(file=system.source_file, line=line or process.line),
        )
    unit = results.catalog.get(indicator).unit
    return ComputedFigure(process.id, entity, year, indicator, value, unit)


def _observations(inputs: LedgerInputs, entity: str, year: str, indicators: list[str]):
    rows = inputs.observations.filter(
        (pl.col("entity") == entity)
        & pl.col("period").str.starts_with(year)
        & pl.col("indicator").is_in(indicators)
    )
    return [
        ObservationUsed(
            r["entity"],
            r["period"],
            r["indicator"],
            r["revision_id"],
            r["value"],
            r.get("unit") or "",
            r["source"] or "",
        )
        for r in rows.iter_rows(named=True)
    ]
