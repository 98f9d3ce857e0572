"""Times are stored in UTC and shown in the reporting time zone, named by one setting."""

from __future__ import annotations

import doctest
from datetime import datetime

import pytest

from esgledger import reporting_time
from esgledger.errors import EsgError
from esgledger.reporting_time import shown_time, to_reporting_time
from esgledger.settings import Settings, load_settings


def test_the_conversion_documents_itself():
    assert doctest.testmod(reporting_time).failed == 0


def test_a_stored_utc_moment_reads_eight_hours_later_in_shanghai():
    local = to_reporting_time(datetime(2024, 6, 30, 20, 0), "Asia/Shanghai")
    assert (local.date().isoformat(), local.hour) == ("2024-07-01", 4)


def test_the_zone_comes_from_the_settings_when_not_given(monkeypatch):
    monkeypatch.setenv(reporting_time.ZONE_ENV, "UTC")
    assert shown_time(datetime(2024, 1, 1, 9, 5)) == "2024-01-01 09:05 UTC"
    monkeypatch.setenv(reporting_time.ZONE_ENV, "Asia/Shanghai")
    assert shown_time(datetime(2024, 1, 1, 9, 5)) == "2024-01-01 17:05 CST"


def test_the_settings_default_to_shanghai_and_refuse_an_unknown_zone(monkeypatch):
    monkeypatch.delenv(reporting_time.ZONE_ENV, raising=False)
    assert Settings().timezone == "Asia/Shanghai"
    with pytest.raises(EsgError, match=r"ESGLEDGER_TIMEZONE.*'Mars/Olympus'.*Asia/Shanghai"):
        load_settings(timezone="Mars/Olympus")
