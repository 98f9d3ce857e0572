"""The matrices of a product system: technosphere A (products x columns), biosphere B
(flows x columns) and characterisation c (kg CO2e per unit of each flow).

Foreground processes form A. Everything bought from outside the system (background factor
sets, suppliers' footprints) and every ledger figure is a row of B whose characterisation
is its footprint per unit, so the inventory g = B s keeps them apart for the contribution
by source, the primary-data share and the Monte Carlo draws of factor uncertainty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from esgledger.engine.gases import UNSPLIT
from esgledger.errors import EsgError, Location
from esgledger.products.allocation import Split, split
from esgledger.products.model import Allocation, ProductSystem, Quality, Uncertainty
from esgledger.units import conversion_factor


@dataclass(frozen=True)
class FlowRow:
    """One row of B: what it is, its characterisation and where its number comes from."""

    key: str
    gas: str
    factor: float  # kg CO2e per unit of the flow
    kind: str  # direct | background | supplier | ledger
    primary_share: float  # PACT: the part of this flow's emissions that is primary data
    uncertainty: Uncertainty | None = None
    quality: Quality | None = None
    citation: str = ""


@dataclass(frozen=True)
class LedgerFlow:
    """One gas of a ledger figure as kg of the gas per unit of a process's reference output
    (``gas`` "CO2e": CO2e the engine's terms do not split, counted at 1)."""

    process: str
    indicator: str
    gas: str
    per_unit: float
    engine_co2e_t: float = float("nan")  # the gas's CO2e in the engine's figure, for lineage


@dataclass(frozen=True)
class Matrices:
    technosphere: sparse.csc_matrix
    biosphere: sparse.csc_matrix
    characterisation: np.ndarray
    products: tuple[str, ...]
    columns: tuple[str, ...]
    column_process: tuple[str, ...]  # the process id each column comes from
    flows: tuple[FlowRow, ...]
    units: Mapping[str, str]  # each product's unit

    def demand(self, product: str, amount: float = 1.0) -> np.ndarray:
        vector = np.zeros(len(self.products))
        vector[self.products.index(product)] = amount
        return vector


class _Builder:
    """Collects (row, column, value) triples; duplicates add up, as exchanges do."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.values: list[float] = []

    def add(self, row: int, col: int, value: float) -> None:
        self.rows.append(row)
        self.cols.append(col)
        self.values.append(value)

    def matrix(self, shape: tuple[int, int]) -> sparse.csc_matrix:
        return sparse.coo_matrix((self.values, (self.rows, self.cols)), shape=shape).tocsc()


def build(
    system: ProductSystem,
    background: Mapping[str, FlowRow],
    gwp: Mapping[str, float],
    ledger: Mapping[str, list[LedgerFlow]],
    allocation: Allocation | None = None,
) -> Matrices:
    """A, B and c of ``system`` under ``allocation`` (default: the one the file declares)."""
    method = allocation or system.allocation
    splits = [s for p in system.processes for s in split(p, method, system.source_file)]
    units = _product_units(system, splits)
    products = tuple(dict.fromkeys(s.output.product for s in splits))
    flows: dict[str, FlowRow] = {}
    techno, bio = _Builder(), _Builder()
    for col, piece in enumerate(splits):
        techno.add(products.index(piece.output.product), col, piece.output.amount)
        for exchange in piece.process.inputs:
            amount = piece.share * _converted(system, piece, exchange, units)
            if exchange.product in products:
                techno.add(products.index(exchange.product), col, -amount)
            else:
                row = _background_row(system, piece, exchange.product, exchange.line, background)
                bio.add(_row(flows, row), col, amount)
        _direct(system, piece, col, bio, flows, gwp)
        _credits(system, piece, col, bio, flows, background, units)
        for item in ledger.get(piece.process.id, ()):
            row = _ledger_row(system, item, gwp)
            link = piece.process.ledger
            reference = (link.per_amount if link and link.per_amount else None) or (
                piece.process.outputs[0].amount
            )
            bio.add(_row(flows, row), col, piece.share * item.per_unit * reference)
    rows = tuple(flows.values())
    return Matrices(
        techno.matrix((len(products), len(splits))),
        bio.matrix((len(rows), len(splits))),
        np.array([r.factor for r in rows]),
        products,
        tuple(s.column for s in splits),
        tuple(s.process.id for s in splits),
        rows,
        units,
    )


def _ledger_row(system: ProductSystem, item: LedgerFlow, gwp: Mapping[str, float]) -> FlowRow:
    """The row of one gas of a ledger figure, characterised with the system's GWP set."""
    key = f"ledger:{item.process}:{item.indicator}:{item.gas}"
    if item.gas == UNSPLIT:
        return FlowRow(key, item.gas, 1.0, "ledger", 1.0)
    if item.gas not in gwp:
        raise EsgError.coded(
            "footprint.unknown_gas",
            gas=item.gas,
            known=", ".join(sorted(gwp)),
            location=Location(file=system.source_file),
        )
    return FlowRow(key, item.gas, gwp[item.gas], "ledger", 1.0)


def _row(flows: dict[str, FlowRow], row: FlowRow) -> int:
    flows.setdefault(row.key, row)
    return list(flows).index(row.key)


def _product_units(system: ProductSystem, splits: list[Split]) -> dict[str, str]:
    units = {b.product: b.unit for b in system.background}
    for piece in splits:
        units.setdefault(piece.output.product, piece.output.unit)
        for credit in piece.credits:
            units.setdefault(credit.product, credit.unit)
    return units


def _converted(system: ProductSystem, piece: Split, exchange, units: Mapping[str, str]) -> float:
    target = units.get(exchange.product)
    if target is None:
        raise EsgError(
            f"nothing makes or sells {exchange.product}",
            code="footprint.unknown_input",
            params={"process": piece.process.id, "product": exchange.product},
            location=Location(file=system.source_file, line=exchange.line),
        )
    return exchange.amount * conversion_factor(exchange.unit, target)


def _background_row(
    system: ProductSystem, piece: Split, product: str, line: int, background: Mapping[str, FlowRow]
) -> FlowRow:
    if product not in background:
        raise EsgError(
            f"nothing makes or sells {product}",
            code="footprint.unknown_input",
            params={"process": piece.process.id, "product": product},
            location=Location(file=system.source_file, line=line),
        )
    return background[product]


def _direct(system, piece: Split, col: int, bio: _Builder, flows, gwp) -> None:
    for emission in piece.process.emissions:
        gas = "CO2" if emission.flow == "CO2e" else emission.flow
        if gas not in gwp:
            raise EsgError(
                f"{emission.flow} has no global warming potential",
                code="footprint.unknown_gas",
                params={"gas": emission.flow, "known": ", ".join(sorted(gwp))},
                location=Location(file=system.source_file, line=emission.line),
            )
        kind = "primary" if emission.primary else "direct"
        factor = 1.0 if emission.flow == "CO2e" else gwp[gas]
        row = FlowRow(f"{kind}:{emission.flow}", gas, factor, "direct", float(emission.primary))
        bio.add(
            _row(flows, row),
            col,
            piece.share * emission.amount * conversion_factor(emission.unit, "kg"),
        )


def _credits(system, piece: Split, col: int, bio: _Builder, flows, background, units) -> None:
    for credit in piece.credits:
        row = _background_row(system, piece, credit.substitutes or "", credit.line, background)
        amount = credit.amount * conversion_factor(credit.unit, units[row.key.split(":", 1)[1]])
        bio.add(_row(flows, row), col, -amount)
