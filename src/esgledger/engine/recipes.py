"""Evaluate the declarative recipes of the catalog (adds, ratio, formula) over arrays.

Unit handling is explicit: every operand is converted into the unit the result needs
through the registry; a formula is evaluated on pint quantities wrapping whole arrays.
"""

from __future__ import annotations

import ast
import operator
from typing import Any

import numpy as np

from esgledger.catalog.formula import dotted_name, parse_formula
from esgledger.engine.arrays.state import State
from esgledger.engine.errors import CalculationError
from esgledger.engine.lineage import Diagnostic
from esgledger.units import Q_, conversion_factor, parse_unit

_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def evaluate_adds(state: State, indicator: Any) -> np.ndarray:
    """Sum of the addends in the indicator's unit; NaN only where no addend was reported."""
    total = np.zeros(state.grid.shape)
    for addend in indicator.adds:
        total += state.amount(addend, indicator.unit)
    return state.leave_unreported(total, indicator.adds)


def evaluate_ratio(state: State, indicator: Any) -> np.ndarray:
    """numerator / denominator in the indicator's unit; an empty cell where it has no meaning."""
    num_id, den_id = indicator.ratio.numerator, indicator.ratio.denominator
    numerator, denominator = state.values[num_id], state.values[den_id]
    scale = indicator.ratio.scale * conversion_factor(
        f"({state.catalog.get(num_id).unit})/({state.catalog.get(den_id).unit})", indicator.unit
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        result = numerator / denominator  # NaN where either side is missing
    if scale != 1:
        result *= scale
    zero = denominator == 0
    if zero.any():
        result[zero] = np.nan
    if zero.any() or not state.fully_reported(den_id):
        undefined = zero | ~state.reported(den_id)
        _report_missing_denominator(
            state, indicator.id, den_id, undefined & (state.amount(num_id) != 0)
        )
    return result


def _report_missing_denominator(
    state: State, indicator: str, denominator: str, cells: np.ndarray
) -> None:
    """One notice per indicator, naming the cells, instead of one line per cell."""
    count = int(np.count_nonzero(cells))
    if not count:
        return
    entities = sorted({state.grid.entities[r] for r in np.flatnonzero(cells.any(axis=1))})
    periods = sorted({state.grid.periods[c] for c in np.flatnonzero(cells.any(axis=0))})
    state.diagnostics.append(
        Diagnostic.coded(
            indicator,
            ", ".join(entities),
            ", ".join(periods),
            "engine_notice.no_denominator",
            count=count,
            denominator=denominator,
        )
    )


def evaluate_formula(state: State, indicator: Any) -> np.ndarray:
    """The formula on pint quantities of whole arrays, converted to the indicator's unit."""
    tree, _ = parse_formula(indicator.formula)
    try:
        result = _walk(tree.body, state)
        if not hasattr(result, "to"):
            result = Q_(np.broadcast_to(result, state.grid.shape).astype(float), "dimensionless")
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(result.to(parse_unit(indicator.unit)).magnitude, dtype=float)
    except Exception as exc:  # pint raises several types; each is a unit mismatch in the formula
        raise CalculationError.coded(
            "calc.formula_unit",
            indicator=indicator.id,
            formula=indicator.formula,
            unit=indicator.unit,
            detail=str(exc),
        ) from None


def _walk(node: ast.AST, state: State) -> Any:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.UnaryOp):
        value = _walk(node.operand, state)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        with np.errstate(divide="ignore", invalid="ignore"):
            return _OPERATORS[type(node.op)](_walk(node.left, state), _walk(node.right, state))
    name = dotted_name(node)
    return Q_(state.values[name], parse_unit(state.catalog.get(name).unit))
