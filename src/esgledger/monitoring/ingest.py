"""Taking readings in: MQTT messages, API bodies and CSV files become one checked batch.

Every way in ends at :func:`ingest_batch`: the parsed readings, each tagged with the
message it came from, are checked over whole columns (known meter, plausible value,
not dated in the future); a message with any bad reading goes whole to the dead letters
with the reason, so nothing is lost and nothing half-applied. The good readings are
written in the same transaction (``ledger.readings.write_readings``).

Message forms (JSON): ``{"meter": "M1", "at": "2024-05-01T08:15:00+08:00", "value": 3.2}``
or ``{"meter": "M1", "readings": [["2024-05-01T08:15:00+08:00", 3.2], ...]}``. A time
without an offset is taken as UTC.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import polars as pl
import yaml
from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.readings import (
    DeadLetter,
    WrittenReadings,
    record_dead_letters,
    write_readings,
)
from esgledger.monitoring.meters import Meter, load_meters

DATA = Path(__file__).parent / "data"
_PARSED = {"message": pl.Int64, "meter": pl.Utf8, "at": pl.Datetime("us"), "value": pl.Float64}


@cache
def limits() -> dict:
    """The checks' limits (data/checks.yaml), read once."""
    return yaml.safe_load((DATA / "checks.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class IngestOutcome:
    """What became of a batch: readings written and messages refused."""

    written: WrittenReadings
    dead_letters: int
    meters: frozenset[str] = field(default_factory=frozenset)
    first_at: datetime | None = None
    last_at: datetime | None = None


class BadMessage(ValueError):
    """A message that is not readings; ``code`` names the reason for the dead letters."""

    def __init__(self, code: str, reason: str, meter: str | None = None) -> None:
        super().__init__(reason)
        self.code, self.reason, self.meter = code, reason, meter


def parse_message(payload: str) -> list[tuple[str, datetime, float]]:
    """One message's readings as (meter, at in UTC, value); BadMessage when malformed."""
    try:
        body = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadMessage("monitor.malformed", f"not JSON: {exc}") from None
    if not isinstance(body, dict) or not isinstance(body.get("meter"), str):
        raise BadMessage("monitor.malformed", 'not an object with a "meter" text')
    pairs = body.get("readings", [[body.get("at"), body.get("value")]])
    if not isinstance(pairs, list) or len(pairs) > limits()["ingest"]["max_readings_per_message"]:
        raise BadMessage("monitor.malformed", '"readings" is not a list of [time, value]')
    return [_reading(body["meter"], pair) for pair in pairs]


def _reading(meter: str, pair: object) -> tuple[str, datetime, float]:
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        raise BadMessage("monitor.malformed", f"{pair!r} is not [time, value]", meter)
    at, value = pair
    try:
        moment = datetime.fromisoformat(str(at))
    except ValueError:
        raise BadMessage("monitor.malformed", f"time {at!r} is not ISO 8601", meter) from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadMessage("monitor.malformed", f"value {value!r} is not a number", meter)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return meter, moment, float(value)


def ingest_messages(session: Session, payloads: list[str], source: str) -> IngestOutcome:
    """Parse, check and store a batch of messages (MQTT payloads, API bodies)."""
    rows: list[tuple[int, str, datetime, float]] = []
    letters: list[DeadLetter] = []
    for number, payload in enumerate(payloads):
        try:
            rows.extend((number, *reading) for reading in parse_message(payload))
        except BadMessage as bad:
            letters.append(DeadLetter(payload, bad.code, bad.reason, bad.meter))
    parsed = pl.DataFrame(rows, schema=_PARSED, orient="row")
    return ingest_batch(session, parsed, payloads.__getitem__, source, letters)


def ingest_batch(
    session: Session,
    parsed: pl.DataFrame,
    payload_of: Callable[[int], str],
    source: str,
    letters: list[DeadLetter] | None = None,
) -> IngestOutcome:
    """Check parsed readings and store them; ``payload_of(message)`` gives a refused
    message's original text (column ``message`` numbers the messages)."""
    letters = list(letters or [])
    meters = load_meters(session)
    problems = reading_problems(parsed, meters)
    refused = problems.unique(subset="message", keep="first", maintain_order=True)
    for message, meter, code, reason in refused.iter_rows():
        letters.append(DeadLetter(payload_of(message), code, reason, meter))
    good = parsed.filter(~pl.col("message").is_in(refused["message"].implode()))
    written = write_readings(session, good, source)
    if letters:
        record_dead_letters(session, letters, source)
    return IngestOutcome(
        written, len(letters), frozenset(good["meter"].unique().to_list()),
        good["at"].min(), good["at"].max(),
    )  # fmt: skip


def reading_problems(parsed: pl.DataFrame, meters: dict[str, Meter]) -> pl.DataFrame:
    """Per bad reading: message, meter, reason code and reason, computed over columns."""
    table = _meter_table(meters)
    joined = parsed.join(table, on="meter", how="left")
    future = datetime.now(UTC).replace(tzinfo=None) + timedelta(
        hours=limits()["ingest"]["max_future_hours"]
    )
    text = {name: pl.col(name).cast(pl.Utf8) for name in ("meter", "value", "at")}
    checks = [
        (
            pl.col("known").is_null(),
            "monitor.unknown_meter",
            pl.format("no meter {} in the registry", text["meter"]),
        ),
        (
            pl.col("value") < 0,
            "monitor.out_of_range",
            pl.format("value {} below zero", text["value"]),
        ),
        (
            (pl.col("reading") == "interval") & (pl.col("value") > pl.col("max_per_interval")),
            "monitor.out_of_range",
            pl.format(
                "value {} above the meter's plausible maximum {}",
                text["value"],
                pl.col("max_per_interval"),
            ),
        ),
        (
            pl.col("at") > future,
            "monitor.future",
            pl.format("time {} is in the future", text["at"]),
        ),
    ]
    found = [
        joined.filter(condition.fill_null(False)).select(
            "message", "meter", pl.lit(code).alias("code"), reason.alias("reason")
        )
        for condition, code, reason in checks
    ]
    return pl.concat(found).sort("message")


def _meter_table(meters: dict[str, Meter]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "meter": list(meters),
            "known": [True] * len(meters),
            "reading": [m.reading for m in meters.values()],
            "max_per_interval": [m.max_per_interval for m in meters.values()],
        },
        schema={"meter": pl.Utf8, "known": pl.Boolean, "reading": pl.Utf8,
                "max_per_interval": pl.Float64},
    )  # fmt: skip


def ingest_csv(session: Session, path: Path, source: str = "file") -> IngestOutcome:
    """Readings from a CSV file with columns meter, at, value; each row is one message."""
    frame = _read_reading_csv(path)
    parsed = frame.with_row_index("message").select(
        pl.col("message").cast(pl.Int64),
        "meter",
        pl.col("at").str.to_datetime(time_zone="UTC", strict=False).dt.replace_time_zone(None)
        .dt.cast_time_unit("us"),
        pl.col("value").str.strip_chars().cast(pl.Float64, strict=False),
    )  # fmt: skip
    broken = parsed.filter(pl.any_horizontal(pl.all().is_null()))

    def payload_of(message: int) -> str:
        return ",".join(str(cell) for cell in frame.row(message))

    letters = [
        DeadLetter(payload_of(n), "monitor.malformed", "a cell is empty or not a time/number", m)
        for n, m in broken.select("message", "meter").iter_rows()
    ]
    good = parsed.filter(~pl.col("message").is_in(broken["message"].implode()))
    return ingest_batch(session, good, payload_of, source, letters)


def _read_reading_csv(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise EsgError(
            f"{path}: cannot read the readings file ({exc}); give a CSV with columns "
            "meter, at, value",
            code="monitor.reading_file",
            params={"file": str(path), "detail": str(exc)},
        ) from None
    missing = {"meter", "at", "value"} - set(frame.columns)
    if missing:
        raise EsgError(
            f"{path}: the columns {sorted(missing)} are missing; the header must name "
            "meter, at, value",
            code="monitor.reading_columns",
            params={"file": str(path), "missing": ", ".join(sorted(missing))},
        )
    return frame.select("meter", "at", "value")
