"""From interval readings to consumption, day totals and the month's draft observations.

Consumption per interval is the reading itself for ``interval`` meters and the difference
between successive reads for ``counter`` meters: a drop is a rollover when the meter has
one (the counter passed its maximum and restarted at zero), a replacement when the
registry records one between the two reads (old meter's last register minus the previous
read, plus the new meter's read minus its first register), and otherwise unknown (left
out and counted missing). Days are the site's local days (the settings' time zone).

A month's rollup sums the days of every meter that names a ledger indicator and writes
the sums as DRAFT observations through the ledger's import (``ledger.imports.apply``),
so they are checked, versioned and reviewed like any figure. Each (entity, indicator,
month) gets a lineage record in ``monitoring.rollups``: the meters, the interval, how many
readings went in and how many were missing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl
from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.ledger.imports.apply import import_rows
from esgledger.ledger.imports.reader import ROW_COLUMNS, RawTable
from esgledger.ledger.reads.readings import interval_day_sums, readings_frame
from esgledger.ledger.records import RecordChange, append_records
from esgledger.monitoring.meters import Meter, load_meters
from esgledger.periods import Granularity, Period
from esgledger.units import conversion_factor

LINEAGE = "monitoring.rollups"


def interval_consumption(readings: pl.DataFrame, meters: dict[str, Meter]) -> pl.DataFrame:
    """Per reading: meter, at (UTC) and the consumption of the interval it closes."""
    kinds = pl.DataFrame(
        {"meter": list(meters), "reading": [m.reading for m in meters.values()],
         "rollover": [m.rollover for m in meters.values()]},
        schema={"meter": pl.Utf8, "reading": pl.Utf8, "rollover": pl.Float64},
    )  # fmt: skip
    frame = readings.sort("meter", "at").join(kinds, on="meter", how="inner")
    previous = pl.col("value").shift(1).over("meter")
    step = pl.col("value") - previous
    counted = (
        pl.when(step >= 0).then(step).when(pl.col("rollover").is_not_null())
        .then(step + pl.col("rollover")).otherwise(None)
    )  # fmt: skip
    frame = frame.with_columns(
        previous_at=pl.col("at").shift(1).over("meter"),
        previous=previous,
        consumption=pl.when(pl.col("reading") == "interval")
        .then(pl.col("value"))
        .otherwise(counted),
    )
    for code, meter in meters.items():
        for swap in meter.replacements:
            across = (
                (pl.col("meter") == code)
                & (pl.col("previous_at") < swap.at)
                & (pl.col("at") >= swap.at)
            )
            spanned = (swap.final_reading - pl.col("previous")) + (
                pl.col("value") - swap.start_reading
            )
            frame = frame.with_columns(
                consumption=pl.when(across).then(spanned).otherwise(pl.col("consumption"))
            )
    return frame.select("meter", "at", "consumption")


def day_totals(
    session: Session, first: date, last: date, tz: str, meters: dict[str, Meter] | None = None
) -> pl.DataFrame:
    """Per meter and local day from ``first`` to ``last``: total, readings, missing."""
    meters = meters if meters is not None else load_meters(session)
    start, end = utc_bounds(first, last, tz)
    counters = {code: m for code, m in meters.items() if m.reading == "counter"}
    intervals = [code for code in meters if code not in counters]
    days = pl.concat(
        [
            interval_day_sums(session, start, end, intervals, tz),
            _counter_day_sums(session, start, end, counters, tz),
        ]
    )
    expected = pl.DataFrame(
        {"meter": list(meters), "expected": [m.expected_per_day for m in meters.values()]},
        schema={"meter": pl.Utf8, "expected": pl.Int64},
    )
    calendar = pl.DataFrame({"day": pl.date_range(first, last, "1d", eager=True)})
    return (
        expected.join(calendar, how="cross")
        .join(days, on=["meter", "day"], how="left")
        .with_columns(pl.col("total").fill_null(0.0), pl.col("readings").fill_null(0))
        .with_columns(missing=(pl.col("expected") - pl.col("readings")).clip(0))
        .drop("expected")
        .sort("meter", "day")
    )


def _counter_day_sums(
    session: Session, start: datetime, end: datetime, counters: dict[str, Meter], tz: str
) -> pl.DataFrame:
    """Counters' consumption per local day, from the differences between reads."""
    if not counters:
        return pl.DataFrame(schema={"meter": pl.Utf8, "day": pl.Date, "total": pl.Float64,
                                    "readings": pl.Int64})  # fmt: skip
    # one day before: the counter read that the window's first difference starts from
    readings = readings_frame(session, start - timedelta(days=1), end, counters)
    used = interval_consumption(readings, counters).filter(
        (pl.col("at") >= start) & (pl.col("at") < end)
    )
    local = pl.col("at").dt.replace_time_zone("UTC").dt.convert_time_zone(tz).dt.date()
    return used.group_by("meter", local.alias("day")).agg(
        total=pl.col("consumption").sum(),
        readings=pl.col("consumption").is_not_null().sum().cast(pl.Int64),
    )


