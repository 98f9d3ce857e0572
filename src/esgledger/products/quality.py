"""PACT data quality: ratings weighted by contribution, and the primary-data share.

PACT Technical Specification v3 (section "Data quality", Pathfinder Framework v3 ch. 4.4):
each data-quality indicator of a footprint is the average of its inputs' ratings weighted
by their contribution to the footprint; the primary-data share is the emissions computed
from primary data (site measurements, the ledger, suppliers' own primary shares) over the
total. Contributions are taken by absolute value, so a substitution credit weighs too.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from esgledger.products.matrices import Matrices
from esgledger.products.model import ProductSystem, Quality
from esgledger.products.solve import Solution

DQR_FIELDS = ("technological", "temporal", "geographical", "completeness", "reliability")


def primary_data_share(matrices: Matrices, solution: Solution) -> float:
    """Share (0-1) of the footprint's absolute emissions that rests on primary data."""
    weights = np.abs(solution.characterised)
    total = weights.sum()
    if total == 0:
        return 0.0
    primary = np.array([row.primary_share for row in matrices.flows])
    return float((weights * primary).sum() / total)


def data_quality(system: ProductSystem, matrices: Matrices, solution: Solution) -> dict[str, float]:
    """Each PACT rating, weighted by the absolute contribution of processes and purchases."""
    weighted: list[tuple[float, Quality]] = []
    foreground = _foreground_only(matrices, solution)
    for process in system.processes:
        weighted.append((abs(foreground.get(process.id, 0.0)), process.quality))
    for row, value in zip(matrices.flows, solution.characterised, strict=True):
        if row.quality is not None:
            weighted.append((abs(float(value)), row.quality))
    total = sum(weight for weight, _ in weighted)
    if total == 0:
        return {name: 3.0 for name in DQR_FIELDS}
    return {
        name: round(sum(w * getattr(q, name) for w, q in weighted) / total, 2)
        for name in DQR_FIELDS
    }


def _foreground_only(matrices: Matrices, solution: Solution) -> Mapping[str, float]:
    """Each process's own emissions and ledger figures, leaving out what it buys."""
    mask = np.array([row.quality is None for row in matrices.flows], dtype=float)
    per_column = (matrices.biosphere.T @ (matrices.characterisation * mask)) * solution.scaling
    totals: dict[str, float] = {}
    for process, value in zip(matrices.column_process, per_column, strict=True):
        totals[process] = totals.get(process, 0.0) + float(value)
    return totals
