"""A site's energy dashboard for one carrier, from its meters: the day's load profile
against its usual day, the day and month trends, and the top consumers.

Everything is computed over whole columns of readings (polars). The site's total is the
sum of its main meters (sub-meters are inside them), in the unit of its first main meter;
the load profile compares the chosen day hour by hour with the median of the same kind of
day (working day or weekend) over the baseline the profile rule uses; the month trend sets
each month's metered total beside the ledger's monthly value; the top
consumers are the sub-meters' shares of the month, the rest shown as not sub-metered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.ledger.reads.readings import readings_frame
from esgledger.monitoring.ingest import limits
from esgledger.monitoring.meters import Meter
from esgledger.monitoring.reconcile import ledger_value
from esgledger.monitoring.rollup import day_totals, interval_consumption, utc_bounds
from esgledger.units import conversion_factor

TREND_DAYS = 31


@dataclass(frozen=True)
class SiteDashboard:
    """One site and carrier, around ``day``; every frame in ``unit``."""

    entity: str
    carrier: str
    unit: str
    day: date
    profile: pl.DataFrame  # hour, load (the day), usual (median of same-kind days)
    days: pl.DataFrame  # day, total: the last TREND_DAYS days to ``day``
    months: pl.DataFrame  # month, metered, ledger, complete: ``day``'s year so far
    consumers: pl.DataFrame  # meter, name, total, share: the sub-meters over ``day``'s month


def site_dashboard(
    session: Session, catalog: Catalog, meters: dict[str, Meter], carrier: str, day: date, tz: str
) -> SiteDashboard:
    """The dashboard of the site whose ``meters`` are given, for ``carrier``, around ``day``."""
    chosen = {c: m for c, m in meters.items() if m.carrier == carrier}
    mains = {c: m for c, m in chosen.items() if m.parent is None}
    unit = next(iter(mains.values())).unit if mains else next(iter(chosen.values())).unit
    entity = next(iter(chosen.values())).entity
    return SiteDashboard(
        entity, carrier, unit, day,
        profile=load_profile(session, mains, day, tz, unit),
        days=_main_days(session, mains, day - timedelta(days=TREND_DAYS - 1), day, tz, unit),
        months=month_trend(session, catalog, mains, day, tz, unit),
        consumers=top_consumers(session, chosen, mains, day, tz, unit),
    )  # fmt: skip


def _factors(meters: dict[str, Meter], unit: str) -> dict[str, float]:
    return {code: conversion_factor(m.unit, unit) for code, m in meters.items()}


def _in_unit(meters: dict[str, Meter], unit: str, column: str) -> pl.Expr:
    factor = pl.col("meter").replace_strict(_factors(meters, unit), return_dtype=pl.Float64)
    return pl.col(column) * factor


def load_profile(
    session: Session, mains: dict[str, Meter], day: date, tz: str, unit: str
) -> pl.DataFrame:
    """Hour by hour: the day's load and the median of the same kind of day before it."""
    baseline = limits()["profile"]["baseline_days"]
    start, end = utc_bounds(day - timedelta(days=baseline), day, tz)
    used = interval_consumption(readings_frame(session, start, end, mains), mains)
    local = pl.col("at").dt.replace_time_zone("UTC").dt.convert_time_zone(tz)
    hourly = (
        used.filter(pl.col("consumption").is_not_null())
        .with_columns(
            value=_in_unit(mains, unit, "consumption"),
            day=local.dt.date(),
            hour=local.dt.hour(),
        )
        .group_by("day", "hour")
        .agg(pl.col("value").sum())
    )
    weekend = day.isoweekday() >= 6
    same_kind = hourly.filter(
        (pl.col("day") < day) & ((pl.col("day").dt.weekday() >= 6) == weekend)
    )
    usual = same_kind.group_by("hour").agg(usual=pl.col("value").median())
    today = hourly.filter(pl.col("day") == day).select("hour", load="value")
    hours = pl.DataFrame({"hour": list(range(24))}, schema={"hour": pl.Int8})
    return (
        hours.join(today.with_columns(pl.col("hour").cast(pl.Int8)), on="hour", how="left")
        .join(usual.with_columns(pl.col("hour").cast(pl.Int8)), on="hour", how="left")
        .sort("hour")
    )


