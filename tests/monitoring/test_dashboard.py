"""A site's energy dashboard from its meters, against figures worked by hand: the day's
load profile beside its usual day, day totals, months metered beside the ledger, and the
sub-meters' shares."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from esgledger.catalog import load_catalog
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.monitoring.dashboard import site_dashboard
from esgledger.monitoring.meters import load_meters
from tests.monitoring.test_early_warning import feed

TZ = "Asia/Shanghai"
DAY = date(2024, 5, 29)  # a Wednesday


@pytest.fixture
def board(plant, write_csv):
    """28 days of the main meter at 100 kWh a quarter hour (no jitter), then DAY at 200;
    the furnace sub-meter at 30 kWh a quarter hour on DAY only; the ledger's May at 300 MWh."""
    catalog = load_catalog()
    rows = [("SMELT", "2024-05", "energy.purchased_electricity", "300", "MWh", "")]
    with unit_of_work(plant) as session:
        import_file(session, write_csv("may.csv", rows), "tester", catalog)
        feed(session, "SM-E-MAIN", DAY - timedelta(days=28), 28, 100.0, jitter=False)
        feed(session, "SM-E-MAIN", DAY, 1, 200.0, jitter=False)
        feed(session, "SM-E-FURN", DAY, 1, 30.0, jitter=False)
        return site_dashboard(session, catalog, load_meters(session), "electricity", DAY, TZ)


def test_the_load_profile_sets_each_hour_beside_the_usual_day(board):
    # an hour is four quarter hours: 4 x 200 = 800 kWh on the day, 4 x 100 = 400 usually
    assert board.unit == "kWh" and board.profile.height == 24
    assert set(board.profile["load"]) == {800.0} and set(board.profile["usual"]) == {400.0}


def test_day_totals_are_the_main_meters_sum(board):
    # 96 quarter hours x 100 kWh = 9,600 kWh a day; DAY 19,200 kWh; the sub-meter is inside
    totals = dict(board.days.select("day", "total").rows())
    assert totals[DAY] == 19_200.0 and totals[DAY - timedelta(days=1)] == 9_600.0
    assert board.days.height == 31


def test_the_month_is_set_beside_the_ledger_and_marked_as_to_date(board):
    # the feed starts 28 days before DAY, on 1 May at 00:00 local: 1-28 May at 9,600 kWh
    # and DAY at 19,200 kWh; the month is only to DAY
    may = board.months.filter(board.months["month"] == "2024-05").row(0, named=True)
    assert may["metered"] == pytest.approx(28 * 9_600 + 19_200)
    assert may["ledger"] == pytest.approx(300_000.0)  # 300 MWh in the meter's kWh
    assert may["complete"] is False
    april = board.months.filter(board.months["month"] == "2024-04").row(0, named=True)
    assert april["metered"] is None and april["ledger"] is None


def test_top_consumers_are_shares_of_the_month_and_the_rest_is_not_sub_metered(board):
    # the furnace: 96 x 30 = 2,880 kWh of the month's 288,000 kWh = 1.0 %
    furnace, rest = board.consumers.rows(named=True)
    assert (furnace["meter"], furnace["total"]) == ("SM-E-FURN", 2_880.0)
    assert furnace["share"] == pytest.approx(0.01)
    assert rest["meter"] is None and rest["total"] == pytest.approx(288_000 - 2_880)
