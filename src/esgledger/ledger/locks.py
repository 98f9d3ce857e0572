"""Locked periods: which exist, and whether a period falls under one.

Kept apart from the calendar, which locks periods through revisions, so that the revision
functions themselves can refuse writes into a locked period.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.schema import PeriodLock
from esgledger.periods import Period


class LockError(EsgError):
    """A period that cannot be locked yet, or a write into a locked period."""


def locked_periods(session: Session) -> list[Period]:
    return [Period.parse(text) for text in session.scalars(select(PeriodLock.period))]


def is_locked(period: Period, locks: list[Period]) -> bool:
    """A month is locked when its month or its year is; a year when it or any month is."""
    return any(lock.contains(period) or period.contains(lock) for lock in locks)
