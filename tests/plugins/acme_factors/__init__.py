"""A company's own factor set and the method set that prices electricity with it.

``acme_grid`` holds the factor the group's power purchase agreement certifies for its
supply (0.4 tCO2/MWh, a value made up for the test); the method set ``acme-ppa`` prices
purchased electricity with it instead of the MEE factor.
"""

from __future__ import annotations

from pathlib import Path

from esgledger.plugins import hookimpl

HERE = Path(__file__).parent


@hookimpl
def esgledger_factor_sets() -> list[Path]:
    return [HERE / "acme_grid.yaml"]


@hookimpl
def esgledger_method_sets() -> list[Path]:
    return [HERE / "method_sets.yaml"]
