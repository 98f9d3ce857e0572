"""Writing and reading permits and their outlets: ledger records, scoped to the user's sites.

Registers: ``permits.permits`` (key: permit number, entity: the site) and
``permits.outlets`` (key: ``<permit>/<outlet code>``, the permit's site). Every write is
validated first (:mod:`esgledger.permits.model`) and appended through
:func:`esgledger.ledger.records.append_records`, one audit entry per call.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from esgledger.auth.service import Principal
from esgledger.errors import NotFoundError, render
from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_records, canonical_payload
from esgledger.permits.model import OutletIn, PermitIn, refuse

PERMITS = "permits.permits"
OUTLETS = "permits.outlets"
RESULTS = "permits.results"
EXCEEDANCES = "permits.exceedances"


def scope(principal: Principal) -> frozenset[str] | None:
    """The entities a user's reads are limited to (None: every entity)."""
    return principal.entities


def require_site(principal: Principal, entity: str) -> None:
    """A reporter works only on its own sites; others' are "not found" to it."""
    if not principal.may_see(entity):
        raise NotFoundError(
            render("permit.unknown_site", "en", entity=entity),
            code="permit.unknown_site",
            params={"entity": entity},
        )


def save_permits(
    session: Session,
    principal: Principal,
    permits: Iterable[PermitIn],
    known_entities: Iterable[str],
    *,
    expected: dict[str, int] | None = None,
    reason: str | None = None,
) -> int:
    """Append a version of each permit that changed (all checked before any is written);
    the number written."""
    entities = set(known_entities)
    changes = []
    for permit in permits:
        permit.checked()
        if permit.entity not in entities:
            raise refuse("permit.unknown_site", entity=permit.entity)
        require_site(principal, permit.entity)
        changes.append(
            RecordChange(
                permit.number,
                permit.model_dump(mode="json"),
                entity=permit.entity,
                expected_version=(expected or {}).get(permit.number),
            )
        )
    changes = _changed_only(session, PERMITS, changes)
    if changes:
        append_records(
            session,
            PERMITS,
            changes,
            actor=principal.username,
            action="permits.save",
            reason=reason,
        )
    return len(changes)


def save_outlets(
    session: Session,
    principal: Principal,
    outlets: Iterable[OutletIn],
    *,
    pending_permits: dict[str, str] | None = None,
    expected: dict[str, int] | None = None,
    reason: str | None = None,
) -> int:
    """Append a version of each outlet with its limits; its permit must exist (or be in
    ``pending_permits``, number -> site, when written in the same import); the number of
    outlets that changed."""
    changes = []
    for outlet in outlets:
        outlet.checked()
        entity = (pending_permits or {}).get(outlet.permit) or permit_site(session, outlet.permit)
        require_site(principal, entity)
        changes.append(
            RecordChange(
                outlet.key,
                outlet.model_dump(mode="json"),
                entity=entity,
                expected_version=(expected or {}).get(outlet.key),
            )
        )
    changes = _changed_only(session, OUTLETS, changes)
    if changes:
        append_records(
            session,
            OUTLETS,
            changes,
            actor=principal.username,
            action="permits.outlets.save",
            reason=reason,
        )
    return len(changes)


def _changed_only(
    session: Session, register: str, changes: list[RecordChange]
) -> list[RecordChange]:
    """The changes that change something: a workbook imported again writes no new versions,
    so a permit's history shows its renewals and new limits, not every re-import."""
    current = {r.key: r for r in current_records(session, register, keys=[c.key for c in changes],
                                                 include_retired=True)}  # fmt: skip
    return [
        change for change in changes
        if change.key not in current or current[change.key].retired
        or canonical_payload(current[change.key].payload) != canonical_payload(change.payload)
    ]  # fmt: skip


def permit_site(session: Session, number: str) -> str:
    """The site of permit ``number``; an unknown permit is refused."""
    found = current_record(session, PERMITS, number)
    if found is None or found.retired:
        raise refuse("permit.unknown_permit", permit=number)
    return str(found.entity)


def list_permits(session: Session, principal: Principal) -> list[RecordView]:
    return current_records(session, PERMITS, entities=scope(principal))


def list_outlets(session: Session, principal: Principal) -> list[RecordView]:
    return current_records(session, OUTLETS, entities=scope(principal))


def outlet(session: Session, principal: Principal, key: str) -> RecordView:
    """The outlet ``key`` (``<permit>/<code>``), refused when unknown or out of scope."""
    found = current_record(session, OUTLETS, key)
    if found is None or found.retired or not principal.may_see(str(found.entity)):
        raise refuse("permit.unknown_outlet", outlet=key)
    return found
