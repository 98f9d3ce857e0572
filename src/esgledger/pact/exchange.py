"""The group's two sides of an exchange: fetching suppliers' footprints into the ledger,
and answering customers' requests (RequestFulfilled or RequestRejected) later.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.reads.records import current_record
from esgledger.ledger.records import RecordChange, append_record
from esgledger.pact import events
from esgledger.pact.clients import clients
from esgledger.pact.criteria import criteria_from, select
from esgledger.pact.received import record_supplier_footprints
from esgledger.pact.remote import RemoteHost, new_event
from esgledger.pact.store import published


def fetch(
    session: Session, remote: RemoteHost, *, actor: str, params: dict[str, Any] | None = None
) -> tuple[int, int]:
    """Every footprint the supplier lists, recorded; returns (listed, newly recorded)."""
    listed = list(remote.footprints(params))
    return len(listed), record_supplier_footprints(
        session, listed, actor=actor, source=remote.base_url
    )


def request(
    session: Session,
    remote: RemoteHost,
    own_events_url: str,
    criteria: dict[str, Any],
    *,
    actor: str,
) -> str:
    """Send a RequestCreated to a supplier and remember it until the answer comes."""
    criteria_from(criteria)  # refused here, before anything is sent
    event = new_event("request_created", own_events_url, criteria)
    remote.send_event(event)
    append_record(
        session,
        events.OUTGOING,
        RecordChange(
            event["id"],
            {"event": event, "supplier": remote.base_url, "status": "pending"},
            expected_version=0,
        ),
        actor=actor,
        action="pact.request_sent",
    )
    return str(event["id"])


def _pending(session: Session, key: str):
    record = current_record(session, events.REQUESTS, key)
    if record is None or record.payload["status"] != "pending":
        raise EsgError(
            f"no pending PACT request {key!r}; `esgledger pact requests` lists them",
            code="pact_v3.no_request",
            params={"key": key},
        )
    return record


def reply_address(session: Session, key: str) -> str:
    """The requesting client's own events base URL, where the answer goes."""
    record = _pending(session, key)
    owner = {c.key: c for c in clients(session)}.get(record.payload["client"])
    if owner is None or not owner.events_url:
        raise EsgError(
            f"the client that sent request {key!r} has no events address; it cannot be answered",
            code="pact_v3.no_reply_address",
            params={"key": key},
        )
    return owner.events_url


def answer_request(
    session: Session, key: str, remote: RemoteHost, own_source: str, *, actor: str
) -> str:
    """Fulfil (or reject, when nothing matches) a customer's pending request; the status."""
    record = _pending(session, key)
    asked = record.payload["event"]
    chosen = select(published(session), criteria_from(asked["data"]))
    if chosen:
        data: dict[str, Any] = {"requestEventId": asked["id"], "pfs": chosen}
        event, status = new_event("request_fulfilled", own_source, data), "fulfilled"
    else:
        error = {"code": "NotFound", "message": "No footprint matches the request's criteria."}
        event = new_event(
            "request_rejected", own_source, {"requestEventId": asked["id"], "error": error}
        )
        status = "rejected"
    remote.send_event(event)
    payload = {
        **record.payload,
        "status": status,
        "answer_event": event["id"],
        "pf_ids": [pf["id"] for pf in chosen],
    }
    append_record(
        session,
        events.REQUESTS,
        RecordChange(key, payload, expected_version=record.version),
        actor=actor,
        action=f"pact.request_{status}",
    )
    return status


def notify(
    session: Session, remote: RemoteHost, own_source: str, footprint_ids: list[str] | None = None
) -> list[str]:
    """Tell a customer which footprints were published (PublishedEvent); the ids sent.

    Without ids, every Active footprint is named; the customer then gets each one with
    GetFootprint.
    """
    ids = footprint_ids or [f["id"] for f in published(session) if f["status"] == "Active"]
    if not ids:
        raise EsgError(
            "no Active footprint to announce; publish first with `esgledger pact publish`",
            code="pact_v3.nothing_to_announce",
        )
    remote.send_event(new_event("published", own_source, {"pfIds": ids}))
    return ids
