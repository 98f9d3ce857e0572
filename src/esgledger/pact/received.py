"""Suppliers' footprints received over PACT, kept for Scope 3 category 1 and the LCA.

Register ``products.supplier_footprints``: one record per footprint id, its payload the
PACT JSON exactly as received once it passed the schema. A footprint received again
unchanged adds nothing; one whose status changed (a supplier deprecated it) adds a version.

Footprints arrive by ``esgledger pact fetch`` (from the supplier's host), by a
RequestFulfilled event, or as a file the supplier sent (``esgledger pact receive``): a
ListFootprintsResponse (``{"data": [...]}``), a list of ProductFootprints or one. All three
are stored here alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.reads.records import current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.pact import spec
from esgledger.products.suppliers import REGISTER, is_pact_footprint

SUPPLIER_FOOTPRINTS = REGISTER  # shared with the footprints entered by hand


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
            # the source alone: the action (pact.receive) already says what happened, and a
            # sentence stored here would read in one language on every page
            reason=source,
        )
    return len(changes)


def supplier_footprints(session: Session) -> list[dict[str, Any]]:
    """The footprints received as PACT JSON (the register also holds ones entered by hand,
    keyed by product, which the product systems read: products.suppliers)."""
    return [
        r.payload
        for r in current_records(session, SUPPLIER_FOOTPRINTS)
        if is_pact_footprint(r.payload)
    ]


def read_footprint_file(path: Path) -> list[dict[str, Any]]:
    """The ProductFootprints of a supplier's PACT JSON file (checked when recorded)."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EsgError.coded("pact_v3.received_file", file=str(path), problem=str(error)) from error
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        body = body["data"]
    found = body if isinstance(body, list) else [body]
    if not found or not all(isinstance(item, dict) for item in found):
        problem = 'expected a ProductFootprint, a list of them or {"data": [...]}'
        raise EsgError.coded("pact_v3.received_file", file=str(path), problem=problem)
    return found


def receive_file(session: Session, path: Path, *, actor: str, source: str | None = None) -> int:
    """Record the footprints of a supplier's file as if fetched; returns how many were new."""
    footprints = read_footprint_file(path)
    return record_supplier_footprints(
        session, footprints, actor=actor, source=source or f"file {path.name}"
    )
