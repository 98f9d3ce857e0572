"""The counts and rates the report publishes, computed from the registers over columns.

Each measure is named after the catalog indicator it answers (``safety.hazards_identified``
...), so that the register-derived figure can stand beside the figure typed into the
ledger for the same year (:mod:`esgledger.safety.reconcile`). Rates are ratios of sums.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib.resources import files
from typing import Any

import polars as pl
import yaml

from esgledger.ledger.reads.records import RecordView, records_frame

HAZARD_FIELDS = ("severity", "found_on", "deadline", "rectified_on", "closed_on", "status")
COUNT_COLUMNS = {
    "safety.hazards_identified": "found",
    "safety.major_hazards_identified": "major_found",
    "safety.hazards_corrected": "corrected",
    "safety.emergency_drills": "drills",
    "safety.drill_participants": "participants",
    "safety.lost_time_injuries": "lost_time_injured",
    "safety.lost_days": "lost_days",
    "safety.major_incidents": "significant_incidents",
    "safety.fatalities": "fatalities",
}


@lru_cache(maxsize=1)
def definitions() -> dict[str, Any]:
    """The rate definitions of ``data/rates.yaml`` (LTIFR bases, lost time, correction)."""
    text = (files("esgledger.safety") / "data" / "rates.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _year_of(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Utf8).str.slice(0, 4)


def hazard_counts(hazards: list[RecordView], year: int, as_of: date) -> pl.DataFrame:
    """Per site: hazards found in ``year``, of them major, hazards corrected (closed) in
    ``year``, and hazards found in ``year`` that missed their deadline by ``as_of``."""
    frame = records_frame(hazards, HAZARD_FIELDS)
    if frame.is_empty():
        return pl.DataFrame(
            schema={
                "entity": pl.Utf8,
                "found": pl.Int64,
                "major_found": pl.Int64,
                "corrected": pl.Int64,
                "overdue": pl.Int64,
            }
        )
    y = str(year)
    found_in_year = _year_of("found_on") == y
    deadline = pl.col("deadline").cast(pl.Utf8)
    rectified = pl.col("rectified_on").cast(pl.Utf8)
    late = (
        pl.when(rectified.is_null())
        .then(pl.lit(as_of.isoformat()) > deadline)
        .otherwise(rectified > deadline)
    )
    return (
        frame.group_by("entity")
        .agg(
            found=found_in_year.sum(),
            major_found=(found_in_year & (pl.col("severity") == "major")).sum(),
            corrected=((_year_of("closed_on") == y) & (pl.col("status") == "closed")).sum(),
            overdue=(found_in_year & late).sum(),
        )
        .with_columns(pl.exclude("entity").cast(pl.Int64))
        .sort("entity")
    )


def drill_counts(drills: list[RecordView], year: int) -> pl.DataFrame:
    """Per site: drills held in ``year`` and their participants."""
    frame = records_frame(drills, ("held_on", "participants"))
    if frame.is_empty():
        return pl.DataFrame(
            schema={"entity": pl.Utf8, "drills": pl.Int64, "participants": pl.Int64}
        )
    in_year = frame.filter(_year_of("held_on") == str(year))
    return (
        in_year.group_by("entity")
        .agg(
            drills=pl.len().cast(pl.Int64), participants=pl.col("participants").sum().cast(pl.Int64)
        )
        .sort("entity")
    )


def incident_counts(incidents: list[RecordView], year: int) -> pl.DataFrame:
    """Per site: persons injured with lost time, days lost, significant incidents, deaths."""
    fields = ("occurred_on", "injured", "lost_days", "significant", "fatalities")
    frame = records_frame(incidents, fields)
    schema = {
        "entity": pl.Utf8,
        "lost_time_injured": pl.Int64,
        "lost_days": pl.Int64,
        "significant_incidents": pl.Int64,
        "fatalities": pl.Int64,
    }
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    minimum = definitions()["lost_time"]["minimum_lost_days"]
    in_year = frame.filter(_year_of("occurred_on") == str(year))
    lost_time = pl.col("lost_days") >= minimum
    return (
        in_year.group_by("entity")
        .agg(
            lost_time_injured=pl.when(lost_time).then(pl.col("injured")).otherwise(0).sum(),
            lost_days=pl.col("lost_days").sum(),
            significant_incidents=pl.col("significant").cast(pl.Int64).sum(),
            fatalities=pl.col("fatalities").sum(),
        )
        .with_columns(pl.exclude("entity").cast(pl.Int64))
        .sort("entity")
    )


def counts_by_site(registers: dict[str, list[RecordView]], year: int, as_of: date) -> pl.DataFrame:
    """Every register count of ``year`` per site, one column each (0 where none)."""
    parts = [
        hazard_counts(registers["hazards"], year, as_of),
        drill_counts(registers["drills"], year),
        incident_counts(registers["incidents"], year),
    ]
    sites = pl.concat([part.select("entity") for part in parts]).unique()
    for part in parts:
        sites = sites.join(part, on="entity", how="left")
    return sites.fill_null(0).sort("entity")


def correction_rate(found: int, corrected: int) -> float | None:
    """Hazards corrected as a share of hazards found, in percent (None when none found)."""
    return None if found == 0 else 100.0 * corrected / found
