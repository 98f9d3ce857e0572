"""Consolidation: figures of each boundary (the group, a tag, a segment, a subtree) from
entity figures.

A boundary is a set of entities consolidated together. (Reduction targets, the promises
of the ``esgledger.targets`` package, are another thing: a target names the boundary it
is set for.)

Additive indicators are weighted sums of entity values, the weights set by the approach
(operational control: 1 for entities the group operates, else 0; financial control: 1 for
entities it controls financially; equity share: the group's effective ownership). Every
other derived indicator is recomputed from the consolidated values, so an intensity is
always a ratio of consolidated sums, never an average of entity ratios.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from esgledger.engine.arrays.grid import Grid
from esgledger.engine.arrays.shares import estimated_share, fraction_estimated
from esgledger.engine.arrays.state import State
from esgledger.engine.arrays.workers import mapper
from esgledger.engine.compute import dependencies, evaluate, evaluation_order
from esgledger.engine.lineage import Node
from esgledger.engine.methodset import Consolidation
from esgledger.org import OrgTree

_REDUCERS = {"max": np.nanmax, "min": np.nanmin, "mean": np.nanmean}
GROUP = "group"  # the boundary code of the whole group; entity codes are upper case


@dataclass(frozen=True)
class Boundaries:
    """Boundaries (rows) × entities (columns): membership and weights."""

    codes: tuple[str, ...]
    labels: tuple[str, ...]
    members: np.ndarray  # bool, boundaries × entities
    weights: np.ndarray  # float, boundaries × entities (0 for non-members)

    @cached_property
    def members_float(self) -> np.ndarray:
        """``members`` as 0/1 floats, for counting members by matrix product."""
        return self.members.astype(float)

    @cached_property
    def _weights_by_entity(self) -> np.ndarray:
        return np.ascontiguousarray(self.weights.T)

    def weighted(self, array: np.ndarray) -> np.ndarray:
        """``weights @ array`` (boundaries × periods) for an entities × periods array.

        Computed as ``(array.T @ weights.T).T``: with few boundaries and many entities
        OpenBLAS takes about a third less time on that layout.
        """
        return np.ascontiguousarray((array.T @ self._weights_by_entity).T)


def build_boundaries(
    org: OrgTree, entities: tuple[str, ...], approach: Consolidation
) -> Boundaries:
    """The group, every tag, every segment and every entity with children, as boundaries."""
    root = org.root
    children = _children(org)
    scopes: dict[str, tuple[str, set[str]]] = {GROUP: (f"{root.name_en} (group)", set(entities))}
    for tag in sorted({t for e in org for t in e.tags}):
        tagged = [e.code for e in org.tagged(tag)]
        scopes[f"tag:{tag}"] = (f"entities tagged {tag}", _with_descendants(children, tagged))
    by_segment: dict[str, set[str]] = {}
    for entity in org:
        if entity.segment:
            by_segment.setdefault(entity.segment.value, set()).add(entity.code)
    for segment, members in sorted(by_segment.items()):
        scopes[f"segment:{segment}"] = (f"segment {segment}", members)
    for entity in org:
        if entity.parent is not None and children.get(entity.code):
            scopes[f"subtree:{entity.code}"] = (
                f"{entity.name_en} and below",
                _with_descendants(children, [entity.code]),
            )
    members = np.array([[code in scope for code in entities] for _, scope in scopes.values()])
    base = np.array([_weight(org, code, approach) for code in entities])
    held = np.array([_held_by(org, _subtree_root(code), approach) for code in scopes])
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = np.where(held[:, None] > 0, base[None, :] / held[:, None], 0.0)
    return Boundaries(
        tuple(scopes), tuple(label for label, _ in scopes.values()), members, members * weights
    )


def _subtree_root(boundary: str) -> str | None:
    return boundary.split(":", 1)[1] if boundary.startswith("subtree:") else None


def _children(org: OrgTree) -> dict[str, list[str]]:
    """Child codes by parent code, read once (``OrgTree.children`` scans every entity)."""
    found: dict[str, list[str]] = {}
    for entity in org:
        if entity.parent is not None:
            found.setdefault(entity.parent, []).append(entity.code)
    return found


def _with_descendants(children: dict[str, list[str]], roots: list[str]) -> set[str]:
    """``roots`` and every entity below them."""
    found, pending = set(), list(roots)
    while pending:
        code = pending.pop()
        if code not in found:
            found.add(code)
            pending.extend(children.get(code, ()))
    return found


def _held_by(org: OrgTree, subtree_root: str | None, approach: Consolidation) -> float:
    """What a boundary's weights are divided by: equity shares of a subtree are those its root
    holds, not the group; every other weight stands as it is."""
    if approach is Consolidation.EQUITY_SHARE and subtree_root:
        return org.equity_share(subtree_root)
    return 1.0


def _weight(org: OrgTree, code: str, approach: Consolidation) -> float:
    """An entity's weight in the group's figures."""
    entity = org.get(code)
    if approach is Consolidation.EQUITY_SHARE:
        return org.equity_share(code)
    if approach is Consolidation.FINANCIAL_CONTROL:
        return 1.0 if entity.financial_control else 0.0
    return 1.0 if entity.operational_control else 0.0


def consolidate(entity_state: State, boundaries: Boundaries) -> State:
    """The boundary-level state: additive indicators summed, everything else recomputed."""
    grid = Grid(boundaries.codes, entity_state.grid.periods, entity_state.grid.granularity)
    state = State(
        grid,
        entity_state.catalog,
        entity_state.library,
        entity_state.method_set,
        np.full(len(boundaries.codes), None, dtype=object),
        resolved=entity_state.resolved,
    )
    order = evaluation_order(entity_state.catalog)
    inputs = [
        i for i in entity_state.catalog if i.id not in set(order) and i.id in entity_state.values
    ]
    summed = [i for i in map(entity_state.catalog.get, order) if i.aggregation == "sum"]
    cells = entity_state.grid.shape[0] * entity_state.grid.shape[1]
    with mapper(cells) as run_all:
        aggregated = dict(
            zip(
                [i.id for i in (*inputs, *summed)],
                run_all(
                    lambda i: _aggregate(entity_state, state, boundaries, i), [*inputs, *summed]
                ),
                strict=True,
            )
        )
    for indicator in inputs:
        _store(state, indicator.id, aggregated[indicator.id])
    for indicator_id in order:
        indicator = entity_state.catalog.get(indicator_id)
        if indicator_id in aggregated:
            _store(state, indicator_id, aggregated[indicator_id])
            continue
        node = Node(
            indicator_id,
            indicator.recipe,
            entity_state.nodes[indicator_id].formula,
            tuple(dependencies(state.catalog, indicator)),
        )
        values = evaluate(state, indicator, node)
        share = estimated_share(state, indicator, node, values)
        _store(state, indicator_id, (values, share, node))
    return state


def _store(state: State, indicator_id: str, outcome: tuple[np.ndarray, np.ndarray, Node]) -> None:
    state.values[indicator_id], state.estimated[indicator_id], state.nodes[indicator_id] = outcome


def _aggregate(
    source: State, consolidated: State, boundaries: Boundaries, indicator
) -> tuple[np.ndarray, np.ndarray, Node]:
    """An additive indicator's value and estimated share for every boundary, and how."""
    node = Node(indicator.id, "consolidated", f"{indicator.aggregation} over member entities", ())
    if source.empty(indicator.id):  # reported by no member: empty for every boundary
        return consolidated.constant("nan"), consolidated.constant("zero"), node
    if indicator.aggregation in _REDUCERS:
        reducer = _REDUCERS[indicator.aggregation]
        values = _reduce(source.values[indicator.id], boundaries.members, reducer)
        return values, np.zeros(values.shape), node
    return (*_weighted_sum(source, boundaries, indicator.id), node)


