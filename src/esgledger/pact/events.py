"""The events endpoint's work: CloudEvents received, checked, and what each one records.

An event is parsed and validated in full before anything is written: a malformed event
is refused with BadRequest and leaves no trace. Registers: ``pact.requests`` (customers'
RequestCreated, pending until fulfilled or rejected), ``pact.outgoing_requests`` (this
system's own requests to suppliers, closed by their RequestFulfilled/Rejected) and
``pact.notices`` (suppliers' PublishedEvent).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.reads.records import current_record, current_records
from esgledger.ledger.records import RecordChange, append_record
from esgledger.pact import spec
from esgledger.pact.clients import Client
from esgledger.pact.criteria import criteria_from
from esgledger.pact.received import record_supplier_footprints

REQUESTS = "pact.requests"
OUTGOING = "pact.outgoing_requests"
NOTICES = "pact.notices"


class EventRefused(EsgError):
    """An event the host does not accept; ``pact_code`` is the PACT error code to answer."""

    def __init__(self, message: str, pact_code: str = "BadRequest") -> None:
        super().__init__(message, code="pact_v3.event_refused", params={"reason": message})
        self.pact_code = pact_code


@dataclass(frozen=True)
class Event:
    type: str
    definition: str
    body: dict[str, Any]


def parse_event(raw: bytes) -> Event:
    """The event in ``raw`` once it is JSON, of a PACT type, and valid for that type."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise EventRefused(f"the body is not JSON: {error}") from error
    if not isinstance(body, dict):
        raise EventRefused("the body must be a CloudEvents JSON object")
    definition = spec.event_definition(str(body.get("type")))
    if definition is None:
        raise EventRefused(f"event type {body.get('type')!r} is not a PACT v3 event type")
    found = spec.problems(body, definition)
    if found:
        raise EventRefused(f"invalid {definition}: " + "; ".join(found[:5]))
    return Event(body["type"], definition, body)


def request_key(source: str, event_id: str) -> str:
    """CloudEvents identify an event by source and id together."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{source}#{event_id}"))


def receive(session: Session, event: Event, client: Client) -> None:
    handlers = {
        "RequestCreatedEvent": _request_created,
        "RequestFulfilledEvent": _request_fulfilled,
        "RequestRejectedEvent": _request_rejected,
        "PublishedEvent": _published,
    }
    handlers[event.definition](session, event.body, client)


def _request_created(session: Session, body: dict[str, Any], client: Client) -> None:
    try:
        criteria_from(body["data"])
    except EsgError as error:
        raise EventRefused(error.message) from error
    if not client.events_url:
        raise EventRefused(
            "this client has no events endpoint to send the answer to; "
            "ask the data owner to set one"
        )
    if _host(body["source"]) != _host(client.events_url):
        raise EventRefused(
            f"source {body['source']!r} is not this client's host {_host(client.events_url)!r}"
        )
    key = request_key(body["source"], body["id"])
    if current_record(session, REQUESTS, key) is not None:
        return  # the same event again: already accepted
    payload = {"event": body, "client": client.key, "client_name": client.name, "status": "pending"}
    append_record(
        session,
        REQUESTS,
        RecordChange(key, payload, expected_version=0),
        actor=f"pact:{client.name}",
        action="pact.request_received",
    )


def _host(url: str) -> str:
    return (urlsplit(url if "//" in url else f"//{url}").netloc or "").lower()


def _outgoing(session: Session, body: dict[str, Any], client: Client):
    """The request this answer closes, if it was sent to the answering client's host."""
    record = current_record(session, OUTGOING, str(body["data"]["requestEventId"]))
    if record is None:
        raise EventRefused(f"no request {body['data']['requestEventId']!r} was sent from here")
    if _host(client.events_url or "") != _host(record.payload["supplier"]):
        raise EventRefused(
            "this request was sent to another host; only it may answer", pact_code="AccessDenied"
        )
    if record.payload["status"] != "pending":
        raise EventRefused(f"request {record.key!r} is already {record.payload['status']}")
    return record


def _request_fulfilled(session: Session, body: dict[str, Any], client: Client) -> None:
    record = _outgoing(session, body, client)
    record_supplier_footprints(
        session, body["data"]["pfs"], actor=f"pact:{client.name}", source=body["source"]
    )
    _close(session, record, "fulfilled", client, [pf["id"] for pf in body["data"]["pfs"]])


def _request_rejected(session: Session, body: dict[str, Any], client: Client) -> None:
    _close(session, _outgoing(session, body, client), "rejected", client, body["data"]["error"])


def _close(session: Session, record, status: str, client: Client, answer: Any) -> None:
    payload = {**record.payload, "status": status, "answer": answer}
    append_record(
        session,
        OUTGOING,
        RecordChange(record.key, payload, expected_version=record.version),
        actor=f"pact:{client.name}",
        action=f"pact.request_{status}",
    )


def _published(session: Session, body: dict[str, Any], client: Client) -> None:
    key = request_key(body["source"], body["id"])
    if current_record(session, NOTICES, key) is None:
        append_record(
            session,
            NOTICES,
            RecordChange(key, {"event": body, "client": client.name}, expected_version=0),
            actor=f"pact:{client.name}",
            action="pact.published_notice",
        )


def pending_requests(session: Session) -> list[Any]:
    return [r for r in current_records(session, REQUESTS) if r.payload["status"] == "pending"]


def all_requests(session: Session) -> list[Any]:
    return current_records(session, REQUESTS)
