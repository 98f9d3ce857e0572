"""The events endpoint: requests stored for later, malformed events refused with no trace."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import current_records
from esgledger.ledger.schema import AuditEntry, RecordVersion
from esgledger.pact import events, spec

CREATED = "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3"


def _event(**changes):
    event = {
        "type": CREATED,
        "specversion": "1.0",
        "id": "req-1",
        "source": "//customer.example.com/pact/3/events",
        "time": "2025-03-05T17:31:00Z",
        "data": {"productId": ["urn:pact:nre.example.cn:product-id:ndpr-oxide"]},
    }
    event.update(changes)
    return event


def _counts(database):
    with unit_of_work(database) as session:
        return (
            session.scalar(select(func.count()).select_from(RecordVersion)),
            session.scalar(select(func.count()).select_from(AuditEntry)),
        )


def _post(host, body, headers=None, content_type="application/cloudevents+json"):
    return host.http.post(
        "/3/events",
        content=body if isinstance(body, bytes) else __import__("json").dumps(body),
        headers={**(headers or host.bearer()), "content-type": content_type},
    )


def test_a_request_is_accepted_and_stored_pending(host):
    answer = _post(host, _event())
    assert answer.status_code == 200 and answer.content == b""
    with unit_of_work(host.database) as session:
        [pending] = events.pending_requests(session)
    assert pending.payload["event"]["id"] == "req-1"
    again = _post(host, _event())  # the same event again: accepted, not stored twice
    assert again.status_code == 200
    with unit_of_work(host.database) as session:
        assert len(events.all_requests(session)) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        {**_event(), "type": "org.example.Other"},
        {k: v for k, v in _event().items() if k != "source"},
        _event(specversion="0.3"),
        _event(time="yesterday"),
        _event(data={"productId": "not-a-list"}),
        _event(data={"validOn": "2025-13-01T00:00:00Z"}),
        _event(data={"status": "Gone"}),
        _event(source="//elsewhere.example.org/3/events"),
        {
            **_event(),
            "type": "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
            "data": {"requestEventId": "x", "pfs": [{"id": "broken"}]},
        },
        {
            **_event(),
            "type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3",
            "data": {"pfIds": []},
        },
    ],
)
def test_a_malformed_event_is_refused_with_no_side_effects(host, body):
    headers = host.bearer()  # issuing the token writes; count after it
    before = _counts(host.database)
    answer = _post(host, body, headers)
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "BadRequest"
    assert spec.problems(answer.json(), "Error") == []
    assert _counts(host.database) == before


def test_events_need_a_token_and_the_cloudevents_media_type(host):
    answer = _post(host, _event(), headers={"authorization": "Bearer wrong"})
    assert answer.status_code == 400
    plain = _post(host, _event(), content_type="text/plain")
    assert plain.status_code == 400


def _sent_request(host, supplier: str) -> None:
    from esgledger.ledger.records import RecordChange, append_record

    with unit_of_work(host.database) as session:
        append_record(
            session,
            events.OUTGOING,
            RecordChange(
                "out-1",
                {"event": {}, "supplier": supplier, "status": "pending"},
                expected_version=0,
            ),
            actor="t",
            action="pact.request_sent",
        )


def _rejection():
    return {
        **_event(),
        "type": "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3",
        "id": "answer-1",
        "data": {"requestEventId": "out-1", "error": {"code": "NotFound", "message": "none"}},
    }


def test_only_the_host_asked_may_answer_a_request(host):
    _sent_request(host, "https://other-supplier.example.com")
    headers = host.bearer()
    before = _counts(host.database)
    answer = _post(host, _rejection(), headers)
    assert answer.status_code == 403 and answer.json()["code"] == "AccessDenied"
    assert _counts(host.database) == before


def test_the_host_asked_closes_its_request_once(host):
    _sent_request(host, "https://customer.example.com")
    assert _post(host, _rejection()).status_code == 200
    with unit_of_work(host.database) as session:
        [closed] = current_records(session, events.OUTGOING)
    assert closed.payload["status"] == "rejected"
    assert _post(host, _rejection()).status_code == 400
