"""Scope 3 by category: activity (or spend) × a factor the user supplies.

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
from esgledger.engine.registry import method


@cache
def scope3_categories() -> dict[int, dict]:
    text = (files("esgledger.engine") / "data" / "scope3.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["categories"]


def _line(ctx: MethodContext, line: dict, category: int) -> None:
    activity = ctx.amount(line["activity"], line["unit"])
    if not activity.any():
        return
    factor = _user_factor(ctx, line, category)
    if factor is not None:
        ctx.term(
            f"{line['activity']} × {line['factor']}",
            activity * factor,
            (line["activity"],),
            (line["factor"],),
        )


def _user_factor(ctx: MethodContext, line: dict, category: int) -> np.ndarray | None:
    """The line's factor; None, with a notice, when the user gave none and it is optional."""
    if ctx.has_factor(line["factor"]):
        try:
            return ctx.factor(line["factor"], line["factor_unit"])
        except CalculationError:  # given, but not for these periods or regions: as if not given
            pass
    if line.get("required"):
        raise CalculationError(
            f"ghg.scope3_cat{category}: {line['activity']} is reported but no factor "
            f"'{line['factor']}' ({line['factor_unit']}) is given; add it in a factor file "
            "(esgledger calc --factors FILE.yaml)"
        )
    ctx.state.diagnostics.append(
        Diagnostic(
            f"ghg.scope3_cat{category}",
            "*",
            "*",
            f"{line['activity']} not counted: no factor '{line['factor']}' given",
        )
    )
    return None


def _register(category: int, spec: dict) -> None:
    reads = tuple(line["activity"] for line in spec["lines"])

    def category_method(ctx: MethodContext) -> None:
        for line in spec["lines"]:
            _line(ctx, line, category)

    method(
        f"ghg.scope3_cat{category}",
        reads=reads,
        formula=f"Σ {spec['name'].lower()} activity × user-supplied factor",
    )(category_method)


for _category, _spec in scope3_categories().items():
    _register(_category, _spec)
