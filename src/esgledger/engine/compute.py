"""The engine loop: every derived indicator, for every entity and period, in one pass.

    for indicator in dependency order:
        evaluate its recipe over whole (entity × period) arrays
        record how (a Node: inputs, terms, factors) and the estimated share

Nothing is evaluated cell by cell. The nodes are what ``explain`` reads back.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from operator import attrgetter
from typing import Any

import numpy as np

from esgledger.catalog.graph import find_cycle, topological_order
from esgledger.catalog.registry import Catalog
from esgledger.engine.arrays.shares import estimated_share
from esgledger.engine.arrays.state import State
from esgledger.engine.arrays.workers import mapper
from esgledger.engine.context import MethodContext
from esgledger.engine.errors import CalculationError
from esgledger.engine.lineage import Node
from esgledger.engine.notices import Part
from esgledger.engine.recipes import evaluate_adds, evaluate_formula, evaluate_ratio
from esgledger.engine.registry import get_method


def dependencies(catalog: Catalog, indicator: Any) -> tuple[str, ...]:
    """What an indicator is computed from: its recipe's ids, or the ids its method reads."""
    if indicator.method is not None:
        return get_method(indicator.method).reads
    return tuple(indicator.dependencies)


def evaluation_order(catalog: Catalog) -> list[str]:
    """Derived indicators after everything they depend on, level by level.

    Raises:
        CalculationError: the recipes form a cycle; the message walks it.
    """
    return [i for level in evaluation_levels(catalog) for i in level]


def evaluation_levels(catalog: Catalog) -> list[list[str]]:
    """Derived indicators by depth: each level depends only on inputs and earlier levels."""
    return [list(level) for level in _levels(catalog)]


@lru_cache(maxsize=8)  # a catalog does not change once loaded; every calculation asks
def _levels(catalog: Catalog) -> tuple[tuple[str, ...], ...]:
    graph = {
        i.id: tuple(d for d in dependencies(catalog, i) if d in catalog)
        for i in catalog
        if i.kind == "derived"
    }
    cycle = find_cycle(graph)
    if cycle:
        raise CalculationError.coded("calc.recipe_cycle", cycle=" → ".join(cycle))
    depth: dict[str, int] = {}
    for indicator in (i for i in topological_order(graph) if i in graph):
        depth[indicator] = 1 + max((depth.get(d, -1) for d in graph[indicator]), default=-1)
    levels: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for indicator, level in depth.items():
        levels[level].append(indicator)
    return tuple(tuple(level) for level in levels)


def compute(state: State) -> State:
    """Evaluate every derived indicator into ``state`` (inputs must already be there).

    The indicators of one level are independent of each other, so they are evaluated side
    by side; their results, nodes and notices are stored in the level's own order.
    """
    with mapper(state.grid.shape[0] * state.grid.shape[1]) as run_all:
        for level in evaluation_levels(state.catalog):
            for indicator_id in level:  # here, not in the threads: keeps the order of ``values``
                spec = state.catalog.get(indicator_id)
                _fill_unreported(state, dependencies(state.catalog, spec))
            before = len(state.diagnostics.parts)
            outcomes = run_all(lambda indicator_id: _evaluate_one(state, indicator_id), level)
            for indicator_id, (values, share, node) in zip(level, outcomes, strict=True):
                state.values[indicator_id] = values
                state.estimated[indicator_id] = share
                state.nodes[indicator_id] = node
            parts = state.diagnostics.parts
            parts[before:] = _in_level_order(parts[before:], level)
    return state


def _in_level_order(diagnostics: list[Part], level: list[str]) -> list[Part]:
    """The level's notices grouped in the level's order, each indicator's in its own order
    (a stable sort); notices of other indicators last.

    A level can leave hundreds of thousands of per-cell notices, so the sort keys are
    looked up by ``map`` and the sort runs on them rather than through a Python ``key``
    function per notice (0.1 s at 1,000 entities x 120 months).
    """
    rank = defaultdict(lambda: len(level), {indicator: n for n, indicator in enumerate(level)})
    keys = list(map(rank.__getitem__, map(attrgetter("indicator"), diagnostics)))
    return [diagnostics[n] for n in sorted(range(len(keys)), key=keys.__getitem__)]


def _evaluate_one(state: State, indicator_id: str) -> tuple[np.ndarray, np.ndarray, Node]:
    indicator = state.catalog.get(indicator_id)
    node = Node(
        indicator_id,
        indicator.recipe,
        _formula_text(indicator),
        tuple(dependencies(state.catalog, indicator)),
    )
    values = evaluate(state, indicator, node)
    return values, estimated_share(state, indicator, node, values), node


def _fill_unreported(state: State, indicators: tuple[str, ...]) -> None:
    """Empty, unestimated arrays (shared) for the indicators nobody reported."""
    for indicator in indicators:
        if indicator not in state.values:
            state.values[indicator] = state.constant("nan")
            state.estimated[indicator] = state.constant("zero")


def evaluate(state: State, indicator: Any, node: Node) -> np.ndarray:
    """The indicator over the grid; NaN wherever none of its inputs has a value.

    An indicator none of whose inputs has a single value is empty everywhere: it is not
    computed (no factor is needed for activity that did not occur) and shares the empty array.
    """
    _fill_unreported(state, node.inputs)
    if node.inputs and all(state.empty(i) for i in node.inputs):
        return state.constant("nan")
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
        return state.constant("nan")
    total = node.terms[0].values.copy()  # a term may be a shared read-only array
    for term in node.terms[1:]:
        total += term.values
    return state.leave_unreported(total, {i for term in node.terms for i in term.inputs})


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
