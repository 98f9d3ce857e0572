""" "Not applicable" as an answer to an owed indicator, with the reporter's reason.

One record per value in the register ``collection.not_applicable``, keyed
``entity|period|indicator`` with the payload ``{entity, period, indicator, reason}`` (the
contract the collection package's completeness reads: a current record counts as answered).

A reviewer decides on an N/A as on a value. Accepting adds ``accepted_by`` to the payload
(the record stays, so the item stays answered). Rejecting retires the record with the
reviewer's reason: the indicator is owed again, the reporter sees why on the home page and
in the value's thread, and answers with a value or a better reason. The reporter may
withdraw an N/A the same way (retire), e.g. when a value turns up after all.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_record

REGISTER = "collection.not_applicable"
MAX_REASON = 2000


def na_key(entity: str, period: str, indicator: str) -> str:
    return f"{entity}|{period}|{indicator}"


@dataclass(frozen=True)
class NotApplicable:
    """A current N/A answer: the reason, who gave it, and whether a reviewer accepted it."""

    entity: str
    period: str
    indicator: str
    reason: str
    author: str
    version: int
    accepted_by: str | None

    @classmethod
    def of(cls, view: RecordView) -> NotApplicable:
        p = view.payload
        return cls(
            p["entity"], p["period"], p["indicator"], p["reason"], view.author, view.version,
            p.get("accepted_by"),
        )  # fmt: skip


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise EsgError.coded("na_answer.reason_missing")
    if len(text) > MAX_REASON:
        raise EsgError.coded("na_answer.reason_too_long", limit=MAX_REASON, length=len(text))
    return text


def declare(
    session: Session, actor: str, entity: str, period: str, indicator: str, reason: str,
    *, has_value: bool = False,
) -> NotApplicable:  # fmt: skip
    """Answer "not applicable" (a new answer, or a new reason for an existing one).

    Refused when the value exists: a value and an N/A for the same item would contradict
    each other; delete the value first.
    """
    if has_value:
        raise EsgError.coded("na_answer.has_value", indicator=indicator, period=period)
    key = na_key(entity, period, indicator)
    payload = {
        "entity": entity,
        "period": period,
        "indicator": indicator,
        "reason": _reason(reason),
    }
    current = current_record(session, REGISTER, key)
    version = current.version if current else 0
    append_record(
        session, REGISTER, RecordChange(key, payload, entity=entity, expected_version=version),
        actor=actor, action="na.declare", reason=payload["reason"],
    )  # fmt: skip
    found = current_record(session, REGISTER, key)
    assert found is not None
    return NotApplicable.of(found)


def _current(session: Session, entity: str, period: str, indicator: str) -> RecordView:
    found = current_record(session, REGISTER, na_key(entity, period, indicator))
    if found is None or found.retired:
        raise EsgError.coded("na_answer.none", indicator=indicator, period=period)
    return found


def withdraw(session: Session, actor: str, entity: str, period: str, indicator: str) -> None:
    """Take an N/A back: the indicator is owed again."""
    view = _current(session, entity, period, indicator)
    change = RecordChange(view.key, view.payload, entity=entity, retire=True,
                          expected_version=view.version)  # fmt: skip
    append_record(session, REGISTER, change, actor=actor, action="na.withdraw")


def decide(
    session: Session, actor: str, entity: str, period: str, indicator: str, *, accept: bool,
    reason: str = "",
) -> None:  # fmt: skip
    """A reviewer's decision: accept (kept, marked) or reject (retired, with the reason)."""
    view = _current(session, entity, period, indicator)
    if accept:
        payload = {**view.payload, "accepted_by": actor}
        change = RecordChange(view.key, payload, entity=entity, expected_version=view.version)
        append_record(session, REGISTER, change, actor=actor, action="na.accept")
        return
    if not reason.strip():
        raise EsgError.coded("na_answer.rejection_reason_missing")
    change = RecordChange(view.key, view.payload, entity=entity, retire=True,
                          expected_version=view.version)  # fmt: skip
    append_record(session, REGISTER, change, actor=actor, action="na.reject", reason=reason.strip())


def current_answers(
    session: Session, entities: Collection[str] | None, periods: Collection[str] | None = None
) -> dict[tuple[str, str, str], NotApplicable]:
    """(entity, period, indicator) → the current N/A answer, for these entities and periods."""
    found = {}
    for view in current_records(session, REGISTER, entities=entities):
        answer = NotApplicable.of(view)
        if periods is None or answer.period in periods:
            found[answer.entity, answer.period, answer.indicator] = answer
    return found


def rejected_answers(session: Session, entities: Collection[str] | None) -> list[RecordView]:
    """N/A answers a reviewer rejected and nobody has answered again: their newest version
    is retired with the reviewer's reason (a withdrawal retires without one)."""
    views = current_records(session, REGISTER, entities=entities, include_retired=True)
    return [v for v in views if v.retired and v.reason]
