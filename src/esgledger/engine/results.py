"""The outcome of a calculation: values at entity and target level, with their lineage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from esgledger.engine.consolidate import Targets
from esgledger.engine.context import State
from esgledger.engine.cube import Cube
from esgledger.engine.lineage import Diagnostic
from esgledger.engine.methodset import MethodSet


@dataclass(frozen=True)
class Results:
    """Everything computed under one method set from one snapshot."""

    method_set: MethodSet
    entities: State
    targets: State
    target_info: Targets
    cube: Cube

    @property
    def catalog(self) -> Any:
        return self.entities.catalog

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.entities.diagnostics + self.targets.diagnostics

    def state_of(self, code: str) -> State:
        """The entity-level or target-level state that holds ``code``."""
        return self.targets if code in self.targets.grid.entities else self.entities

    def value(self, indicator: str, code: str, period: str) -> float:
        """One computed (or input) value; NaN when it is not reported or not computable."""
        state = self.state_of(code)
        array = state.values.get(indicator)
        if array is None:
            return float("nan")
        return float(array[state.grid.entity_index(code), state.grid.period_index(period)])

    def estimated_share(self, indicator: str, code: str, period: str) -> float:
        """The share (0-1) of a value that rests on estimated observations."""
        state = self.state_of(code)
        array = state.estimated.get(indicator)
        if array is None:
            return 0.0
        return float(array[state.grid.entity_index(code), state.grid.period_index(period)])

    def frame(self, indicators: list[str] | None = None, level: str = "all") -> pl.DataFrame:
        """A long table: level, code, period, indicator, value, unit, estimated_share."""
        parts = []
        for name, state in (("entity", self.entities), ("target", self.targets)):
            if level in ("all", name):
                parts.append(_long(state, name, indicators or list(state.values)))
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
