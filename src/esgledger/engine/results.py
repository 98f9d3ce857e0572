"""The outcome of a calculation: values at entity and boundary level, with their lineage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from esgledger.catalog.registry import Catalog
from esgledger.engine.arrays.cube import Cube
from esgledger.engine.arrays.state import State
from esgledger.engine.consolidate import Boundaries
from esgledger.engine.methodset import MethodSet
from esgledger.engine.notices import Notices
from esgledger.engine.result_value import ResultValue

if TYPE_CHECKING:  # the layout is built by years.py, which imports compute: a type only
    from esgledger.engine.years import YearLayout

_MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class Results:
    """Everything computed under one method set from one snapshot.

    A yearly calculation with monthly data keeps the months it computed as ``months``
    (results of their own, on a grid of the months plus a column per year for values
    reported for the whole year only); ``value`` and ``for_period`` answer for both.
    """

    method_set: MethodSet
    entities: State
    boundaries: State  # the consolidated figures: one row per boundary (group, tag:..., ...)
    membership: Boundaries  # which entities each boundary holds, with their weights
    cube: Cube
    months: Results | None = None
    year_layout: YearLayout | None = None

    @property
    def month_periods(self) -> tuple[str, ...]:
        """The months computed (empty when nothing was reported monthly)."""
        if self.months is None:
            return ()
        return tuple(p for p in self.months.entities.grid.periods if _MONTH.match(p))

    def for_period(self, period: str) -> Results:
        """The results whose grid holds ``period``: these, or the months'."""
        if period in self.entities.grid.periods or self.months is None:
            return self
        return self.months if period in self.month_periods else self

    @property
    def catalog(self) -> Catalog:
        return self.entities.catalog

    @property
    def diagnostics(self) -> Notices:
        return self.entities.diagnostics + self.boundaries.diagnostics

    def state_of(self, code: str) -> State:
        """The entity-level or boundary-level state that holds ``code``."""
        return self.boundaries if code in self.boundaries.grid.entities else self.entities

    def result(self, indicator: str, code: str, period: str) -> ResultValue:
        """One computed (or input) figure with its unit, period and estimated share.

        ``period`` is a year or, where months were computed, a month."""
        return ResultValue(
            indicator,
            code,
            period,
            self.value(indicator, code, period),
            self.catalog.get(indicator).unit,
            self.estimated_share(indicator, code, period),
        )

    def value(self, indicator: str, code: str, period: str) -> float:
        """One computed (or input) value in the indicator's catalog unit; NaN when it is not
        reported or not computable.

        A bare float for the loops that read many cells of one indicator and know its unit
        (tables, charts, target series); :meth:`result` for a figure passed on with its
        unit. ``period`` is a year or, where months were computed, a month."""
        if period not in self.entities.grid.periods and self.months is not None:
            return self.for_period(period).value(indicator, code, period)
        state = self.state_of(code)
        array = state.values.get(indicator)
        if array is None:
            return float("nan")
        return float(array[state.grid.entity_index(code), state.grid.period_index(period)])

    def estimated_share(self, indicator: str, code: str, period: str) -> float:
        """The share (0-1) of a value that rests on estimated observations."""
        if period not in self.entities.grid.periods and self.months is not None:
            return self.for_period(period).estimated_share(indicator, code, period)
        state = self.state_of(code)
        array = state.estimated.get(indicator)
        if array is None:
            return 0.0
        return float(array[state.grid.entity_index(code), state.grid.period_index(period)])

    def frame(
        self, indicators: list[str] | None = None, level: str = "all", months: bool = False
    ) -> pl.DataFrame:
        """A long table: level, code, period, indicator, value, unit, estimated_share.

        With ``months`` the computed months follow the years (never the columns of values
        reported for a whole year only, which are part of their year)."""
        parts = []
        for name, state in (("entity", self.entities), ("boundary", self.boundaries)):
            if level in ("all", name):
                parts.append(_long(state, name, indicators or list(state.values)))
        if months and self.months is not None:
            shown = self.months.frame(indicators, level).filter(
                pl.col("period").is_in(list(self.month_periods))
            )
            parts.append(shown)
        parts = [p for p in parts if p.width]
        if not parts:
            return pl.DataFrame()
        return pl.concat(parts).filter(pl.col("value").is_not_nan())


def _long(state: State, level: str, indicators: list[str]) -> pl.DataFrame:
    rows, cols = state.grid.shape
    codes = np.repeat(np.array(state.grid.entities, dtype=object), cols)
    periods = np.tile(np.array(state.grid.periods, dtype=object), rows)
    frames = []
    for indicator in indicators:
        if indicator not in state.values:
            continue
        frames.append(
            pl.DataFrame(
                {
                    "level": [level] * (rows * cols),
                    "code": codes.tolist(),
                    "period": periods.tolist(),
                    "indicator": [indicator] * (rows * cols),
                    "value": state.values[indicator].reshape(-1),
                    "unit": [state.catalog.get(indicator).unit] * (rows * cols),
                    "estimated_share": state.estimated.get(
                        indicator, np.zeros(state.grid.shape)
                    ).reshape(-1),
                }
            )
        )
    return pl.concat(frames) if frames else pl.DataFrame()
