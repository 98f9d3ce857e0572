"""Times are stored in UTC and shown in the reporting time zone: the one conversion.

The ledger keeps every moment as UTC without a zone (``ledger.database.utc_now``), so
both databases store it alike and the audit chain hashes one text. A reader in Baotou
thinks in China Standard Time, though: the web pages, the audit log, the report and the
command line all show times through :func:`to_reporting_time`, in the zone the settings
name (``ESGLEDGER_TIMEZONE``, a tz database name; Asia/Shanghai unless told otherwise, as
the platform's first users report in China).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from esgledger.errors import EsgError

ZONE_ENV = "ESGLEDGER_TIMEZONE"


@cache
def zone_named(name: str) -> ZoneInfo:
    """The tz database zone ``name``; a name it does not know is the user's error.

    >>> zone_named("Asia/Shanghai").key
    'Asia/Shanghai'
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise EsgError.coded("database.time_zone", variable=ZONE_ENV, name=name) from exc


def reporting_zone(name: str | None = None) -> ZoneInfo:
    """The zone times are shown in: ``name`` when given, else the ``timezone`` setting."""
    return zone_named(name or configured_zone())


def configured_zone() -> str:
    """The ``timezone`` setting, read from the environment on each call: a caller showing
    many times (a table of audit entries) reads it once and passes it on."""
    from esgledger.settings import load_settings  # pydantic-settings: only when a time shows

    return load_settings().timezone


def to_reporting_time(moment: datetime, zone: str | None = None) -> datetime:
    """A stored moment (UTC, with or without tzinfo) in the reporting time zone.

    >>> to_reporting_time(datetime(2024, 12, 31, 17, 30), "Asia/Shanghai").isoformat()
    '2025-01-01T01:30:00+08:00'
    """
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(reporting_zone(zone))


def shown_time(moment: datetime | None, zone: str | None = None, seconds: bool = False) -> str:
    """A stored moment as people read it: local date and time with the zone's abbreviation.

    >>> shown_time(datetime(2024, 12, 31, 17, 30), "Asia/Shanghai")
    '2025-01-01 01:30 CST'
    >>> shown_time(None)
    '—'
    """
    if moment is None:
        return "—"
    local = to_reporting_time(moment, zone)
    return local.strftime("%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z")
