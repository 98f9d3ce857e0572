"""A year's figures from its months, for a calculation computed on a grid of months.

The grid of months holds, per year, its twelve months and (when anybody reported a value
for the whole year only) the year itself. The yearly figure of

* a flow (an input, or a derived indicator that consolidates by summing) is the sum of its
  months and of its year column: each month's activity was computed with the factor that
  held in that month, and a value reported for the whole year with the year's;
* a stock input is its latest month with a value, or the year column when no month has one;
* anything else (ratios, changes against the prior year, stocks derived from stocks) is
  computed again from those yearly figures, so that an intensity is the ratio of the
  year's sums, never the mean of monthly ratios.

This is the consolidation's rule (``consolidate.py``) applied along the period axis.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from esgledger.engine.arrays.grid import Grid
from esgledger.engine.arrays.shares import estimated_share, fraction_estimated
from esgledger.engine.arrays.state import State
from esgledger.engine.arrays.workers import mapper
from esgledger.engine.compute import dependencies, evaluate, evaluation_order
from esgledger.engine.lineage import Node, Term
from esgledger.periods import Granularity

SUMMED = "months"  # the recipe of a yearly figure that is the sum of its months


@dataclass(frozen=True)
class YearLayout:
    """Where each year's columns are on the grid of months: its twelve months come first,
    year by year, then the columns of values reported for a whole year."""

    years: tuple[str, ...]
    own: np.ndarray  # per year: the column holding what was reported for the whole year, or -1

    @classmethod
    def of(cls, grid: Grid, years: tuple[str, ...]) -> YearLayout:
        position = {label: col for col, label in enumerate(grid.periods)}
        own = np.array([position.get(year, -1) for year in years], dtype=np.int64)
        return cls(years, own)

    def month_columns(self, year: str) -> range:
        k = self.years.index(year)
        return range(12 * k, 12 * (k + 1))

    def sum(self, array: np.ndarray) -> np.ndarray:
        """Per row, each year's months plus its whole-year column (entities × years).

        ``einsum`` over the (rows, years, 12) view reads the array once and needs no BLAS
        threads (a matrix product with a 0/1 matrix was several times slower)."""
        rows, count = array.shape[0], len(self.years)
        total = np.einsum("rym->ry", array[:, : 12 * count].reshape(rows, count, 12))
        has_own = self.own >= 0
        if has_own.any():
            total[:, has_own] += array[:, self.own[has_own]]
        return total

    def sum_of_products(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """:meth:`sum` of ``first × second``, without the product as an array."""
        rows, count = first.shape[0], len(self.years)
        shape = (rows, count, 12)
        total = np.einsum(
            "rym,rym->ry",
            first[:, : 12 * count].reshape(shape),
            second[:, : 12 * count].reshape(shape),
        )
        has_own = self.own >= 0
        if has_own.any():
            total[:, has_own] += first[:, self.own[has_own]] * second[:, self.own[has_own]]
        return total

    def any(self, mask: np.ndarray) -> np.ndarray:
        """Per row, whether any column of each year is True (entities × years)."""
        by_row = mask.any(axis=1)
        if np.array_equal(by_row, mask.all(axis=1)):  # each row always or never: no search
            return np.repeat(by_row[:, None], len(self.years), axis=1)
        rows, count = mask.shape[0], len(self.years)
        found = mask[:, : 12 * count].reshape(rows, count, 12).any(axis=2)
        has_own = self.own >= 0
        found[:, has_own] |= mask[:, self.own[has_own]]
        return found


class SummedTerm:
    """A term of a year: the months' term summed over the year, when first read (the
    dashboard's fuel mix and the pathways read a few; most are never read)."""

    def __init__(self, monthly: Term, layout: YearLayout) -> None:
        self.label, self.inputs, self.factors = monthly.label, monthly.inputs, monthly.factors
        self._monthly, self._layout = monthly, layout

    @cached_property
    def values(self) -> np.ndarray:
        return self._layout.sum(self._monthly.values)


def is_summed(indicator: Any) -> bool:
    """Whether the indicator's year is the sum of its months (flows that add up)."""
    if indicator.kind == "input":
        return indicator.quantity_type == "flow"
    return indicator.quantity_type == "flow" and indicator.aggregation == "sum"


