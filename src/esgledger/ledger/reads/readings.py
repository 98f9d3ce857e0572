"""Reading meter readings back as columns, with corrections in force, and dead letters.

Rollups and early-warning checks compute over whole columns (polars), so readings come
back as one frame per query: on PostgreSQL through ``COPY ... TO STDOUT`` (the driver's
fastest way out, no Python object per row), on SQLite through one ``SELECT``.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from datetime import datetime

import polars as pl
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from esgledger.ledger.readings import READING_SCHEMA, _sqlite_time
from esgledger.ledger.schema import MeterDeadLetter, MeterReadingCorrection

_IN_FORCE = (
    "SELECT r.meter, r.at, COALESCE(c.value, r.value) AS value FROM meter_readings r "
    "LEFT JOIN (SELECT meter, at, value FROM meter_reading_corrections c1 WHERE id = "
    "(SELECT MAX(id) FROM meter_reading_corrections c2 WHERE c2.meter = c1.meter "
    "AND c2.at = c1.at)) c ON c.meter = r.meter AND c.at = r.at "
    "WHERE r.at >= {start} AND r.at < {end}"
)


def readings_frame(
    session: Session, start: datetime, end: datetime, meters: Collection[str] | None = None
) -> pl.DataFrame:
    """Readings with ``start <= at < end`` (UTC), newest correction in force, sorted."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        frame = _copy_out(session, start, end, meters)
    else:
        query = _IN_FORCE.format(start=":start", end=":end")
        bounds = {"start": _sqlite_time(start), "end": _sqlite_time(end)}
        rows = connection.execute(text(query), bounds).all()
        text_schema = {**READING_SCHEMA, "at": pl.Utf8}  # SQLite hands timestamps back as text
        frame = pl.DataFrame(rows, schema=text_schema, orient="row").with_columns(
            pl.col("at").str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us")
        )
    if meters is not None:
        frame = frame.filter(pl.col("meter").is_in(list(meters)))
    return frame.sort("meter", "at")


def _copy_out(
    session: Session, start: datetime, end: datetime, meters: Collection[str] | None
) -> pl.DataFrame:
    """COPY takes no parameters: the bounds are datetimes and the codes quoted here."""
    query = _IN_FORCE.format(start=f"'{start.isoformat(' ')}'", end=f"'{end.isoformat(' ')}'")
    if meters is not None:
        codes = ", ".join("'" + code.replace("'", "''") + "'" for code in meters) or "NULL"
        query += f" AND r.meter IN ({codes})"
    buffer = io.BytesIO()
    raw = session.connection().connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
        for block in copy:
            buffer.write(block)
    if buffer.tell() == 0:
        return pl.DataFrame(schema=READING_SCHEMA)
    buffer.seek(0)
    return pl.read_csv(
        buffer, has_header=False, new_columns=list(READING_SCHEMA), schema=READING_SCHEMA,
        try_parse_dates=True,
    )  # fmt: skip


def interval_day_sums(
    session: Session, start: datetime, end: datetime, meters: Collection[str], tz: str
) -> pl.DataFrame:
    """Per meter and local day (zone ``tz``): the sum and count of the readings in force.

    For interval meters, whose readings are consumption: PostgreSQL sums in the database
    (only meters x days rows come back); SQLite sums the read columns.
    """
    schema = {"meter": pl.Utf8, "day": pl.Date, "total": pl.Float64, "readings": pl.Int64}
    if not meters:
        return pl.DataFrame(schema=schema)
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        local = pl.col("at").dt.replace_time_zone("UTC").dt.convert_time_zone(tz).dt.date()
        frame = readings_frame(session, start, end, meters)
        return frame.group_by("meter", local.alias("day")).agg(
            total=pl.col("value").sum(), readings=pl.len().cast(pl.Int64)
        )
    query = (
        "SELECT meter, ((at AT TIME ZONE 'UTC') AT TIME ZONE :tz)::date AS day, "
        f"SUM(value), COUNT(*) FROM ({_IN_FORCE.format(start=':start', end=':end')}) AS f "
        "WHERE meter = ANY(:meters) GROUP BY 1, 2"
    )
    bounds = {"tz": tz, "start": start, "end": end, "meters": list(meters)}
    rows = connection.execute(text(query), bounds).all()
    return pl.DataFrame(rows, schema=schema, orient="row")


def correction_count(session: Session, meters: Collection[str] | None = None) -> int:
    """How many corrections were received (for a page and the rollup's lineage)."""
    query = select(func.count()).select_from(MeterReadingCorrection)
    if meters is not None:
        query = query.where(MeterReadingCorrection.meter.in_(list(meters)))
    return int(session.execute(query).scalar_one())


def dead_letters(session: Session, limit: int = 200) -> list[MeterDeadLetter]:
    """The newest refused messages first."""
    query = select(MeterDeadLetter).order_by(MeterDeadLetter.id.desc()).limit(limit)
    return list(session.execute(query).scalars())


def dead_letter_count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(MeterDeadLetter)).scalar_one())
