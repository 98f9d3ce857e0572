"""The units a PACT footprint is declared per, read both ways from one table
(``data/pact_units.yaml``): the PACT host publishes the group's footprints with it, and a
supplier's received footprint is read with it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

import yaml


@cache
def declared_units() -> Mapping[str, Mapping[str, Any]]:
    """By the group's declared unit: its PACT unit (``pact``), registry unit (``pint``), the
    factor from the group's unit to the PACT unit and, for masses, ``mass_per_unit``."""
    text = files("esgledger.products").joinpath("data/pact_units.yaml").read_text("utf-8")
    return yaml.safe_load(text)["declared_units"]


@cache
def registry_units() -> Mapping[str, str]:
    """PACT unit -> registry unit, for footprints received: the units declared one to one
    (a unit without a registry unit, such as piece, cannot replace a factor)."""
    return {
        unit["pact"]: unit["pint"]
        for unit in declared_units().values()
        if unit["pint"] and unit["factor"] == 1
    }