def _weighted_sum(
    source: State, boundaries: Boundaries, indicator: str
) -> tuple[np.ndarray, np.ndarray]:
    """Σ weight × value over members, and the estimated share of that sum.

    A boundary's value stays empty (NaN) for a period in which none of its members reported.
    """
    amounts = source.amount(indicator)
    total = boundaries.weighted(amounts)
    share = source.share(indicator)
    estimated = np.zeros(total.shape)
    if share is not None:
        size = amounts if source.never_negative(indicator) else np.abs(amounts)
        magnitude = total if size is amounts else boundaries.weighted(size)
        estimated = fraction_estimated(boundaries.weighted(size * share), magnitude)
    total[~_counted(source.reported(indicator), boundaries)] = np.nan
    return total, estimated


def _counted(reported: np.ndarray, boundaries: Boundaries) -> np.ndarray:
    """Boundaries × periods in which at least one member reported."""
    by_entity = reported.any(axis=1)
    if np.array_equal(by_entity, reported.all(axis=1)):  # each entity reported always or never
        counted = boundaries.members_float @ by_entity.astype(float) > 0
        return np.broadcast_to(counted[:, None], (len(boundaries.codes), reported.shape[1]))
    return boundaries.members_float @ reported.astype(float) > 0


def _reduce(values: np.ndarray, members: np.ndarray, reducer) -> np.ndarray:
    result = np.full((members.shape[0], values.shape[1]), np.nan)
    for row, mask in enumerate(members):
        chosen = values[mask]
        if chosen.size and not np.all(np.isnan(chosen)):
            with warnings.catch_warnings():
                # a period where no member reported gives an all-NaN column: NaN is the answer
                warnings.simplefilter("ignore", RuntimeWarning)
                result[row] = reducer(chosen, axis=0)
    return result
