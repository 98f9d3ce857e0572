"""The dependency graph of derived indicators: cycles and computation order.

The engine evaluates indicators in dependency order over whole (entity x period) arrays,
so the catalog must be a DAG. Both the loader (to refuse a cycle with a message naming
it) and :class:`~esgledger.catalog.registry.Catalog` (to give the order) use these
functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Graph = Mapping[str, Sequence[str]]


def find_cycle(graph: Graph) -> list[str] | None:
    """One dependency cycle as ``[a, b, ..., a]``, or None when the graph has none.

    >>> find_cycle({"a": ["b"], "b": ["a"]})
    ['a', 'b', 'a']
    >>> find_cycle({"a": ["b"], "b": []}) is None
    True
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in graph:
        if start not in state and (cycle := _visit(graph, start, state, [])):
            return cycle
    return None


def _visit(graph: Graph, node: str, state: dict[str, int], path: list[str]) -> list[str] | None:
    state[node] = 1
    path.append(node)
    for child in graph.get(node, ()):
        if state.get(child) == 1:
            return [*path[path.index(child) :], child]
        if child not in state and (cycle := _visit(graph, child, state, path)):
            return cycle
    state[node] = 2
    path.pop()
    return None


def topological_order(graph: Graph) -> list[str]:
    """Every node after the nodes it depends on; ties keep the graph's own order.

    >>> topological_order({"total": ["a", "b"], "a": [], "b": []})
    ['a', 'b', 'total']
    """
    order: list[str] = []
    done: set[str] = set()

    def place(node: str) -> None:
        if node in done:
            return
        done.add(node)  # a cycle would recurse forever; the loader refuses cycles first
        for child in graph.get(node, ()):
            place(child)
        order.append(node)

    for node in graph:
        place(node)
    return order
