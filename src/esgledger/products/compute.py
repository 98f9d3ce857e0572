"""Compute a product's footprint: matrices, solve, contributions, spread, data quality,
and the lineage back to ledger rows and cited factors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from pint import Quantity

from esgledger.errors import EsgError
from esgledger.products.footprint import ComputedFootprint, GasContribution
from esgledger.products.ledger_data import ComputedFigure, ObservationUsed
from esgledger.products.matrices import FlowRow, LedgerFlow, Matrices, build
from esgledger.products.model import Allocation, ProductInfo, ProductSystem
from esgledger.products.quality import data_quality, primary_data_share
from esgledger.products.solve import Solution, by_gas, by_kind, by_process, gas_masses, solve
from esgledger.products.uncertainty import Spread, monte_carlo
from esgledger.units import conversion_factor, ureg

METHOD_NOTE = "ISO 14067:2018; GHG Protocol Product Standard; PACT Methodology v3"
DECLARED_UNIT = "kilogram"


@dataclass(frozen=True)
class Lineage:
    """What a footprint rests on: ledger observations, engine figures, cited factors."""

    observations: tuple[ObservationUsed, ...] = ()
    figures: tuple[ComputedFigure, ...] = ()
    factors: tuple[FlowRow, ...] = ()
    snapshot_hash: str = ""


@dataclass(frozen=True)
class FootprintResult:
    footprint: ComputedFootprint
    by_process: Mapping[str, float]  # kg CO2e per declared unit
    by_gas: Mapping[str, float]
    by_source: Mapping[str, float]  # direct | background | supplier | ledger
    matrices: Matrices
    solution: Solution
    lineage: Lineage = field(default_factory=Lineage)
    spread: Spread | None = None


@dataclass(frozen=True)
class Inputs:
    """Everything besides the system file: background rows, GWPs and ledger flows."""

    background: Mapping[str, FlowRow]
    gwp: Mapping[str, float]
    ledger: Mapping[str, list[LedgerFlow]]
    period_start: date
    period_end: date
    lineage: Lineage = field(default_factory=Lineage)
    gwp_set: str = ""  # the IPCC report of ``gwp`` ("AR6"), as PACT names it


def compute_footprint(
    system: ProductSystem,
    inputs: Inputs,
    *,
    allocation: Allocation | None = None,
    draws: int = 0,
    seed: int = 20240101,
    product: str | None = None,
) -> FootprintResult:
    """The footprint of 1 kg of ``product`` (default: the system's reference product), per
    kilogram as PACT declares it."""
    method = allocation or system.allocation
    product = product or system.reference_product
    matrices = build(system, inputs.background, inputs.gwp, inputs.ledger, method)
    if product not in matrices.products:
        raise EsgError(
            f"{system.system} makes no {product}",
            code="footprint.unknown_product",
            params={
                "system": system.system,
                "product": product,
                "made": ", ".join(matrices.products),
            },
        )
    unit = matrices.units[product]
    demand = matrices.demand(product, conversion_factor("kg", unit))
    solution = solve(matrices, demand, system)
    footprint = _footprint(system, product, inputs, method, matrices, solution)
    spread = monte_carlo(matrices, solution, draws, seed) if draws else None
    lineage = Lineage(
        inputs.lineage.observations,
        inputs.lineage.figures,
        tuple(r for r in matrices.flows if r.citation),
        inputs.lineage.snapshot_hash,
    )
    return FootprintResult(
        footprint,
        by_process(matrices, solution),
        by_gas(matrices, solution),
        by_kind(matrices, solution),
        matrices,
        solution,
        lineage,
        spread,
    )


def _footprint(system, product, inputs: Inputs, method, matrices, solution) -> ComputedFootprint:
    per_kg = ureg.Quantity(solution.score, "kgCO2e/kg")
    info = system.products.get(product)
    biogenic = system.biogenic
    uptake = biogenic.uptake if biogenic else 0.0  # kg CO2 per kg, as declared
    return ComputedFootprint(
        product_id=product,
        name_en=info.name.en if info else system.name.en,
        name_zh=info.name.zh if info else system.name.zh,
        entity=_producer(system, product),
        declared_unit=DECLARED_UNIT,
        declared_unit_amount=1.0,
        period_start=inputs.period_start,
        period_end=inputs.period_end,
        geography_country=system.geography_country,
        fossil=per_kg,
        biogenic_uptake=ureg.Quantity(uptake, "kgCO2e/kg"),
        total_excluding_biogenic_uptake=per_kg,
        primary_data_share=primary_data_share(matrices, solution),
        data_quality=data_quality(system, matrices, solution),
        by_gas=_gases(matrices, solution),
        cpc_code=info.cpc_code if info else system.cpc_code,
        allocation=method.value,
        method_note=METHOD_NOTE,
        ipcc_characterization=(inputs.gwp_set,) if inputs.gwp_set else (),
        **_carbon(info),
        biogenic_note=biogenic.reason.en if biogenic else "",
        biogenic_note_zh=biogenic.reason.zh if biogenic else "",
    )


def _gases(matrices: Matrices, solution: Solution) -> tuple[GasContribution, ...]:
    """Each gas's CO2e per kg of product and, where the inventory counts it, its mass."""
    masses = gas_masses(matrices, solution)
    return tuple(
        GasContribution(
            gas,
            ureg.Quantity(co2e, "kgCO2e/kg"),
            ureg.Quantity(masses[gas], "kg/kg") if gas in masses else None,
        )
        for gas, co2e in by_gas(matrices, solution).items()
    )


def _carbon(info: ProductInfo | None) -> dict[str, Quantity | None]:
    """The product's carbon content per kg from the system file; None where not declared."""
    content = info.carbon_content if info else None
    if content is None:
        return {"fossil_carbon_content": None, "biogenic_carbon_content": None}
    return {
        "fossil_carbon_content": ureg.Quantity(content.fossil, "kg/kg"),
        "biogenic_carbon_content": ureg.Quantity(content.biogenic, "kg/kg"),
    }


def _producer(system: ProductSystem, product: str) -> str:
    """The entity whose ledger figures make ``product`` (else the system's entity)."""
    for process in system.processes:
        if process.ledger and any(o.product == product for o in process.outputs):
            return process.ledger.entity
    return system.entity
