"""What the report and the pages read: permits expiring soon and the year's compliance.

Both are computed from the registers as they stand (current versions), over whole columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from sqlalchemy.orm import Session

from esgledger.ledger.reads.records import current_records, records_frame
from esgledger.permits.catalogue import register_settings
from esgledger.permits.compliance import RESULT_FIELDS, compliance_tables
from esgledger.permits.register import EXCEEDANCES, OUTLETS, PERMITS, RESULTS


def expiring_permits(
    session: Session,
    today: date,
    *,
    days: int | None = None,
    entities: frozenset[str] | None = None,
) -> pl.DataFrame:
    """Permits whose validity ends within ``days`` (data/settings.yaml when not given) of
    ``today``, or has already ended; with the days left (negative: expired)."""
    window = register_settings()["expiry_warning_days"] if days is None else days
    records = current_records(session, PERMITS, entities=entities)
    frame = records_frame(records, ["number", "authority", "valid_from", "valid_to"])
    if frame.is_empty():
        return frame.with_columns(days_left=pl.lit(None, pl.Int64))
    frame = frame.with_columns(pl.col("valid_to").str.to_date())
    frame = frame.with_columns(days_left=(pl.col("valid_to") - pl.lit(today)).dt.total_days())
    return frame.filter(pl.col("valid_to") <= pl.lit(today + timedelta(days=window))).sort(
        "valid_to"
    )


def results_frame(
    session: Session, year: int | None = None, entities: frozenset[str] | None = None
) -> pl.DataFrame:
    """Every current monitoring result (of ``year`` when given) as columns."""
    frame = records_frame(current_records(session, RESULTS, entities=entities), RESULT_FIELDS)
    if year is not None and not frame.is_empty():
        frame = frame.filter(pl.col("sampled_at").str.slice(0, 4) == str(year))
    return frame


def latest_result_year(session: Session, before: int | None = None) -> int | None:
    """The latest complete year with monitoring results (before ``before``; default: this
    year, which is not over), or None when there is none."""
    frame = results_frame(session)
    if frame.is_empty():
        return None
    limit = before if before is not None else date.today().year
    years = frame["sampled_at"].str.slice(0, 4).cast(pl.Int64)
    earlier = years.filter(years < limit)
    return int(earlier.max()) if len(earlier) else None


@dataclass(frozen=True)
class DischargeSummary:
    """The report's permits and discharge compliance section, computed from the registers."""

    year: int
    permits: int
    outlets_water: int
    outlets_air: int
    by_pollutant: list[dict]
    by_site: list[dict]
    group: dict
    exceedances_by_status: dict[str, int]
    expiring: list[dict]


def discharge_summary(session: Session, year: int, today: date | None = None) -> DischargeSummary:
    """Counts, compliance rates (per pollutant, site, group) and exceedances of ``year``."""
    tables = compliance_tables(results_frame(session, year))
    outlets = records_frame(current_records(session, OUTLETS), ["medium"])
    exceedances = records_frame(current_records(session, EXCEEDANCES), ["status", "sampled_at"])
    if not exceedances.is_empty():
        exceedances = exceedances.filter(pl.col("sampled_at").str.slice(0, 4) == str(year))
    by_status = dict(exceedances.group_by("status").len().iter_rows()) if len(exceedances) else {}
    expiring = expiring_permits(session, today or date(year + 1, 1, 1))
    return DischargeSummary(
        year=year,
        permits=len(current_records(session, PERMITS)),
        outlets_water=outlets.filter(pl.col("medium") == "water").height if len(outlets) else 0,
        outlets_air=outlets.filter(pl.col("medium") == "air").height if len(outlets) else 0,
        by_pollutant=tables["pollutant"].to_dicts(),
        by_site=tables["site"].to_dicts(),
        group=tables["group"].to_dicts()[0] if tables["group"].height else {},
        exceedances_by_status=by_status,
        expiring=expiring.with_columns(pl.col("valid_to").cast(pl.Utf8)).to_dicts(),
    )
