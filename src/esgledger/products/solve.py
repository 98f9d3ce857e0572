"""Solve A s = f and split the score by process, by gas and by source.

The scaling vector s says how much of each column the demand needs; the inventory g = B s
and the characterised inventory c * g give the footprint. A product system with a cycle
that makes no net output (a singular A) is refused, naming the processes of that cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csgraph
from scipy.sparse.linalg import splu

from esgledger.errors import EsgError, Location
from esgledger.products.matrices import Matrices
from esgledger.products.model import ProductSystem

SINGULAR_RCOND = 1e-12  # a cycle whose loop gain is 1 to within rounding makes nothing


@dataclass(frozen=True)
class Solution:
    scaling: np.ndarray  # s, one per column
    inventory: np.ndarray  # g = B s, one per flow row
    characterised: np.ndarray  # c * g, kg CO2e per flow row
    score: float  # kg CO2e for the demand

    def by_row(self, matrices: Matrices) -> dict[str, float]:
        """kg CO2e of each flow row (ledger figure, purchase, direct gas)."""
        pairs = zip(matrices.flows, self.characterised, strict=True)
        return {row.key: float(v) for row, v in pairs}


def solve(matrices: Matrices, demand: np.ndarray, system: ProductSystem | None = None) -> Solution:
    """The footprint of ``demand``; a singular technosphere names its cycle."""
    return solve_many(matrices, demand[:, None], system)[0]


def solve_many(
    matrices: Matrices, demands: np.ndarray, system: ProductSystem | None = None
) -> list[Solution]:
    """One solution per column of ``demands`` (products x cases), from one factorisation."""
    a = matrices.technosphere
    if a.shape[0] != a.shape[1]:
        raise EsgError(
            "technosphere is not square",
            code="footprint.not_square",
            params={"products": len(matrices.products), "columns": len(matrices.columns)},
        )
    try:
        scaling = splu(a.tocsc()).solve(np.asarray(demands, dtype=float))
    except RuntimeError as exc:  # SuperLU: "Factor is exactly singular"
        raise _singular(matrices, system) from exc
    if _blown_up(scaling, demands):
        raise _singular(matrices, system)
    inventory = matrices.biosphere @ scaling
    characterised = matrices.characterisation[:, None] * inventory
    return [
        Solution(
            scaling[:, k], inventory[:, k], characterised[:, k], float(characterised[:, k].sum())
        )
        for k in range(scaling.shape[1])
    ]


def _blown_up(scaling: np.ndarray, demands: np.ndarray) -> bool:
    """A scaling vector that is not finite or dwarfs the demand by 1/SINGULAR_RCOND: the
    factorisation went through on rounding alone."""
    if not np.all(np.isfinite(scaling)):
        return True
    return bool(np.abs(scaling).max() > np.abs(demands).max() / SINGULAR_RCOND)


def _singular_cycles(matrices: Matrices) -> list[list[int]]:
    """The strongly connected groups of columns whose own block of A is singular."""
    a = matrices.technosphere
    count, labels = csgraph.connected_components(a != 0, directed=True, connection="strong")
    cycles = []
    for label in range(count):
        members = np.flatnonzero(labels == label)
        block = a[members][:, members].toarray()
        cyclic = len(members) > 1 or block[0, 0] == 0
        if cyclic and np.linalg.cond(block) > 1 / SINGULAR_RCOND:
            cycles.append(members.tolist())
    return cycles


def _singular(matrices: Matrices, system: ProductSystem | None) -> EsgError:
    cycles = _singular_cycles(matrices) or [list(range(len(matrices.columns)))]
    names = list(dict.fromkeys(matrices.column_process[i] for i in cycles[0]))
    where = None
    if system is not None:
        first = next(p for p in system.processes if p.id == names[0])
        where = Location(file=system.source_file, line=first.line)
    return EsgError(
        f"the processes {', '.join(names)} form a cycle that makes no net output",
        code="footprint.singular",
        params={"processes": ", ".join(names)},
        location=where,
    )


def by_process(matrices: Matrices, solution: Solution) -> dict[str, float]:
    """kg CO2e caused directly by each process (its columns' flows times their factors)."""
    per_column = column_contributions(matrices, solution.scaling[:, None])[:, 0]
    totals: dict[str, float] = {}
    for process, value in zip(matrices.column_process, per_column, strict=True):
        totals[process] = totals.get(process, 0.0) + float(value)
    return totals


def column_contributions(matrices: Matrices, scalings: np.ndarray) -> np.ndarray:
    """kg CO2e of each column (rows) for each case (columns of ``scalings``), at once."""
    return (matrices.biosphere.T @ matrices.characterisation)[:, None] * scalings


def by_gas(matrices: Matrices, solution: Solution) -> dict[str, float]:
    totals: dict[str, float] = {}
    for row, value in zip(matrices.flows, solution.characterised, strict=True):
        totals[row.gas] = totals.get(row.gas, 0.0) + float(value)
    return totals


def gas_masses(matrices: Matrices, solution: Solution) -> dict[str, float]:
    """kg of each gas per unit of demand, from the rows counted in kg of a gas (the ledger's
    gas masses, the file's own emissions); purchased products count in their own units and
    carry only CO2e, so they are not here."""
    totals: dict[str, float] = {}
    for row, amount in zip(matrices.flows, solution.inventory, strict=True):
        if row.kind in ("ledger", "direct") and not row.key.endswith(":CO2e"):
            totals[row.gas] = totals.get(row.gas, 0.0) + float(amount)
    return totals


def by_kind(matrices: Matrices, solution: Solution) -> dict[str, float]:
    totals: dict[str, float] = {}
    for row, value in zip(matrices.flows, solution.characterised, strict=True):
        totals[row.kind] = totals.get(row.kind, 0.0) + float(value)
    return totals
