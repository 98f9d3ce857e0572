"""Early warning: rules as data, alerts opened once, acknowledged, resolved with a cause."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import polars as pl
import pytest

from esgledger.cli.main import main
from esgledger.errors import EsgError
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.readings import write_readings
from esgledger.monitoring.alerts import acknowledge, alert_text, open_alerts, resolve
from esgledger.monitoring.checks import check_day, check_ingested
from esgledger.monitoring.ingest import ingest_messages
from esgledger.monitoring.meters import save_meters
from esgledger.monitoring.rules import Rule, save_rules
from tests.monitoring.conftest import METERS

TZ = "Asia/Shanghai"
DAY = date(2024, 5, 29)  # a Wednesday


def feed(session, meter, first, days, per_interval, jitter=True):
    start = datetime(first.year, first.month, first.day) - timedelta(hours=8)
    ats = [start + timedelta(minutes=15 * n) for n in range(96 * days)]
    values = [per_interval + ((n * 7) % 5 if jitter else 0) for n in range(len(ats))]
    write_readings(session, pl.DataFrame({"meter": meter, "at": ats, "value": values}), "test")


def rules(session, *items):
    save_rules(session, [Rule(entity="SMELT", carrier="electricity", **item) for item in items],
               actor="tester")  # fmt: skip


def test_a_day_ten_times_its_usual_profile_opens_one_alert(plant):
    with unit_of_work(plant) as session:
        rules(session, {"id": "prof", "kind": "profile"})
        feed(session, "SM-E-MAIN", DAY - timedelta(days=28), 28, 100.0)
        feed(session, "SM-E-MAIN", DAY, 1, 1000.0)
        opened = check_day(session, DAY, TZ)
        again = check_day(session, DAY, TZ)
        quiet = check_day(session, DAY - timedelta(days=1), TZ)
    assert opened == ["prof/SM-E-MAIN/2024-05-29"] and again == [] and quiet == []


def test_quota_run_rate_gap_and_stuck_rules(plant):
    with unit_of_work(plant) as session:
        rules(
            session,
            {"id": "q", "kind": "quota", "limit": 5, "unit": "MWh"},
            {"id": "rr", "kind": "run_rate", "limit": 100, "unit": "MWh"},
            {"id": "gap", "kind": "gap"},
            {"id": "stuck", "kind": "stuck"},
        )
        # 9.6 MWh in one flat day; run rate 9.6 / 29 days x 366 = 121 MWh a year
        feed(session, "SM-E-MAIN", DAY, 1, 100.0, jitter=False)
        opened = check_day(session, DAY, TZ)
        gap = check_day(session, DAY + timedelta(days=1), TZ)
    assert sorted(opened) == [
        "gap/SM-E-FURN/2024-05-29",  # the sub-meter sent nothing that day
        "q/SMELT/2024-05-29",
        "rr/SMELT/2024-05",
        "stuck/SM-E-MAIN/2024-05-29",
    ]
    assert "gap/SM-E-MAIN/2024-05-30" in gap


def test_an_alert_is_acknowledged_then_resolved_with_its_cause(plant):
    with unit_of_work(plant) as session:
        rules(session, {"id": "q", "kind": "quota", "limit": 1, "unit": "MWh"})
        feed(session, "SM-E-MAIN", DAY, 1, 100.0)
        [key] = check_day(session, DAY, TZ)
        acknowledge(session, key, actor="wang")
        assert open_alerts(session)[0].payload["status"] == "acknowledged"
        with pytest.raises(EsgError) as refused:
            resolve(session, key, actor="wang", cause="  ")
        assert refused.value.code == "monitor.cause_required"
        resolve(session, key, actor="wang", cause="furnace 2 restarted after relining")
        assert open_alerts(session) == []
        # the condition persists after resolution: a new alert opens
        assert check_day(session, DAY, TZ) == [key]


def test_alerts_are_worded_in_the_readers_language(plant):
    with unit_of_work(plant) as session:
        rules(
            session,
            {"id": "q", "kind": "quota", "limit": 5, "unit": "MWh"},
            {"id": "stuck", "kind": "stuck"},
        )
        # 100 kWh every 15 minutes, flat: 96 x 100 kWh = 9.6 MWh in the day
        feed(session, "SM-E-MAIN", DAY, 1, 100.0, jitter=False)
        check_day(session, DAY, TZ)
        alerts = {a.key.split("/")[0]: a.payload for a in open_alerts(session)}
    quota, stuck = alerts["q"], alerts["stuck"]
    assert quota["message"] == "Electricity: 9.6 MWh used, over the daily quota of 5.0 MWh"
    assert alert_text(quota, "en") == quota["message"]
    assert alert_text(quota, "zh") == "电力：已用 9.6 MWh，超过日定额 5.0 MWh"
    assert alert_text(stuck, "zh") == "SM-E-MAIN：同一读数 100.0 连续出现 96 次；请检查仪表"


def messages(meter, first, intervals, per_interval, start=0):
    """The readings of ``intervals`` quarter hours of local day ``first`` as API messages."""
    at = datetime(first.year, first.month, first.day)
    return [
        json.dumps({"meter": meter, "value": per_interval,
                    "at": f"{at + timedelta(minutes=15 * n):%Y-%m-%dT%H:%M:%S}+08:00"})
        for n in range(start, start + intervals)
    ]  # fmt: skip


def test_a_day_in_progress_is_judged_by_the_batch_that_ends_it(plant):
    # a live feed sends a day in many batches; a half day looks like a drop and a gap
    with unit_of_work(plant) as session:
        rules(session, {"id": "prof", "kind": "profile"}, {"id": "gap", "kind": "gap"})
        feed(session, "SM-E-MAIN", DAY - timedelta(days=28), 28, 100.0)
        feed(session, "SM-E-FURN", DAY - timedelta(days=28), 28, 40.0)
        first_half = messages("SM-E-MAIN", DAY, 48, 1000.0) + messages("SM-E-FURN", DAY, 48, 40.0)
        in_progress = check_ingested(session, ingest_messages(session, first_half, "api"), TZ)
        # the furnace's meter went quiet at noon: its day may still be coming in
        rest = messages("SM-E-MAIN", DAY, 48, 1000.0, start=48)
        main_complete = check_ingested(session, ingest_messages(session, rest, "api"), TZ)
        # readings of the next day end the day
        tomorrow = messages("SM-E-MAIN", DAY + timedelta(days=1), 4, 100.0)
        next_day = check_ingested(session, ingest_messages(session, tomorrow, "api"), TZ)
    assert in_progress == [] and main_complete == []
    assert sorted(next_day) == [
        "gap/SM-E-FURN/2024-05-29",
        "prof/SM-E-FURN/2024-05-29",  # half its usual day
        "prof/SM-E-MAIN/2024-05-29",
    ]


def test_the_feed_leaves_a_resolved_alert_resolved_until_its_figures_change(plant):
    with unit_of_work(plant) as session:
        rules(session, {"id": "prof", "kind": "profile"})
        feed(session, "SM-E-MAIN", DAY - timedelta(days=28), 28, 100.0)
        day = messages("SM-E-MAIN", DAY, 96, 1000.0)  # complete: judged at once
        [key] = check_ingested(session, ingest_messages(session, day, "api"), TZ)
        resolve(session, key, actor="wang", cause="furnace relining, agreed with the plant")
        # the next day's batches check the day before again, over the same readings
        tomorrow = messages("SM-E-MAIN", DAY + timedelta(days=1), 4, 100.0)
        same = check_ingested(session, ingest_messages(session, tomorrow, "api"), TZ)
        corrected = [json.dumps({"meter": "SM-E-MAIN", "at": "2024-05-29T23:45:00+08:00",
                                 "value": 5000.0})]  # fmt: skip
        changed = check_ingested(session, ingest_messages(session, corrected, "api"), TZ)
    assert same == [] and changed == [key]


def test_an_alert_raised_before_texts_were_coded_says_its_message():
    legacy = {"kind": "quota", "message": "electricity 9.6 MWh over the day quota 5.0"}
    assert alert_text(legacy, "zh") == legacy["message"]


def test_the_command_line_words_alerts_in_the_chosen_language(file_ledger, capsys):
    url = file_ledger
    database = open_database(url)
    with unit_of_work(database) as session:
        save_meters(session, METERS, actor="tester")
        rules(session, {"id": "q", "kind": "quota", "limit": 5, "unit": "MWh"})
        feed(session, "SM-E-MAIN", DAY, 1, 100.0, jitter=False)
        check_day(session, DAY, TZ)
    database.dispose()
    assert main(["--lang", "zh", "monitor", "alerts", "--db", url]) == 0
    assert "超过日定额 5.0 MWh" in capsys.readouterr().out
