"""A company's own calculation method: the electricity its water pumps use.

Pumping energy [MWh] = fresh water withdrawn [m3] × 0.5 kWh/m3 ÷ 1000 (the plant's metered
average). The catalog file next to this module declares the indicator that names it; the
plugin registers it too, so the catalog knows the indicator wherever the plugin is installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from esgledger.engine.context import MethodContext
from esgledger.engine.registry import Method, method, methods_in
from esgledger.plugins import hookimpl

CATALOG = Path(__file__).with_name("acme.yaml")
MWH_PER_M3 = 0.5 / 1000


@method(
    "acme.pumping_electricity",
    reads=("water.fresh_withdrawal",),
    formula="fresh water withdrawal [m3] × 0.5 kWh/m3",
)
def pumping_electricity(ctx: MethodContext) -> None:
    withdrawn = ctx.amount("water.fresh_withdrawal", "m3")
    ctx.term(
        "water.fresh_withdrawal × 0.5 kWh/m3", withdrawn * MWH_PER_M3, ("water.fresh_withdrawal",)
    )


@hookimpl
def esgledger_catalog_files() -> list[Path]:
    return [CATALOG]


@hookimpl
def esgledger_methods() -> list[Method]:
    return methods_in(sys.modules[__name__])
