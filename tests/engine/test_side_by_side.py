"""Indicators of one dependency level are evaluated side by side on large grids.

The results must not depend on it: the demo group's months, computed once in the calling
thread and once with worker threads, give the same arrays, estimated shares, lineage and
notices, in the same order.
"""

from __future__ import annotations

import numpy as np
import pytest

from esgledger.catalog import load_catalog
from esgledger.demo.frame import observations_frame
from esgledger.demo.generate import DATA_DIR, factor_file, rows
from esgledger.engine.arrays import workers
from esgledger.engine.compute import dependencies, evaluation_levels, evaluation_order
from esgledger.engine.methodset import get_method_sets
from esgledger.engine.run import calculate
from esgledger.factors import load_factor_sets
from esgledger.org import OrgTree, read_entities
from esgledger.periods import Granularity

MONTHS = [f"{year}-{month:02d}" for year in (2023, 2024) for month in range(1, 13)]


def demo_months(threads: bool, monkeypatch: pytest.MonkeyPatch):
    """The demo's monthly rows on a monthly grid, every 7th row estimated."""
    monkeypatch.setattr(workers, "_WORTH_IT", 0 if threads else 10**12)
    monkeypatch.setattr(workers, "WORKERS", 4)
    monkeypatch.setattr(workers, "a_core_to_spare", lambda: threads)
    demo = [r for r in rows() if r["period"] in MONTHS]
    frame = observations_frame(demo, lambda n, _: "estimated" if n % 7 == 0 else "measured")
    (method_set,) = get_method_sets("cn-default")
    return calculate(
        frame,
        OrgTree(read_entities(DATA_DIR / "org.yaml")),
        load_catalog(),
        load_factor_sets([factor_file()]),
        method_set,
        MONTHS,
        Granularity.MONTH,
    )


def lineage(node) -> tuple:
    factors = {key: (use.values.tolist(), use.which.tolist()) for key, use in node.factors.items()}
    return (node.recipe, node.formula, node.inputs, [t.label for t in node.terms], factors)


def test_threads_change_nothing_in_the_results(monkeypatch):
    alone, side_by_side = demo_months(False, monkeypatch), demo_months(True, monkeypatch)
    for level in ("entities", "boundaries"):
        one, other = getattr(alone, level), getattr(side_by_side, level)
        assert list(one.values) == list(other.values)
        for indicator, values in one.values.items():
            np.testing.assert_array_equal(values, other.values[indicator], err_msg=indicator)
            np.testing.assert_array_equal(
                one.estimated[indicator], other.estimated[indicator], err_msg=indicator
            )
        assert list(one.nodes) == list(other.nodes)
        for indicator, node in one.nodes.items():
            assert lineage(node) == lineage(other.nodes[indicator]), indicator
    assert [str(d) for d in alone.diagnostics] == [str(d) for d in side_by_side.diagnostics]
    assert any(alone.entities.estimated["energy.total"].ravel() > 0)


def test_each_level_depends_only_on_earlier_levels():
    catalog = load_catalog()
    levels = evaluation_levels(catalog)
    done = {i.id for i in catalog if i.kind != "derived"}
    for level in levels:
        for indicator in level:
            spec = catalog.get(indicator)
            assert set(dependencies(catalog, spec)) & set(evaluation_order(catalog)) <= done
        done |= set(level)
    assert sum(map(len, levels)) == len(evaluation_order(catalog))
