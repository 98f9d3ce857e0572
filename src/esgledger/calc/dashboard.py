"""The figures the dashboard charts: energy mix, emissions by scope and entity, intensities.

Built from a calculation run only, so the JSON API and the web page show the same numbers.
A reporter sees the entities granted to it; everyone else sees the group as well.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from esgledger.calc.service import CalculationRun
from esgledger.engine.consolidate import GROUP

ENERGY_PARTS = (
    "energy.purchased_electricity_tce",
    "energy.purchased_steam_tce",
    "energy.renewable_self_generated_tce",
)
SCOPES = ("ghg.scope1", "ghg.scope2", "ghg.scope3")
# what the monthly trend shows per month computed (the group, or an entity on request)
TREND = ("energy.total", "ghg.scope1", "ghg.scope2")
# (indicator, boundary): a scoped indicator at its own boundary, so the dashboard prints the
# same name and value for it as the report and the targets page.
INTENSITIES = (
    ("energy.intensity_per_treo", GROUP),
    ("ghg.intensity_per_treo", GROUP),
    ("ghg.intensity_key_entities", "tag:key-entity"),
    ("ghg.intensity_smelting_separation", "segment:smelting_separation"),
    ("ghg.intensity_metals", "segment:metals"),
)


def dashboard_data(run: CalculationRun, entities: frozenset[str] | None = None) -> dict[str, Any]:
    """Plain data for the charts; ``entities`` limits it to a reporter's entities."""
    results = run.results[0]
    visible = [c for c in results.entities.grid.entities if entities is None or c in entities]
    codes = [GROUP, *visible] if entities is None else visible
    return {
        "snapshot_sha256": run.snapshot_hash,
        "method_set": results.method_set.name,
        "years": list(run.years),
        "months": list(run.months),
        # the group's months (a reporter's: its entities'); an entity's: monthly_trend
        "monthly": monthly_trend(run, codes[:1] if entities is None else codes),
        "energy_mix": _energy_mix(run, codes[0]) if codes else [],
        "emissions": [
            {"code": code, "year": year, "scope": scope, "value": _value(run, scope, code, year)}
            for code in codes
            for year in run.years
            for scope in SCOPES
        ],
        "intensities": []
        if entities is not None
        else [
            {
                "indicator": i,
                "code": code,
                "year": year,
                "value": _value(run, i, code, year),
                "unit": results.catalog.get(i).unit,
            }
            for i, code in INTENSITIES
            for year in run.years
            if code in results.boundaries.grid.entities
        ],
    }


def monthly_trend(run: CalculationRun, codes: list[str]) -> list[dict[str, Any]]:
    """The trend indicators per code and computed month, where a value exists: months
    hold what was reported monthly (an entity reporting only years has none)."""
    results = run.results[0]
    rows = []
    for code in codes:
        for indicator in TREND:
            unit = results.catalog.get(indicator).unit
            for month in run.months:
                value = _value(run, indicator, code, month)
                if value is not None:
                    rows.append(
                        {"code": code, "period": month, "indicator": indicator, "value": value,
                         "unit": unit}
                    )  # fmt: skip
    return rows


def _energy_mix(run: CalculationRun, code: str) -> list[dict[str, Any]]:
    """tce by carrier: each fossil fuel (the terms of energy.fossil_total) and the rest."""
    results = run.results[0]
    rows = []
    for year in run.years:
        col = results.entities.grid.period_index(year)
        for carrier, tce in _fossil_terms(results, code, col).items():
            rows.append({"year": year, "carrier": carrier, "tce": tce})
        for part in ENERGY_PARTS:
            value = _value(run, part, code, year)
            if value is not None:
                rows.append({"year": year, "carrier": part.removesuffix("_tce"), "tce": value})
    return rows


def _fossil_terms(results, code: str, col: int) -> dict[str, float]:
    node = results.entities.nodes.get("energy.fossil_total")
    if node is None:
        return {}
    if code in results.boundaries.grid.entities:
        weights = results.membership.weights[results.membership.codes.index(code)]
    else:
        weights = np.array([c == code for c in results.entities.grid.entities], dtype=float)
    found = {}
    for term in node.terms:
        tce = float(weights @ np.nan_to_num(term.values[:, col]))
        if tce:
            found[term.inputs[0]] = tce
    return found


def _value(run: CalculationRun, indicator: str, code: str, year: str) -> float | None:
    value = run.results[0].value(indicator, code, year)
    return None if math.isnan(value) else value
