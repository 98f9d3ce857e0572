"""Writing meter readings: bulk, idempotent, with corrections kept and nothing overwritten.

Readings arrive late, twice and out of order (a gateway re-sends after an outage, a file
repeats an MQTT feed). A batch is written in three steps inside the caller's transaction:

1. the batch goes through the driver into a temporary staging table (``COPY`` on
   PostgreSQL, ``executemany`` on SQLite, as in :mod:`esgledger.ledger.bulk`);
2. staged readings that meet a stored reading with a different value, compared with the
   newest correction if there is one, become correction rows (the first value stays);
3. staged readings new to the ledger are inserted; ones already there add nothing.

So sending a batch twice changes nothing, and a differing re-send is a recorded
correction. On PostgreSQL the month partitions the batch needs are created first.
Validation (known meter, plausible value) belongs to ``esgledger.monitoring``, which
sends what fails to :func:`record_dead_letters` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from esgledger.ledger.database import utcnow
from esgledger.ledger.schema import MeterDeadLetter

READING_SCHEMA = {"meter": pl.Utf8, "at": pl.Datetime("us"), "value": pl.Float64}
CHUNK_ROWS = 200_000
_STAGE = "meter_readings_stage"


@dataclass(frozen=True)
class WrittenReadings:
    """What a batch changed: new readings, corrections, and repeats that added nothing."""

    received: int
    inserted: int
    corrected: int

    @property
    def repeated(self) -> int:
        return self.received - self.inserted - self.corrected


@dataclass(frozen=True)
class DeadLetter:
    """A message refused, with the stable code of the reason and the reason in words."""

    payload: str
    reason_code: str
    reason: str
    meter: str | None = None


def write_readings(session: Session, frame: pl.DataFrame, source: str) -> WrittenReadings:
    """Store ``frame`` (columns meter, at in UTC, value) as readings from ``source``."""
    if frame.is_empty():
        return WrittenReadings(0, 0, 0)
    frame = frame.select(list(READING_SCHEMA)).cast(READING_SCHEMA)
    # Within one batch, the last value given for an instant is the one meant.
    frame = frame.unique(subset=["meter", "at"], keep="last", maintain_order=True)
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        _ensure_partitions(session, frame)
    if not _any_stored_between(session, frame["at"].min(), frame["at"].max()):
        # Nothing stored in the batch's time span, so nothing to repeat or correct: the
        # batch goes straight into the table (a month's file, a first load). A concurrent
        # writer into the same span makes the key refuse it; the caller tries again.
        _write_chunks(session, frame, utcnow(), source, "meter_readings")
        return WrittenReadings(frame.height, frame.height, 0)
    _stage(session, frame, utcnow(), source)
    corrected = _record_corrections(session)
    inserted = connection.execute(
        text(
            f"INSERT INTO meter_readings (meter, at, value, received_at, source) "
            f"SELECT meter, at, value, received_at, source FROM {_STAGE} "
            # WHERE true: SQLite reads ON after a bare SELECT ... FROM as a join's ON
            "WHERE true ON CONFLICT (meter, at) DO NOTHING"
        )
    ).rowcount
    connection.execute(text(f"DROP TABLE {_STAGE}"))
    return WrittenReadings(frame.height, inserted, corrected)


def _any_stored_between(session: Session, first: datetime, last: datetime) -> bool:
    query = text("SELECT 1 FROM meter_readings WHERE at >= :first AND at <= :last LIMIT 1")
    if session.connection().dialect.name == "sqlite":
        first, last = _sqlite_time(first), _sqlite_time(last)  # type: ignore[assignment]
    return session.connection().execute(query, {"first": first, "last": last}).first() is not None


def _sqlite_time(at: datetime) -> str:
    """The text SQLAlchemy stores a SQLite DateTime as, so comparisons are text-ordered."""
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


def _stage(session: Session, frame: pl.DataFrame, now: datetime, source: str) -> None:
    session.connection().execute(
        text(
            f"CREATE TEMPORARY TABLE {_STAGE} (meter VARCHAR(80), at TIMESTAMP, "
            "value DOUBLE PRECISION, received_at TIMESTAMP, source VARCHAR(40))"
        )
    )
    _write_chunks(session, frame, now, source, _STAGE)


def _write_chunks(
    session: Session, frame: pl.DataFrame, now: datetime, source: str, table: str
) -> None:
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    staged = frame.with_columns(received_at=pl.lit(now), source=pl.lit(source))
    write = _copy if connection.dialect.name == "postgresql" else _executemany
    for start in range(0, staged.height, CHUNK_ROWS):
        write(raw, staged.slice(start, CHUNK_ROWS), table)


def _copy(raw: Any, chunk: pl.DataFrame, table: str) -> None:
    statement = f"COPY {table} (meter, at, value, received_at, source) FROM STDIN (FORMAT csv)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(chunk.write_csv(include_header=False, datetime_format="%Y-%m-%d %H:%M:%S%.f"))


def _executemany(raw: Any, chunk: pl.DataFrame, table: str) -> None:
    rows = chunk.with_columns(
        pl.col("at", "received_at").dt.strftime("%Y-%m-%d %H:%M:%S.%6f")
    ).rows()
    cursor = raw.cursor()
    try:
        cursor.executemany(
            f"INSERT INTO {table} (meter, at, value, received_at, source) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    finally:
        cursor.close()


def _record_corrections(session: Session) -> int:
    """Staged values that differ from the stored value now in force become corrections."""
    in_force = (
        "COALESCE((SELECT c.value FROM meter_reading_corrections c "
        "WHERE c.meter = r.meter AND c.at = r.at ORDER BY c.id DESC LIMIT 1), r.value)"
    )
    return (
        session.connection()
        .execute(
            text(
                "INSERT INTO meter_reading_corrections "
                "(meter, at, value, previous_value, received_at, source) "
                f"SELECT s.meter, s.at, s.value, {in_force}, s.received_at, s.source "
                f"FROM {_STAGE} s JOIN meter_readings r ON r.meter = s.meter AND r.at = s.at "
                f"WHERE s.value <> {in_force}"
            )
        )
        .rowcount
    )


def _ensure_partitions(session: Session, frame: pl.DataFrame) -> None:
    """Create the month partitions the batch falls in (PostgreSQL only); idempotent."""
    months = frame.select(pl.col("at").dt.truncate("1mo").unique()).to_series().to_list()
    ensure_reading_partitions(session.connection(), months)


def ensure_reading_partitions(connection: Connection, times: Iterable[datetime]) -> None:
    """Create the month partitions of meter_readings that ``times`` fall in; idempotent.

    Every writer of readings on PostgreSQL calls it first (ingest, restore): a row whose
    month has no partition is refused by the database.
    """
    months = sorted({datetime(at.year, at.month, 1) for at in times})
    for start in months:
        end = datetime(start.year + start.month // 12, start.month % 12 + 1, 1)
        name = f"meter_readings_{start:%Y_%m}"
        connection.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF meter_readings "
                f"FOR VALUES FROM ('{start:%Y-%m-%d}') TO ('{end:%Y-%m-%d}')"
            )
        )


def record_dead_letters(session: Session, letters: Iterable[DeadLetter], source: str) -> int:
    """Keep refused messages whole, with why, for someone to read and re-send."""
    now = utcnow()
    rows = [
        MeterDeadLetter(
            received_at=now,
            source=source,
            meter=letter.meter,
            reason_code=letter.reason_code,
            reason=letter.reason,
            payload=letter.payload,
        )
        for letter in letters
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)
