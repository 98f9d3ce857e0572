"""The engine loop: every derived indicator, for every entity and period, in one pass.

    for indicator in dependency order:
        evaluate its recipe over whole (entity × period) arrays
        record how (a Node: inputs, terms, factors) and the estimated share

Nothing is evaluated cell by cell. The nodes are what ``explain`` reads back.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from esgledger.catalog.graph import find_cycle, topological_order
from esgledger.engine.context import MethodContext, State
from esgledger.engine.errors import CalculationError
from esgledger.engine.lineage import Node
from esgledger.engine.recipes import evaluate_adds, evaluate_formula, evaluate_ratio
from esgledger.engine.registry import get_method


def dependencies(catalog: Any, indicator: Any) -> tuple[str, ...]:
    """What an indicator is computed from: its recipe's ids, or the ids its method reads."""
    if indicator.method is not None:
        return get_method(indicator.method).reads
    return tuple(indicator.dependencies)


def evaluation_order(catalog: Any) -> list[str]:
    """Derived indicators after everything they depend on.

    Raises:
        CalculationError: the recipes form a cycle; the message walks it.
    """
    graph = {
        i.id: tuple(d for d in dependencies(catalog, i) if d in catalog)
        for i in catalog
        if i.kind == "derived"
    }
    cycle = find_cycle(graph)
    if cycle:
        raise CalculationError(
            f"the catalog's recipes form a cycle: {' → '.join(cycle)}; an indicator cannot be "
            "computed from itself, change one of these recipes"
        )
    return [i for i in topological_order(graph) if i in graph]


def compute(state: State) -> State:
    """Evaluate every derived indicator into ``state`` (inputs must already be there)."""
    for indicator_id in evaluation_order(state.catalog):
        indicator = state.catalog.get(indicator_id)
        node = Node(
            indicator_id,
            indicator.recipe,
            _formula_text(indicator),
            tuple(dependencies(state.catalog, indicator)),
        )
        state.values[indicator_id] = evaluate(state, indicator, node)
        state.estimated[indicator_id] = estimated_share(state, indicator, node)
        state.nodes[indicator_id] = node
    return state


def evaluate(state: State, indicator: Any, node: Node) -> np.ndarray:
    for dependency in node.inputs:
        state.values.setdefault(dependency, np.full(state.grid.shape, np.nan))
        state.estimated.setdefault(dependency, np.zeros(state.grid.shape))
    if indicator.adds is not None:
        return evaluate_adds(state, indicator)
    if indicator.ratio is not None:
        return evaluate_ratio(state, indicator)
    if indicator.formula is not None:
        return evaluate_formula(state, indicator)
    return _run_method(state, indicator, node)


def _run_method(state: State, indicator: Any, node: Node) -> np.ndarray:
    get_method(indicator.method).function(MethodContext(state, node))
    if not node.terms:
        return np.full(state.grid.shape, np.nan)
    total = np.sum([term.values for term in node.terms], axis=0)
    reported = np.zeros(state.grid.shape, dtype=bool)
    for used in {i for term in node.terms for i in term.inputs}:
        reported |= ~np.isnan(state.values.get(used, np.full(state.grid.shape, np.nan)))
    return np.where(reported, total, np.nan)


def estimated_share(state: State, indicator: Any, node: Node) -> np.ndarray:
    """The share of each value that rests on estimated observations (0 to 1).

    Sums and methods weight each part by its size; a ratio rests on estimates as much as
    its more estimated side; a formula weights its operands by their size.
    """
    if indicator.ratio is not None:
        return np.maximum(
            state.estimated[indicator.ratio.numerator], state.estimated[indicator.ratio.denominator]
        )
    if node.terms:
        parts = [(np.abs(t.values), _share_of(state, t.inputs)) for t in node.terms]
    else:
        parts = [(np.abs(np.nan_to_num(state.values[i])), state.estimated[i]) for i in node.inputs]
    if not parts:
        return np.zeros(state.grid.shape)
    weight = np.sum([w for w, _ in parts], axis=0)
    weighted = np.sum([w * s for w, s in parts], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(weight > 0, weighted / weight, 0.0)


def _share_of(state: State, inputs: tuple[str, ...]) -> np.ndarray:
    shares = [state.estimated.get(i, np.zeros(state.grid.shape)) for i in inputs]
    return np.max(shares, axis=0) if shares else np.zeros(state.grid.shape)


def _formula_text(indicator: Any) -> str:
    if indicator.adds is not None:
        return " + ".join(indicator.adds)
    if indicator.ratio is not None:
        scale = f" × {indicator.ratio.scale:g}" if indicator.ratio.scale != 1 else ""
        return (
            f"{indicator.ratio.numerator} / {indicator.ratio.denominator}{scale} [{indicator.unit}]"
        )
    if indicator.formula is not None:
        return indicator.formula
    return get_method(indicator.method).formula
