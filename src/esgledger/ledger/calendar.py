"""The reporting calendar (which years the ledger accepts) and period locks."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import Joined, Phrase
from esgledger.ledger import audit
from esgledger.ledger.chain import hold_write_lock
from esgledger.ledger.database import utcnow
from esgledger.ledger.locks import LockError, is_locked, locked_periods
from esgledger.ledger.revisions import (
    APPROVED,
    LOCKED,
    Selection,
    append,
    latest_revisions,
    open_changeset,
    successor,
)
from esgledger.ledger.schema import PeriodLock, ReportingYear, Revision
from esgledger.periods import Granularity, Period

# the lock checks live in locks.py (revisions use them); callers may import them from here
__all__ = [
    "LockError",
    "is_locked",
    "lock_period",
    "locked_periods",
    "open_years",
    "reporting_years",
]


def reporting_years(session: Session) -> list[int]:
    return list(session.scalars(select(ReportingYear.year).order_by(ReportingYear.year)))


def open_years(session: Session, author: str, years: list[int]) -> list[int]:
    """Add years to the calendar; returns the ones that were new."""
    new = sorted(set(years) - set(reporting_years(session)))
    session.add_all(ReportingYear(year=year) for year in new)
    if new:
        audit.record(session, author, "calendar.open", {"years": new})
    return new


def lock_period(session: Session, author: str, period_text: str) -> int:
    """Lock a year or a month once every observation in it is approved.

    Returns:
        The number of observations locked.

    Raises:
        LockError: the period is already locked or holds unapproved observations.
    """
    period = Period.parse(period_text)
    if period.granularity is Granularity.QUARTER:
        raise LockError.coded("workflow.lock_quarter", period=period)
    hold_write_lock(session)  # no value of the period can change between check and lock
    if is_locked(period, locked_periods(session)):
        raise LockError.coded("workflow.already_locked", period=period)
    members = _observations_in(session, period)
    pending = Counter(r.status for r in members if r.status not in (APPROVED, LOCKED))
    if pending:
        counts = Joined(
            tuple(
                Phrase.of("workflow.count", count=n, status=Phrase.of(f"workflow.status.{status}"))
                for status, n in sorted(pending.items())
            )
        )
        raise LockError.coded("workflow.unapproved", period=period, counts=counts)
    changeset = open_changeset(session, author, "lock", reason=f"lock {period}")
    append(
        session, changeset, [successor(r, status=LOCKED) for r in members if r.status == APPROVED]
    )
    session.add(PeriodLock(period=str(period), locked_at=utcnow(), locked_by=author))
    audit.record(session, author, "lock", {"period": str(period), "observations": len(members)})
    return len(members)


def _observations_in(session: Session, period: Period) -> list[Revision]:
    texts = [str(period)] + [str(month) for month in period.months()]
    return latest_revisions(session, Selection(periods=texts))
