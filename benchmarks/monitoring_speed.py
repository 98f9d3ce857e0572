"""Monitoring at scale: a month of 15-minute readings in and rolled up; MQTT to alert.

Run:  .venv/bin/python benchmarks/monitoring_speed.py [--meters N] [--days D]
          [--backend postgresql|sqlite] [--repeats R] [--rate MSG_PER_S] [--seconds S]

1. Ingest. N meters (default 10,000) of one entity, D days (default 31: May 2024) of
   15-minute readings: N x 96 x D rows (29.8 million by default). Timed: the monitoring
   path (checks over columns, staging by COPY, corrections check, insert into the month
   partition, then the month's rollup to draft observations with lineage) against a raw
   bulk insert of the same rows (COPY into a plain table with the same primary key) in
   the same run and database. Budget: ratio <= 2. Each repeat uses a fresh database.
2. Latency. A listener on the real broker (127.0.0.1:1883) while a publisher sends
   single-reading messages at RATE per second (default 2,000) for S seconds; in the last
   second one reading passes a daily quota. Timed: from that message's publish to its
   alert being committed. Budget: < 5 s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import polars as pl
from scratch_schema import scratch_schema_database
from sqlalchemy import Engine, text

from esgledger.catalog import load_catalog
from esgledger.ledger import calendar
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.orgstore import save_entities
from esgledger.monitoring.ingest import ingest_batch
from esgledger.monitoring.listen import Listener
from esgledger.monitoring.meters import Meter, save_meters
from esgledger.monitoring.rollup import roll_up
from esgledger.monitoring.rules import Rule, save_rules
from esgledger.org import Entity

TZ = "UTC"  # days and months in UTC: the generated month is exactly May 2024
FIRST = datetime(2024, 5, 1)
ENTITY = Entity(code="PLANT", name_en="Plant", name_zh="工厂", kind="group", grid_region="national")


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[Engine]:
    if backend == "postgresql":
        with scratch_schema_database() as database:
            migrate(database)
            yield database
        return
    path = folder / f"bench-{uuid.uuid4().hex[:8]}.db"
    database = open_database(f"sqlite:///{path}")
    migrate(database)
    yield database
    database.dispose()
    path.unlink()


def prepare(database: Engine, meters: int) -> None:
    """The entity, the year, and N main meters feeding purchased electricity."""
    with unit_of_work(database) as session:
        calendar.open_years(session, "bench", [2024])
        save_entities(session, "bench", [ENTITY])
        save_meters(session, [_meter(n) for n in range(meters)], actor="bench")


def _meter(n: int) -> Meter:
    return Meter(code=f"M{n:05d}", entity="PLANT", carrier="electricity", unit="kWh",
                 indicator="energy.purchased_electricity", max_per_interval=1e6)  # fmt: skip


def readings(meters: int, days: int) -> pl.DataFrame:
    """Every meter's 15-minute readings for ``days`` days from May 1, built over columns."""
    per_meter = 96 * days
    frame = pl.DataFrame({"message": pl.int_range(0, meters * per_meter, eager=True)})
    return frame.select(
        "message",
        meter=pl.lit("M") + (pl.col("message") // per_meter).cast(pl.Utf8).str.zfill(5),
        at=pl.lit(FIRST) + pl.duration(minutes=(pl.col("message") % per_meter) * 15),
        value=((pl.col("message") * 7) % 13).cast(pl.Float64) + 20.0,
    ).with_columns(pl.col("at").dt.cast_time_unit("us"))


def raw_insert(database: Engine, frame: pl.DataFrame) -> float:
    """The baseline: the same rows straight into a plain table with the same key."""
    with unit_of_work(database) as session:
        connection = session.connection()
        connection.execute(
            text(
                "CREATE TABLE raw_readings (meter VARCHAR(80), at TIMESTAMP, "
                "value DOUBLE PRECISION, received_at TIMESTAMP, source VARCHAR(40), "
                "PRIMARY KEY (meter, at))"
            )
        )
        rows = frame.select(
            "meter", "at", "value", received_at=pl.lit(datetime(2024, 6, 1)), source=pl.lit("raw")
        )
        raw = connection.connection.dbapi_connection
        started = time.monotonic()
        if connection.dialect.name == "postgresql":
            for start in range(0, rows.height, 200_000):
                chunk = rows.slice(start, 200_000).write_csv(include_header=False)
                with (
                    raw.cursor() as cursor,
                    cursor.copy("COPY raw_readings FROM STDIN (FORMAT csv)") as copy,
                ):
                    copy.write(chunk)
        else:
            text_rows = rows.with_columns(pl.col("at", "received_at").dt.strftime("%F %T%.6f"))
            cursor = raw.cursor()
            cursor.executemany("INSERT INTO raw_readings VALUES (?, ?, ?, ?, ?)", text_rows.rows())
            cursor.close()
    return time.monotonic() - started


def monitored_insert(database: Engine, frame: pl.DataFrame) -> tuple[float, float, float]:
    """The monitoring path: checked ingest, then the month's rollup; seconds of each, total."""
    catalog = load_catalog()
    started = time.monotonic()
    with unit_of_work(database) as session:
        outcome = ingest_batch(session, frame, lambda n: str(n), "bench")
    ingested = time.monotonic()
    with unit_of_work(database) as session:
        rolled = roll_up(session, "2024-05", actor="bench", catalog=catalog, tz=TZ)
    done = time.monotonic()
    expected = float(frame["value"].sum()) / 1000  # kWh -> MWh
    assert outcome.written.inserted == frame.height, outcome
    assert abs(rolled[0].value - expected) < 1e-6 * expected, (rolled[0].value, expected)
    return ingested - started, done - ingested, expected


def ingest_bench(backend: str, meters: int, days: int, repeats: int, folder: Path) -> float:
    """Print the ingest figures; returns the median ratio."""
    frame = readings(meters, days)
    print(f"ingest on {backend}: {meters:,} meters x {days} days = {frame.height:,} readings")
    ratios = []
    for repeat in range(repeats):
        with fresh_database(backend, folder) as database:
            prepare(database, meters)
            baseline = raw_insert(database, frame)
            ingest, rollup, _ = monitored_insert(database, frame)
        ratio = (ingest + rollup) / baseline
        ratios.append(ratio)
        label = "first" if repeat == 0 else "warm "
        print(f"  {label} raw COPY {baseline:7.2f} s | ingest {ingest:7.2f} s + rollup "
              f"{rollup:6.2f} s | ratio {ratio:.2f} | {frame.height / (ingest + rollup):,.0f} "
              "readings/s")  # fmt: skip
    spread = max(ratios) - min(ratios)
    print(f"  ratio median {statistics.median(ratios):.2f} (spread {spread:.2f}); budget <= 2")
    return statistics.median(ratios)


def latency_bench(backend: str, rate: int, seconds: float, folder: Path) -> float:
    """Publish at ``rate`` for ``seconds``; the seconds from the tripping message to its alert."""
    meters, total = 100, int(rate * seconds)
    with fresh_database(backend, folder) as database:
        prepare(database, meters)
        with unit_of_work(database) as session:
            quota = Rule(id="quota", entity="PLANT", carrier="electricity", kind="quota",
                         limit=500, unit="MWh")  # fmt: skip
            save_rules(session, [quota], actor="bench")
        tag = uuid.uuid4().hex[:8]
        listener = Listener(database, tz=TZ, client_id=f"bench-{tag}", topic=f"bench/{tag}/#")
        stop = threading.Event()
        listener.start()
        listener.connected.wait(10)
        worker = threading.Thread(target=listener.run, args=(stop,), daemon=True)
        worker.start()
        try:
            tripped_at, sent_for = _publish_elsewhere(f"bench/{tag}/feed", rate, total, meters)
            latency = _wait_for_alert(listener, tripped_at, timeout=60)
            caught_up = _wait_for(lambda: listener.stats.messages >= total, 120)
        finally:
            stop.set()
            worker.join(30)
            listener.stop()
    print(f"latency on {backend}: {total:,} messages at {rate:,}/s (sent in {sent_for:.2f} s); "
          f"message to alert {latency:.2f} s (budget < 5 s); all stored "
          f"{caught_up - tripped_at:.2f} s after the tripping message")  # fmt: skip
    return latency


def _publish_elsewhere(topic: str, rate: int, total: int, meters: int) -> tuple[float, float]:
    """Publish from another process, as a plant's gateway would (not sharing our GIL)."""
    results: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=_publish_paced, args=(topic, rate, total, meters, results)
    )
    process.start()
    tripped_at, sent_for = results.get(timeout=total / rate + 60)
    process.join(30)
    return tripped_at, sent_for