def utc_bounds(first: date, last: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants (naive) that local days ``first`` .. ``last`` start and end at."""
    zone = ZoneInfo(tz)

    def utc(day: date) -> datetime:
        local = datetime(day.year, day.month, day.day, tzinfo=zone)
        return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

    return utc(first), utc(last + timedelta(days=1))


@dataclass(frozen=True)
class RolledUp:
    """One draft observation a rollup wrote (or found unchanged), with its lineage."""

    entity: str
    indicator: str
    period: str
    value: float
    unit: str
    meters: tuple[str, ...]
    readings: int
    missing: int


def month_rollup(
    session: Session, month: str, tz: str, catalog: Catalog, entities: list[str] | None = None
) -> list[RolledUp]:
    """The month's totals per (entity, indicator) of the meters that feed the ledger."""
    period = Period.parse(month)
    if period.granularity is not Granularity.MONTH:
        raise ValueError(f"a rollup covers one month (2024-05), not {month!r}")
    meters = {
        code: m for code, m in load_meters(session, entities).items() if m.indicator is not None
    }
    if not meters:
        return []
    days = day_totals(session, period.start, period.end - timedelta(days=1), tz, meters)
    per_meter = days.group_by("meter").agg(pl.col("total", "readings", "missing").sum())
    results = []
    for (entity, indicator), group in _by_target(meters).items():
        unit = catalog.get(indicator).unit
        part = per_meter.filter(pl.col("meter").is_in(group))
        if part["readings"].sum() == 0:  # no reading at all: no figure, not a zero
            continue
        factors = pl.Series([conversion_factor(meters[m].unit, unit) for m in part["meter"]])
        value = float((part["total"] * factors).sum())
        results.append(
            RolledUp(entity, indicator, str(period), value, unit, tuple(sorted(group)),
                     int(part["readings"].sum()), int(part["missing"].sum()))
        )  # fmt: skip
    return results


def _by_target(meters: dict[str, Meter]) -> dict[tuple[str, str], list[str]]:
    groups: dict[tuple[str, str], list[str]] = {}
    for code, meter in meters.items():
        groups.setdefault((meter.entity, str(meter.indicator)), []).append(code)
    return groups


def roll_up(
    session: Session, month: str, *, actor: str, catalog: Catalog, tz: str,
    entities: list[str] | None = None,
) -> list[RolledUp]:  # fmt: skip
    """Write the month's rollups as DRAFT observations with lineage; a job may call this.

    Rolling up the same readings again writes nothing new (the import skips unchanged
    values); late readings make the next rollup a new draft revision.
    """
    results = month_rollup(session, month, tz, catalog, entities)
    if not results:
        return results
    rows = [
        ("meters", n, "value", r.entity, r.period, r.indicator, repr(r.value), r.unit,
         f"meters {', '.join(r.meters)}: {r.readings} readings, {r.missing} missing", None)
        for n, r in enumerate(results, start=1)
    ]  # fmt: skip
    frame = pl.DataFrame(rows, schema={c: pl.Utf8 for c in ROW_COLUMNS}, orient="row")
    frame = frame.with_columns(pl.col("row").cast(pl.Int64))
    digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    name = f"meter rollup {month}"
    outcome = import_rows(session, RawTable(name, digest, frame), actor, catalog, where=name)
    _record_lineage(session, results, outcome.changeset_id, tz, actor)
    return results


def _record_lineage(
    session: Session, results: list[RolledUp], changeset: int | None, tz: str, actor: str
) -> None:
    if changeset is None:  # nothing changed: the lineage already written still holds
        return
    changes = []
    for r in results:
        period = Period.parse(r.period)
        start, end = utc_bounds(period.start, period.end - timedelta(days=1), tz)
        payload = {
            "entity": r.entity, "indicator": r.indicator, "period": r.period,
            "value": r.value, "unit": r.unit, "meters": list(r.meters),
            "from_utc": start.isoformat(), "to_utc": end.isoformat(), "timezone": tz,
            "readings": r.readings, "missing": r.missing, "changeset": changeset,
        }  # fmt: skip
        changes.append(RecordChange(f"{r.entity}/{r.indicator}/{r.period}", payload, r.entity))
    append_records(session, LINEAGE, changes, actor=actor, action="monitoring.rollup")