def roll_up_years(months: State, years: tuple[str, ...]) -> tuple[State, YearLayout]:
    """The yearly state of a calculation done on ``months`` (see the module's docstring).

    The flows and stocks are independent of each other and are rolled up side by side
    (threads, as the consolidation); the rest is then recomputed in dependency order.
    """
    layout = YearLayout.of(months.grid, years)
    state = State(
        Grid(months.grid.entities, years, Granularity.YEAR),
        months.catalog,
        months.library,
        months.method_set,
        months.regions,
        resolved=months.resolved,
    )
    catalog = months.catalog
    order = evaluation_order(catalog)
    derived = set(order)
    inputs = [i for i in catalog if i.id not in derived and i.id in months.values]
    summed = [catalog.get(i) for i in order if is_summed(catalog.get(i))]
    cells = months.grid.shape[0] * months.grid.shape[1]
    with mapper(cells) as run_all:
        rolled = run_all(lambda i: _rolled(months, state, i, layout), [*inputs, *summed])
    for indicator, (values, share) in zip([*inputs, *summed], rolled, strict=True):
        state.values[indicator.id], state.estimated[indicator.id] = values, share
    for indicator_id in order:
        indicator = catalog.get(indicator_id)
        if is_summed(indicator):
            state.nodes[indicator_id] = _summed_node(months.nodes[indicator_id], layout)
            continue
        node = Node(
            indicator_id,
            indicator.recipe,
            months.nodes[indicator_id].formula,
            tuple(dependencies(catalog, indicator)),
        )
        values = evaluate(state, indicator, node)
        share = estimated_share(state, indicator, node, values)
        state.values[indicator_id], state.estimated[indicator_id] = values, share
        state.nodes[indicator_id] = node
    return state, layout


def _rolled(
    months: State, years: State, indicator: Any, layout: YearLayout
) -> tuple[np.ndarray, np.ndarray]:
    """An indicator's years and estimated shares: empty where it is empty in every month,
    summed for a flow, the latest month for a stock."""
    if months.empty(indicator.id):
        return years.constant("nan"), years.constant("zero")
    if is_summed(indicator):
        return _summed(months, indicator.id, layout)
    return _latest(months, indicator.id, layout)


def _summed_node(monthly: Node, layout: YearLayout) -> Node:
    """The node of a year that is the sum of its months: the months' inputs and formula,
    and each term summed over the year (which carrier, which gas, for every year). The
    factors stay with the months: a year may have used several."""
    terms: list = [SummedTerm(term, layout) for term in monthly.terms]
    return Node(monthly.indicator, SUMMED, monthly.formula, monthly.inputs, terms)


def _summed(months: State, indicator: str, layout: YearLayout) -> tuple[np.ndarray, np.ndarray]:
    """The year's sum of a flow, and the estimated share of that sum; NaN for a year in
    which nothing was reported."""
    amounts = months.amount(indicator)
    total = layout.sum(amounts)
    share = months.share(indicator)
    if share is None:
        estimated = np.zeros(total.shape)
    else:
        size = amounts if months.never_negative(indicator) else np.abs(amounts)
        magnitude = total if size is amounts else layout.sum(size)
        estimated = fraction_estimated(layout.sum_of_products(size, share), magnitude)
    if not months.fully_reported(indicator):
        total[~layout.any(months.reported(indicator))] = np.nan
    return total, estimated


def _latest(months: State, indicator: str, layout: YearLayout) -> tuple[np.ndarray, np.ndarray]:
    """A stock's latest month with a value in each year, else its whole-year value."""
    values = months.values[indicator]
    share = months.estimated.get(indicator, months.constant("zero"))
    rows, count = values.shape[0], len(layout.years)
    found = np.full((rows, count), np.nan)
    found_share = np.zeros((rows, count))
    has_own = layout.own >= 0
    found[:, has_own] = values[:, layout.own[has_own]]
    found_share[:, has_own] = share[:, layout.own[has_own]]
    block = values[:, : 12 * count].reshape(rows, count, 12)
    reported = ~np.isnan(block)
    last = 11 - np.argmax(reported[:, :, ::-1], axis=2)
    any_month = reported.any(axis=2)
    chosen = np.take_along_axis(block, last[:, :, None], axis=2)[:, :, 0]
    shares = share[:, : 12 * count].reshape(rows, count, 12)
    chosen_share = np.take_along_axis(shares, last[:, :, None], axis=2)[:, :, 0]
    found[any_month] = chosen[any_month]
    found_share[any_month] = chosen_share[any_month]
    return found, found_share