def _main_days(
    session: Session, mains: dict[str, Meter], first: date, last: date, tz: str, unit: str
) -> pl.DataFrame:
    days = day_totals(session, first, last, tz, mains)
    return (
        days.with_columns(total=_in_unit(mains, unit, "total"))
        .group_by("day")
        .agg(pl.col("total").sum(), pl.col("readings").sum(), pl.col("missing").sum())
        .sort("day")
    )


def month_trend(
    session: Session, catalog: Catalog, mains: dict[str, Meter], day: date, tz: str, unit: str
) -> pl.DataFrame:
    """Each month of the year to ``day``: the metered total (None without readings), the
    ledger's value of the indicators the main meters feed (None where it has none), and
    whether the month is complete (the month of ``day`` is only to that day)."""
    rows = []
    entity = next(iter(mains.values())).entity if mains else None
    fed = sorted({m.indicator for m in mains.values() if m.indicator})
    year = _main_days(session, mains, date(day.year, 1, 1), day, tz, unit)  # one read
    months = year.group_by(pl.col("day").dt.month().alias("month")).agg(
        pl.col("total").sum(), pl.col("readings").sum()
    )
    metered_in = {m: (t if r else None) for m, t, r in months.iter_rows()}
    for month in range(1, day.month + 1):
        first = date(day.year, month, 1)
        end = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        metered = metered_in.get(month)
        ledger = _ledger_total(session, catalog, str(entity), fed, f"{first:%Y-%m}", unit)
        complete = day >= end
        rows.append({"month": f"{first:%Y-%m}", "metered": metered, "ledger": ledger,
                     "complete": complete})  # fmt: skip
    return pl.DataFrame(rows, schema=MONTH_SCHEMA)


def _ledger_total(
    session: Session, catalog: Catalog, entity: str, fed: list[str], month: str, unit: str
) -> float | None:
    """The ledger's month of the fed indicators in ``unit``; None when it has none."""
    found = [(ledger_value(session, entity, i, month), i) for i in fed]
    known = [v * conversion_factor(catalog.get(i).unit, unit) for v, i in found if v is not None]
    return sum(known) if known else None


MONTH_SCHEMA = {"month": pl.Utf8, "metered": pl.Float64, "ledger": pl.Float64,
                "complete": pl.Boolean}  # fmt: skip


def top_consumers(
    session: Session,
    meters: dict[str, Meter],
    mains: dict[str, Meter],
    day: date,
    tz: str,
    unit: str,
) -> pl.DataFrame:
    """The sub-meters over ``day``'s month to ``day``, largest first, each a share of the
    site's total, and the rest of the total as not sub-metered (meter None)."""
    subs = {c: m for c, m in meters.items() if m.parent is not None}
    first = day.replace(day=1)
    site = float(_main_days(session, mains, first, day, tz, unit)["total"].sum())
    if subs:
        totals = day_totals(session, first, day, tz, subs)
        per_meter = (
            totals.with_columns(total=_in_unit(subs, unit, "total"))
            .group_by("meter")
            .agg(pl.col("total").sum())
        )
    else:
        per_meter = pl.DataFrame(schema={"meter": pl.Utf8, "total": pl.Float64})
    names = pl.DataFrame({"meter": list(subs), "name": [m.name for m in subs.values()]},
                         schema={"meter": pl.Utf8, "name": pl.Utf8})  # fmt: skip
    rest = pl.DataFrame(
        {"meter": [None], "name": [None], "total": [site - float(per_meter["total"].sum())]},
        schema={"meter": pl.Utf8, "name": pl.Utf8, "total": pl.Float64},
    )
    ranked = per_meter.join(names, on="meter").select("meter", "name", "total")
    return pl.concat([ranked.sort("total", descending=True), rest]).with_columns(
        share=pl.col("total") / site if site else pl.lit(None, pl.Float64)
    )
