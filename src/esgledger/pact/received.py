"""Suppliers' footprints received over PACT, kept for Scope 3 category 1 and the LCA.

Register ``products.supplier_footprints``: one record per footprint id, its payload the
PACT JSON exactly as received once it passed the schema. A footprint received again
unchanged adds nothing; one whose status changed (a supplier deprecated it) adds a version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from esgledger.ledger.reads.records import current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.pact import spec

SUPPLIER_FOOTPRINTS = "products.supplier_footprints"


def record_supplier_footprints(
    session: Session,
    footprints: Iterable[Mapping[str, Any]],
    *,
    actor: str,
    source: str,
) -> int:
    """Validate every footprint, then record the new and changed ones; returns how many.

    All or nothing: one invalid footprint refuses the whole batch before anything is
    written, so a half-received supplier list never reaches the ledger.
    """
    batch = {str(f.get("id", "")).lower(): dict(f) for f in footprints}
    for footprint in batch.values():
        spec.require_valid(footprint, what=f"supplier footprint {footprint.get('id')!r}")
    known = {r.key: r for r in current_records(session, SUPPLIER_FOOTPRINTS, keys=list(batch))}
    changes = [
        RecordChange(key, payload, expected_version=known[key].version if key in known else 0)
        for key, payload in batch.items()
        if key not in known or known[key].payload != payload
    ]
    if changes:
        append_records(
            session,
            SUPPLIER_FOOTPRINTS,
            changes,
            actor=actor,
            action="pact.receive",
            reason=f"received from {source}",
        )
    return len(changes)


def supplier_footprints(session: Session) -> list[dict[str, Any]]:
    return [r.payload for r in current_records(session, SUPPLIER_FOOTPRINTS)]
