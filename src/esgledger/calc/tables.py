"""The figures `esgledger calc` shows: headline rows for the group, and one row per entity."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from esgledger.calc.service import CalculationRun

# (indicator, boundary) rows of the group table; None means the indicator's own boundary
# (the group, or the one boundary a scoped indicator exists for).
HEADLINE: tuple[tuple[str, str | None], ...] = (
    ("energy.total", None),
    ("energy.fossil_total", None),
    ("energy.purchased_electricity_tce", None),
    ("energy.non_fossil_total", None),
    ("energy.renewable_share", None),
    ("energy.intensity_per_treo", None),
    ("energy.intensity_per_treo", "tag:key-entity"),
    ("ghg.scope1", None),
    ("ghg.scope1_stationary_combustion", None),
    ("ghg.scope1_mobile_combustion", None),
    ("ghg.scope1_process", None),
    ("ghg.scope2_location", None),
    ("ghg.scope2_market", None),
    ("ghg.scope3", None),
    ("ghg.scope12_total", None),
    ("ghg.intensity_per_treo", None),
    ("ghg.intensity_key_entities", None),
    ("ghg.intensity_smelting_separation", None),
    ("ghg.intensity_metals", None),
)


@dataclass(frozen=True)
class Row:
    label: str
    unit: str
    cells: tuple[float | None, ...]
    estimated_share: float = 0.0
    indicator: str = ""  # the row's indicator id (its unit reads by it: a count word)
    boundary: str = ""  # the boundary named in the label, when not the indicator's own


def group_rows(
    run: CalculationRun,
    rows: tuple[tuple[str, str | None], ...] = HEADLINE,
    periods: Sequence[str] | None = None,
    lang: str = "en",
) -> list[Row]:
    """One row per (indicator, boundary); cells are periods (default: the years) × method
    sets, in that order. Months are read from the monthly results. Labels are the
    indicators' names in ``lang``."""
    periods = list(periods or run.years)
    first = run.results[0]
    found = []
    for indicator, boundary in rows:
        if indicator not in first.catalog:
            continue
        spec = first.catalog.get(indicator)
        code = boundary or spec.home_boundary
        if code not in first.boundaries.grid.entities:
            continue
        named = code if code != spec.home_boundary else ""
        label = spec.name(lang) + (f" ({named})" if named else "")
        cells = tuple(
            _cell(r.value(indicator, code, period)) for period in periods for r in run.results
        )
        share = first.estimated_share(indicator, code, periods[-1])
        found.append(Row(label, spec.unit, cells, share, indicator, named))
    return found


def entity_rows(run: CalculationRun, indicators: list[str], year: str) -> list[Row]:
    """One row per entity: the chosen indicators in ``year`` (or a month) under the first
    method set."""
    results = run.results[0]
    rows = []
    for code in results.entities.grid.entities:
        cells = tuple(_cell(results.value(i, code, year)) for i in indicators)
        if any(cell is not None for cell in cells):
            rows.append(Row(code, "", cells))
    return rows


def _cell(value: float) -> float | None:
    return None if math.isnan(value) else value
