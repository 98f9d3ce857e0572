"""What targets read from the engine's results: scope values by year, and the base-year
figures of acquired or divested entities.

A target's scope is a boundary of the engine (``group``, ``tag:key-entity``,
``segment:metals``, ``subtree:SMELT``) or an entity code, which stands for the entity with
everything below it (its ``subtree:`` target when it has children).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from esgledger.catalog.registry import Catalog
from esgledger.engine.results import Results
from esgledger.targets.model import TargetFile
from esgledger.targets.restate import ChangeEffect
from esgledger.units import conversion_factor


@dataclass(frozen=True)
class Change:
    """An acquisition or divestment: the entities it brought or took, as a mask over them."""

    label: str
    kind: str
    year: int
    members: np.ndarray


def scope_code(results: Results, scope: str) -> str:
    """The engine code to read a scope from (an entity with children reads its subtree)."""
    codes = results.membership.codes
    if scope in codes or f"subtree:{scope}" not in codes:
        return scope
    return f"subtree:{scope}"


def actuals(results: Results, indicator: str, scope: str) -> dict[int, float]:
    """The indicator's value for the scope in every computed year that has one."""
    code = scope_code(results, scope)
    values = {
        int(period): results.value(indicator, code, period)
        for period in results.boundaries.grid.periods
    }
    return {year: value for year, value in values.items() if not math.isnan(value)}


def ratio_parts(catalog: Catalog, indicator: str) -> tuple[str, str, float] | None:
    """Numerator, denominator and scale of an intensity whose parts are totals, else None."""
    ratio = catalog.get(indicator).ratio
    if ratio is None:
        return None
    num, den = catalog.get(ratio.numerator), catalog.get(ratio.denominator)
    if num.quantity_type != "flow" or den.quantity_type != "flow":
        return None
    unit = catalog.get(indicator).unit
    return num.id, den.id, ratio.scale * conversion_factor(f"({num.unit})/({den.unit})", unit)


def structural_changes(results: Results, targets: TargetFile) -> list[Change]:
    """Changes from tags (``acquired-2024``) and from the file's ``structural_changes``."""
    info, policy = results.membership, targets.policy
    prefixes = {"acquisition": policy.acquisition_tag_prefix}
    prefixes["divestment"] = policy.divestment_tag_prefix
    found = []
    for row, code in enumerate(info.codes):
        for kind, prefix in prefixes.items():
            suffix = code.removeprefix(f"tag:{prefix}")
            if code.startswith(f"tag:{prefix}") and suffix.isdigit():
                label = _names(results, info.members[row])
                found.append(Change(label, kind, int(suffix), info.members[row]))
    for declared in targets.structural_changes:
        mask = _weights(results, scope_code(results, declared.entity)) > 0
        found.append(Change(declared.entity, declared.kind, declared.year, mask))
    return found


def change_effect(
    results: Results,
    change: Change,
    scope: str,
    parts: tuple[str, str | None],
    base_year: int,
) -> ChangeEffect | None:
    """The change's signed figures for the base year, or pro forma; None when out of scope."""
    weights = _weights(results, scope_code(results, scope)) * change.members
    if change.year <= base_year or not weights.any():
        return None
    numerator, denominator = parts
    years = [base_year] + [y for y in _years(results) if y >= change.year]
    for year in years:
        value = _weighted(results, numerator, weights, year)
        if not math.isnan(value):
            break
    else:
        return None
    sign = 1.0 if change.kind == "acquisition" else -1.0
    basis = f"reported for {year}" if year == base_year else f"pro forma from its {year} figures"
    extra = None if denominator is None else sign * _weighted(results, denominator, weights, year)
    return ChangeEffect(
        label=change.label,
        kind=change.kind,
        year=change.year,
        basis=basis,
        numerator=sign * value,
        denominator=None if extra is None or math.isnan(extra) else extra,
    )


def _weights(results: Results, code: str) -> np.ndarray:
    """Consolidation weights of the entities in ``code`` (an entity alone weighs 1)."""
    info = results.membership
    if code in info.codes:
        return info.weights[info.codes.index(code)]
    entities = results.entities.grid.entities
    return np.array([1.0 if entity == code else 0.0 for entity in entities])


def _weighted(results: Results, indicator: str, weights: np.ndarray, year: int) -> float:
    array = results.entities.values.get(indicator)
    periods = results.entities.grid.periods
    if array is None or str(year) not in periods:
        return float("nan")
    column = array[:, periods.index(str(year))]
    counted = (weights != 0) & ~np.isnan(column)
    return float(np.sum(weights[counted] * column[counted])) if counted.any() else float("nan")


def computed_years(results: Results) -> list[int]:
    """The years of the results' grid."""
    return _years(results)


def _years(results: Results) -> list[int]:
    return [int(period) for period in results.entities.grid.periods]


def _names(results: Results, mask: np.ndarray) -> str:
    codes = [
        code for code, inside in zip(results.entities.grid.entities, mask, strict=True) if inside
    ]
    return ", ".join(codes)
