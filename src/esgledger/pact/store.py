"""Published footprints as ledger records (register ``pact.footprints``).

A ProductFootprint is immutable. Publishing a new calculation of the same product, entity
and reference period gives it a new id whose ``precedingPfIds`` names every earlier one;
each earlier one gets a new record version whose only change is status Deprecated (PACT
lets the status change; nothing else of it does). Every publication is one audit entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.pact.payload import Publisher, product_footprint
from esgledger.products.footprint import ComputedFootprint

FOOTPRINTS = "pact.footprints"
# Identity of a footprint's lineage: who made which product over which period.
_LINEAGE = ("companyIds", "productIds")
_PERIOD = ("referencePeriodStart", "referencePeriodEnd")
# What a republication may differ in without being a new calculation.
_BOOKKEEPING = frozenset({"id", "created", "status", "precedingPfIds"})


def published(session: Session, entities: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Every published footprint (Active and Deprecated), in id order."""
    chosen = list(entities) if entities is not None else None
    return [record.payload for record in current_records(session, FOOTPRINTS, entities=chosen)]


def published_footprint(session: Session, footprint_id: str) -> RecordView | None:
    return current_record(session, FOOTPRINTS, footprint_id.lower())


def _same_lineage(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return all(old[name] == new[name] for name in _LINEAGE) and all(
        old["pcf"][name] == new["pcf"][name] for name in _PERIOD
    )


def _same_content(old: dict[str, Any], new: dict[str, Any]) -> bool:
    def content(payload: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in payload.items() if k not in _BOOKKEEPING}

    return content(old) == content(new)


def publish(
    session: Session,
    footprints: Sequence[ComputedFootprint],
    publisher: Publisher,
    *,
    actor: str,
    overrides: dict[str, Any] | None = None,
    now: datetime | None = None,
    reason: str | None = None,
) -> list[dict[str, Any]]:
    """Publish each computed footprint; returns the new PACT payloads (unchanged ones left out).
    ``reason`` is the audit log's (default: how many were published).

    A footprint equal in content to the Active one of its lineage is not published again.
    """
    now = now or datetime.now(UTC)
    active = [
        record
        for record in current_records(session, FOOTPRINTS)
        if record.payload["status"] == "Active"
    ]
    changes: list[RecordChange] = []
    written: list[dict[str, Any]] = []
    for footprint in footprints:
        new_id = str(uuid.uuid4())
        draft = product_footprint(
            footprint, publisher, footprint_id=new_id, created=now, overrides=overrides
        )
        earlier = [r for r in active if _same_lineage(r.payload, draft)]
        if any(_same_content(r.payload, draft) for r in earlier):
            continue
        preceding = _preceding_ids(earlier)
        payload = product_footprint(
            footprint,
            publisher,
            footprint_id=new_id,
            created=now,
            preceding=preceding,
            overrides=overrides,
        )
        changes.extend(_deprecations(earlier))
        changes.append(RecordChange(new_id, payload, entity=footprint.entity, expected_version=0))
        active = [r for r in active if r not in earlier]
        written.append(payload)
    if changes:
        append_records(
            session,
            FOOTPRINTS,
            changes,
            actor=actor,
            action="pact.publish",
            reason=reason or f"{len(written)} footprint(s) published",
        )
    return written


def _preceding_ids(earlier: list[RecordView]) -> list[str]:
    ids: list[str] = []
    for record in sorted(earlier, key=lambda r: r.payload["created"]):
        for found in [*record.payload.get("precedingPfIds", []), record.payload["id"]]:
            if found not in ids:
                ids.append(found)
    return ids


def _deprecations(earlier: list[RecordView]) -> list[RecordChange]:
    return [
        RecordChange(
            record.key,
            {**record.payload, "status": "Deprecated"},
            entity=record.entity,
            expected_version=record.version,
        )
        for record in earlier
    ]
