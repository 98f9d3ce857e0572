"""Scope 3 by category: activity (or spend) × a factor the user supplies.

A line may also be ``direct`` (the activity is an emission already: supplier-specific
figures) or name an input it is ``less`` (the spend those figures cover), which is how
category 1 follows the hybrid method without counting a purchase twice.

Categories and their lines are declared in ``engine/data/scope3.yaml``; one method per
category is registered from it. A category with no line computed stays empty ("not
reported"), never zero.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import numpy as np
import yaml

from esgledger.engine.context import MethodContext
from esgledger.engine.errors import CalculationError
from esgledger.engine.lineage import Diagnostic
from esgledger.engine.registry import Method, method


@cache
def scope3_categories() -> dict[int, dict]:
    text = (files("esgledger.engine") / "data" / "scope3.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["categories"]


def _line(ctx: MethodContext, line: dict, category: int) -> None:
    activity = ctx.amount(line["activity"], line["unit"])
    if line.get("direct"):  # already an emission (supplier-specific data)
        if activity.any():
            ctx.term(line["activity"], activity, (line["activity"],))
        return
    if line.get("less"):
        activity = _less(ctx, line, category, activity)
    if not activity.any():
        return
    factor = _user_factor(ctx, line, category, activity != 0)
    if factor is not None:
        ctx.term(
            f"{line['activity']} × {line['factor']}",
            activity * factor,
            (line["activity"],),
            (line["factor"],),
        )


def _less(ctx: MethodContext, line: dict, category: int, activity: np.ndarray) -> np.ndarray:
    """The activity less the part another line counts already (no double counting).

    Raises:
        CalculationError: where the part exceeds the activity (the covered spend is more
            than the spend reported), naming the cells.
    """
    covered = ctx.amount(line["less"], line["unit"])
    over = covered > activity * (1 + 1e-9) + 1e-9
    if over.any():
        raise CalculationError.coded(
            "calc.covered_over_spend",
            category=category,
            less=line["less"],
            activity=line["activity"],
            cells=_cells(ctx, over),
        )
    return activity - covered


def _user_factor(
    ctx: MethodContext, line: dict, category: int, reported: np.ndarray
) -> np.ndarray | None:
    """The line's factor where the activity is reported (0 elsewhere). Where a factor is
    missing for a reported activity: an error naming the cells for a required line, else
    the line is left out there with a notice."""
    given = ctx.has_factor(line["factor"])
    factor = ctx.factor(line["factor"], line["factor_unit"], optional=True) if given else None
    missing = reported if factor is None else reported & np.isnan(factor)
    if factor is not None and not missing.any():
        return np.where(reported, factor, 0.0)
    if line.get("required"):
        raise CalculationError(_missing_factor(ctx, line, category, missing, factor is not None))
    indicator, named = f"ghg.scope3_cat{category}", {"activity": line["activity"]}
    named["factor"] = line["factor"]
    if factor is None:  # one note for the line: it is counted nowhere
        ctx.note([Diagnostic.coded(indicator, "*", "*", "engine_notice.uncounted", **named)])
        return None
    grid = ctx.grid
    ctx.note(  # given for some entities or years: a note where it is not
        Diagnostic.coded(
            indicator,
            grid.entities[row],
            grid.periods[col],
            "engine_notice.uncounted_here",
            **named,
        )
        for row, col in np.argwhere(missing)
    )
    return np.where(reported & ~missing, factor, 0.0)  # counted where given


def _missing_factor(
    ctx: MethodContext, line: dict, category: int, missing: np.ndarray, partly_given: bool
) -> str:
    given = "covers them" if partly_given else "is given for any entity"
    return (
        f"ghg.scope3_cat{category}: {line['activity']} is reported for {_cells(ctx, missing)}, "
        f"but no factor '{line['factor']}' ({line['factor_unit']}) {given}; add it in a "
        "factor file (esgledger calc --factors FILE.yaml or .csv), for those entities and years"
    )


def _category_method(category: int, spec: dict) -> Method:
    reads = tuple(
        name for line in spec["lines"] for name in (line["activity"], line.get("less")) if name
    )

    def category_method(ctx: MethodContext) -> None:
        for line in spec["lines"]:
            _line(ctx, line, category)

    return method(
        f"ghg.scope3_cat{category}",
        reads=reads,
        formula=f"Σ {spec['name'].lower()} activity × user-supplied factor",
    )(category_method)


# One method per category of engine/data/scope3.yaml, registered by engine/shipped.py.
CATEGORY_METHODS = tuple(_category_method(c, spec) for c, spec in scope3_categories().items())


def _cells(ctx: MethodContext, where: np.ndarray) -> str:
    """``SMELT 2024, NRE 2024 and 3 more``: the entities and periods of a mask."""
    grid = ctx.grid
    cells = [f"{grid.entities[r]} {grid.periods[c]}" for r, c in np.argwhere(where)[:6]]
    more = f" and {int(where.sum()) - 6} more" if where.sum() > 6 else ""
    return ", ".join(cells) + more
