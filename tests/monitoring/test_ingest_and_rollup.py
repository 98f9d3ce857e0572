"""Readings in (messages, files), bad ones to the dead letters, rolled up to draft values."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import polars as pl

from esgledger.catalog import load_catalog
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.readings import dead_letters, readings_frame
from esgledger.ledger.reads.records import current_record
from esgledger.ledger.revisions import Selection, latest_revisions
from esgledger.monitoring.ingest import ingest_csv, ingest_messages
from esgledger.monitoring.meters import Meter, Replacement, load_meters, save_meters
from esgledger.monitoring.rollup import day_totals, interval_consumption, roll_up

TZ = "Asia/Shanghai"


def message(meter, at, value):
    return json.dumps({"meter": meter, "at": at, "value": value})


def stored(session):
    return readings_frame(session, datetime(2000, 1, 1), datetime(2100, 1, 1))


def test_bad_messages_go_whole_to_the_dead_letters_and_good_ones_are_kept(plant):
    batch = [
        message("SM-E-MAIN", "2024-05-01T00:00:00+08:00", 100.0),
        "{not json",
        message("NO-SUCH", "2024-05-01T00:00:00+08:00", 1.0),
        json.dumps({"meter": "SM-E-MAIN", "readings": [
            ["2024-05-01T00:15:00+08:00", 100.0], ["2024-05-01T00:30:00+08:00", 900_000.0]]}),
        message("SM-E-MAIN", "2024-05-01T00:45:00+08:00", -3),
    ]  # fmt: skip
    with unit_of_work(plant) as session:
        outcome = ingest_messages(session, batch, "mqtt")
    with unit_of_work(plant) as session:
        letters = {letter.reason_code for letter in dead_letters(session)}
        kept = stored(session)
    assert (outcome.written.inserted, outcome.dead_letters) == (1, 4)
    assert letters == {
        "monitor.malformed",
        "monitor.unknown_meter",
        "monitor.out_of_range",
    }
    # the message with one implausible reading is refused whole: its good reading too
    assert kept["at"].to_list() == [datetime(2024, 4, 30, 16, 0)]


def test_a_counter_rolls_over_and_a_replaced_meter_keeps_counting():
    at = [datetime(2024, 5, 1, 0, 15 * n) for n in range(4)]
    meters = {
        "G": Meter(code="G", entity="X", carrier="natural_gas", unit="Nm3", reading="counter",
                   rollover=1000, replacements=(Replacement(at=at[3] - timedelta(minutes=5),
                                                            final_reading=30, start_reading=5),)),
    }  # fmt: skip
    readings = pl.DataFrame({"meter": ["G"] * 4, "at": at, "value": [990.0, 10.0, 25.0, 12.0]})
    used = interval_consumption(readings, meters)["consumption"].to_list()
    # rollover: 990 -> 10 is 20; replacement: (30 - 25) + (12 - 5) = 12
    assert used == [None, 20.0, 15.0, 12.0]


def test_a_rollup_becomes_draft_observations_with_lineage(plant, tmp_path):
    start = datetime(2024, 4, 30, 16, 0)  # 2024-05-01 00:00 in Shanghai
    rows = [("SM-E-MAIN", (start + timedelta(minutes=15 * n)).isoformat() + "Z", "250")
            for n in range(96 * 31 - 4)]  # one hour missing  # fmt: skip
    path = tmp_path / "may.csv"
    pl.DataFrame(rows, schema=["meter", "at", "value"], orient="row").write_csv(path)
    catalog = load_catalog()
    with unit_of_work(plant) as session:
        ingest_csv(session, path)
        [rolled] = roll_up(session, "2024-05", actor="tester", catalog=catalog, tz=TZ)
        again = roll_up(session, "2024-05", actor="tester", catalog=catalog, tz=TZ)
    with unit_of_work(plant) as session:
        [revision] = latest_revisions(session, Selection(["SMELT"], ["2024-05"]))
        lineage = current_record(session, "monitoring.rollups",
                                 "SMELT/energy.purchased_electricity/2024-05")  # fmt: skip
    assert (revision.status, revision.canonical_value) == ("draft", 250 * (96 * 31 - 4) / 1000)
    assert (rolled.readings, rolled.missing) == (96 * 31 - 4, 4)
    assert lineage.payload["meters"] == ["SM-E-MAIN"] and lineage.payload["missing"] == 4
    assert lineage.version == 1 and again == [rolled]


def test_day_totals_follow_the_local_day_and_count_missing_readings(plant):
    with unit_of_work(plant) as session:
        ingest_messages(
            session,
            [
                message("SM-E-FURN", "2024-05-01T23:45:00+08:00", 7.0),
                message("SM-E-FURN", "2024-05-02T00:00:00+08:00", 9.0),
            ],
            "api",
        )
        days = day_totals(session, date(2024, 5, 1), date(2024, 5, 2), TZ,
                          {"SM-E-FURN": load_meters(session)["SM-E-FURN"]})  # fmt: skip
    assert days.select("day", "total", "readings", "missing").rows() == [
        (date(2024, 5, 1), 7.0, 1, 95), (date(2024, 5, 2), 9.0, 1, 95)]  # fmt: skip


def test_saving_the_same_meters_again_adds_no_version(plant):
    with unit_of_work(plant) as session:
        assert save_meters(session, list(load_meters(session).values()), actor="tester") == 0
