"""The readings store: bulk, idempotent, corrections kept, month partitions on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
from sqlalchemy import text

from esgledger.ledger.database import unit_of_work
from esgledger.ledger.readings import DeadLetter, record_dead_letters, write_readings
from esgledger.ledger.reads.readings import dead_letters, readings_frame

START = datetime(2024, 1, 31, 23, 0)


def batch(values, meter="M1", start=START):
    ats = [start + timedelta(minutes=15 * n) for n in range(len(values))]
    return pl.DataFrame({"meter": [meter] * len(values), "at": ats, "value": values})


def write(database, frame, source="test"):
    with unit_of_work(database) as session:
        return write_readings(session, frame, source)


def stored(database):
    with unit_of_work(database) as session:
        return readings_frame(session, datetime(2024, 1, 1), datetime(2024, 3, 1))


def test_a_batch_sent_twice_is_stored_once(database):
    first = write(database, batch([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    again = write(database, batch([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    assert (first.inserted, first.corrected) == (6, 0)
    assert (again.inserted, again.corrected, again.repeated) == (0, 0, 6)
    assert stored(database)["value"].to_list() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]


def test_a_differing_resend_is_a_correction_and_the_first_value_is_kept(database):
    write(database, batch([1.0, 2.0, 3.0]))
    result = write(database, batch([1.0, 20.0, 3.0]))
    repeat = write(database, batch([1.0, 20.0, 3.0]))
    assert (result.inserted, result.corrected, repeat.corrected) == (0, 1, 0)
    assert stored(database)["value"].to_list() == [1.0, 20.0, 3.0]
    with unit_of_work(database) as session:
        kept = session.execute(text("SELECT value FROM meter_readings ORDER BY at")).scalars()
        assert list(kept) == [1.0, 2.0, 3.0]
        previous = session.execute(
            text("SELECT previous_value, value FROM meter_reading_corrections")
        ).all()
    assert [tuple(row) for row in previous] == [(2.0, 20.0)]


def test_late_and_out_of_order_readings_land_in_time_order(database):
    write(database, batch([3.0], start=START + timedelta(minutes=30)))
    write(database, batch([1.0, 2.0]))
    assert stored(database)["value"].to_list() == [1.0, 2.0, 3.0]


def test_postgresql_keeps_readings_in_month_partitions(database):
    write(database, batch([1.0] * 8))
    with unit_of_work(database) as session:
        if session.connection().dialect.name != "postgresql":
            return
        names = session.execute(
            text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'meter_readings'::regclass ORDER BY 1"
            )
        ).scalars()
        assert list(names) == ["meter_readings_2024_01", "meter_readings_2024_02"]


def test_dead_letters_keep_the_message_and_the_reason(database):
    with unit_of_work(database) as session:
        record_dead_letters(
            session, [DeadLetter("{not json", "monitor.malformed", "not JSON")], "mqtt"
        )
    with unit_of_work(database) as session:
        [letter] = dead_letters(session)
        assert (letter.payload, letter.reason_code, letter.source) == (
            "{not json",
            "monitor.malformed",
            "mqtt",
        )
