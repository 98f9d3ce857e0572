"""Computed footprints read from a YAML file of ComputedFootprint fields.

The seam to the LCA is small on purpose: until the products package hands its results
over directly, ``esgledger pact publish FILE`` reads a list of mappings with the same
field names as :class:`~esgledger.products.footprint.ComputedFootprint`; quantities are
written with their unit ("21400 kgCO2e", "21.4 tCO2e/t") and read by the unit registry.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from esgledger.errors import EsgError
from esgledger.products.footprint import ComputedFootprint, GasContribution
from esgledger.units import Q_

_QUANTITIES = ("fossil", "biogenic_uptake", "total_excluding_biogenic_uptake")
_OPTIONAL_QUANTITIES = ("fossil_carbon_content", "biogenic_carbon_content")  # "0 kg" per unit
_DATES = ("period_start", "period_end")
_FIELDS = {f.name for f in dataclasses.fields(ComputedFootprint)}
_REQUIRED = {
    f.name
    for f in dataclasses.fields(ComputedFootprint)
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
}


def _problem(path: Path, index: int, text: str) -> EsgError:
    return EsgError(
        f"{path}, footprint {index + 1}: {text}",
        code="pact_v3.footprint_file",
        params={"file": str(path), "item": index + 1, "problem": text},
    )


def _one(path: Path, index: int, item: Any) -> ComputedFootprint:
    if not isinstance(item, dict):
        raise _problem(path, index, "expected a mapping of ComputedFootprint fields")
    unknown, absent = set(item) - _FIELDS, _REQUIRED - set(item)
    if unknown or absent:
        raise _problem(path, index, f"unknown fields {sorted(unknown)}, missing {sorted(absent)}")
    fields = dict(item)
    try:
        for name in _QUANTITIES:
            fields[name] = Q_(str(item[name]))
        for name in _OPTIONAL_QUANTITIES:
            if item.get(name) is not None:
                fields[name] = Q_(str(item[name]))
        if "ipcc_characterization" in item:
            fields["ipcc_characterization"] = tuple(item["ipcc_characterization"])
        for name in _DATES:
            fields[name] = (
                item[name] if isinstance(item[name], date) else date.fromisoformat(str(item[name]))
            )
        fields["by_gas"] = tuple(
            GasContribution(gas, Q_(str(value)))
            for gas, value in (item.get("by_gas") or {}).items()
        )
    except Exception as error:  # pint's and date's parse errors: the value is at fault
        raise _problem(path, index, str(error)) from error
    return ComputedFootprint(**fields)


def read_footprints(path: Path) -> list[ComputedFootprint]:
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise _problem(path, 0, f"cannot be read: {error}") from error
    if not isinstance(items, list):
        raise _problem(path, 0, "expected a YAML list of footprints")
    return [_one(path, index, item) for index, item in enumerate(items)]
