"""Working on sampled values: tick marks, queries to reporters and their answers, findings.

Registers: ``assurance.items`` (key ``<engagement>|<entity>|<period>|<indicator>``: the
tick marks and note on one value), ``assurance.queries`` (``<engagement>|Q001``: a
question to a reporter about one value, its answer and status) and ``assurance.findings``
(``<engagement>|F001``: severity, status and the reporter's or management's response).
A query's answer may be written by the reporter it was sent to (or anyone who may write the
value); everything else only by an assurer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from esgledger.assurance.engagements import (
    engagement,
    engagement_record,
    next_key,
    require_assurer,
)
from esgledger.assurance.model import (
    FINDING_STATUSES,
    FINDINGS,
    ITEMS,
    QUERIES,
    SEVERITIES,
    refuse,
    tick_marks,
)
from esgledger.auth.roles import QUERY_ANSWERERS
from esgledger.auth.service import Principal
from esgledger.ledger.database import utcnow
from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_record


def item_key(code: str, entity: str, period: str, indicator: str) -> str:
    return f"{code}|{entity}|{period}|{indicator}"


def in_scope(session: Session, code: str, value: Mapping[str, Any]) -> None:
    """Refuse a value outside the engagement's entities, indicators or year."""
    scope = engagement(session, code).payload
    inside = (
        value["entity"] in scope["entities"]
        and value["indicator"] in scope["indicators"]
        and str(value.get("period") or scope["year"]).startswith(str(scope["year"]))
    )
    if not inside:
        raise refuse("workpaper.out_of_scope", entity=value["entity"], indicator=value["indicator"])


def mark_item(
    session: Session,
    principal: Principal,
    code: str,
    value: Mapping[str, Any],
    ticks: Iterable[str],
    note: str = "",
) -> RecordView:
    """Record the tick marks (data/ticks.yaml codes) and note on one sampled value."""
    require_assurer(principal, ITEMS)
    in_scope(session, code, value)
    chosen = list(dict.fromkeys(ticks))
    unknown = [tick for tick in chosen if tick not in tick_marks()]
    if unknown:
        raise refuse("workpaper.tick", tick=unknown[0], known=", ".join(tick_marks()))
    key = item_key(code, value["entity"], value["period"], value["indicator"])
    payload = {
        "engagement": code,
        "entity": value["entity"],
        "period": value["period"],
        "indicator": value["indicator"],
        "revision_id": value.get("revision_id"),
        "ticks": chosen,
        "note": note.strip(),
    }
    change = RecordChange(key, payload, entity=value["entity"])
    append_record(session, ITEMS, change, actor=principal.username, action="assurance.tick")
    return engagement_record(session, ITEMS, key)


def ask(
    session: Session,
    principal: Principal,
    code: str,
    value: Mapping[str, Any],
    recipient: str,
    question: str,
) -> RecordView:
    """Open a query to ``recipient`` about one value; the caller posts the notice."""
    require_assurer(principal, QUERIES)
    in_scope(session, code, value)
    if not question.strip():
        raise refuse("workpaper.empty_question")
    key = next_key(session, QUERIES, code, "Q")
    payload = {
        "engagement": code,
        "entity": value["entity"],
        "period": value["period"],
        "indicator": value["indicator"],
        "recipient": recipient,
        "question": question.strip(),
        "status": "open",
        "answer": None,
        "answered_by": None,
        "answered_at": None,
    }
    change = RecordChange(key, payload, entity=value["entity"], expected_version=0)
    append_record(session, QUERIES, change, actor=principal.username, action="assurance.query")
    return engagement_record(session, QUERIES, key)


def answer(
    session: Session, principal: Principal, key: str, text: str, expected: int | None = None
) -> RecordView:
    """Write the answer to a query: by its recipient, a writer of its entity, or an assurer
    recording an answer received another way."""
    query = _open_record(session, QUERIES, key)
    by_reporter = principal.role in QUERY_ANSWERERS and principal.may_see(query.entity or "")
    if not by_reporter:
        require_assurer(principal, QUERIES)
    if not text.strip():
        raise refuse("workpaper.empty_answer")
    if query.payload["status"] == "closed":
        raise refuse("workpaper.query_closed", key=key)
    payload = dict(query.payload)
    payload.update(
        status="answered",
        answer=text.strip(),
        answered_by=principal.username,
        answered_at=utcnow().isoformat(timespec="seconds"),
    )
    version = query.version if expected is None else expected
    change = RecordChange(key, payload, entity=query.entity, expected_version=version)
    append_record(
        session, QUERIES, change, actor=principal.username, action="assurance.query_answer"
    )
    return engagement_record(session, QUERIES, key)


def close_query(session: Session, principal: Principal, key: str) -> RecordView:
    """The auditor accepts the answer: the query no longer holds up a sign-off."""
    require_assurer(principal, QUERIES)
    query = _open_record(session, QUERIES, key)
    if query.payload["status"] != "answered":
        raise refuse("workpaper.query_unanswered", key=key)
    payload = {**query.payload, "status": "closed"}
    change = RecordChange(key, payload, entity=query.entity, expected_version=query.version)
    append_record(
        session, QUERIES, change, actor=principal.username, action="assurance.query_close"
    )
    return engagement_record(session, QUERIES, key)


def raise_finding(
    session: Session,
    principal: Principal,
    code: str,
    value: Mapping[str, Any],
    severity: str,
    title: str,
) -> RecordView:
    """Record a finding (an exception or misstatement) on a value's entity and indicator."""
    require_assurer(principal, FINDINGS)
    in_scope(session, code, value)
    if severity not in SEVERITIES:
        raise refuse("workpaper.severity", severity=severity, known=", ".join(SEVERITIES))
    if not title.strip():
        raise refuse("workpaper.empty_finding")
    key = next_key(session, FINDINGS, code, "F")
    payload = {
        "engagement": code,
        "entity": value["entity"],
        "period": value.get("period"),
        "indicator": value["indicator"],
        "severity": severity,
        "title": title.strip(),
        "status": "open",
        "response": None,
    }
    change = RecordChange(key, payload, entity=value["entity"], expected_version=0)
    append_record(session, FINDINGS, change, actor=principal.username, action="assurance.finding")
    return engagement_record(session, FINDINGS, key)


def update_finding(
    session: Session, principal: Principal, key: str, status: str, response: str = ""
) -> RecordView:
    """Move a finding to ``responded`` (with management's response) or ``closed``."""
    require_assurer(principal, FINDINGS)
    finding = _open_record(session, FINDINGS, key)
    if status not in FINDING_STATUSES:
        raise refuse("workpaper.finding_status", status=status, known=", ".join(FINDING_STATUSES))
    payload = {**finding.payload, "status": status}
    if response.strip():
        payload["response"] = response.strip()
    change = RecordChange(key, payload, entity=finding.entity, expected_version=finding.version)
    append_record(
        session, FINDINGS, change, actor=principal.username, action="assurance.finding_update"
    )
    return engagement_record(session, FINDINGS, key)


def _open_record(session: Session, register: str, key: str) -> RecordView:
    found = current_record(session, register, key)
    if found is None or found.retired:
        raise refuse("workpaper.unknown_record", key=key)
    return found


def queries_for(session: Session, principal: Principal) -> list[RecordView]:
    """The queries sent to ``principal`` (or on its entities), open ones first."""
    mine = [
        record
        for record in current_records(session, QUERIES)
        if record.payload["recipient"] == principal.username
        or (principal.entities is not None and record.entity in principal.entities)
    ]
    return sorted(mine, key=lambda r: (r.payload["status"] != "open", r.recorded_at), reverse=False)
