"""The numbers behind the report's charts, taken from the same run as its tables.

Energy by carrier comes from the dashboard's figures (the terms of the fossil total plus
electricity, steam and renewables), so the report and the web dashboard draw the same mix.
Intensity caps of a targets file add one trend panel each: the actuals, the path from the
base year and the target value (rows from :mod:`esgledger.report.goals`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from esgledger.calc.dashboard import dashboard_data
from esgledger.calc.service import CalculationRun
from esgledger.engine.consolidate import GROUP
from esgledger.engine.results import Results

SCOPES = ("ghg.scope1", "ghg.scope2", "ghg.scope3")
SEGMENT_SCOPES = ("ghg.scope1", "ghg.scope2")
TRENDS = ("energy.intensity_per_treo", "ghg.intensity_per_treo")


def chart_data(
    run: CalculationRun, years: Sequence[str], target_paths: list[dict] | None = None
) -> dict[str, Any]:
    """Plain rows per chart; each row names indicator ids, never labels (those are per language)."""
    results = run.results[0]
    return {
        "energy_mix": [r for r in dashboard_data(run)["energy_mix"] if r["tce"]],
        "emissions_by_scope": _rows(results, SCOPES, [GROUP], years),
        "emissions_by_segment": _rows(
            results,
            SEGMENT_SCOPES,
            [c for c in results.boundaries.grid.entities if c.startswith("segment:")],
            years[-1:],
        ),
        "intensity_trends": _rows(results, TRENDS, [GROUP], years),
        "targets": target_paths or [],
    }


def _rows(
    results: Results, indicators: Sequence[str], codes: Sequence[str], years: Sequence[str]
) -> list[dict[str, Any]]:
    rows = []
    for code in codes:
        for year in years:
            for indicator in indicators:
                value = results.value(indicator, code, year)
                if not math.isnan(value):
                    rows.append(
                        {"code": code, "year": year, "indicator": indicator, "value": value}
                    )
    return rows