def _publish_paced(
    topic: str, rate: int, total: int, meters: int, results: multiprocessing.Queue
) -> None:
    """Publish at ``rate``; puts when the tripping message left (monotonic clock) and the
    seconds the whole feed took."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(65535)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", 1883)
    client.loop_start()
    started, tripped_at, last = time.monotonic(), 0.0, None
    for n in range(total):
        trip = n == total - int(rate * 0.5)  # half a second before the end
        at = FIRST + timedelta(minutes=15 * (n // meters))
        body = {"meter": f"M{n % meters:05d}", "at": at.isoformat() + "Z",
                "value": 600_000.0 if trip else 1.0}  # fmt: skip
        last = client.publish(topic, json.dumps(body), qos=1)
        if trip:
            tripped_at = time.monotonic()
        ahead = (n + 1) / rate - (time.monotonic() - started)
        if ahead > 0:
            time.sleep(ahead)
    sent_for = time.monotonic() - started
    if last is not None:
        last.wait_for_publish(30)
    client.loop_stop()
    client.disconnect()
    results.put((tripped_at, sent_for))


def _wait_for(condition, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(0.01)
    raise SystemExit(f"gave up after {timeout} s")


def _wait_for_alert(listener: Listener, tripped_at: float, timeout: float) -> float:
    return _wait_for(lambda: bool(listener.stats.alerts), timeout) - tripped_at


def main(argv: list[str]) -> dict[str, float]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meters", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--rate", type=int, default=2_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args(argv)
    with tempfile_folder() as folder:
        ratio = ingest_bench(args.backend, args.meters, args.days, args.repeats, folder)
        latency = None
        if not args.skip_latency:
            latency = latency_bench(args.backend, args.rate, args.seconds, folder)
    return {"ratio": ratio, "latency": latency if latency is not None else float("nan")}


@contextmanager
def tempfile_folder() -> Iterator[Path]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


if __name__ == "__main__":
    main(sys.argv[1:])
