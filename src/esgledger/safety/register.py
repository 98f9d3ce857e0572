"""Reading and writing the safety registers with the reader's entity scope.

Every write is checked here first: the fields against the register's model, the writer's
role and entities, and a risk point's LEC factors against their scales (its D and grade
are computed, never typed). Only then do the records reach
:func:`esgledger.ledger.records.append_records`, which versions and audits them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from esgledger.auth.roles import WRITERS
from esgledger.auth.service import Principal
from esgledger.errors import EsgError, NotFoundError
from esgledger.ledger.orgstore import load_org
from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.safety.lec import lec_score
from esgledger.safety.models import MODELS, RISK_POINTS, Fields


@dataclass(frozen=True)
class Entry:
    """One record to write: its key, site (entity) and fields."""

    key: str
    entity: str
    fields: Mapping[str, Any]
    expected_version: int | None = None


def scope_of(principal: Principal) -> frozenset[str] | None:
    """The entities the principal may see (None: all of them)."""
    return principal.entities


def check_may_write(principal: Principal, entity: str) -> None:
    """Refuse a writer without a writing role, or a reporter outside its own entities."""
    scope = scope_of(principal)
    if principal.role not in WRITERS or (scope is not None and entity not in scope):
        raise EsgError(
            f"{principal.username} ({principal.role}) may not change the safety records "
            f"of {entity}",
            code="safety_mgmt.not_allowed",
            params={"user": principal.username, "role": str(principal.role), "entity": entity},
        )


def check_entity(entity: str, known: set[str]) -> None:
    """Refuse a record for an entity the organisation does not have."""
    if entity not in known:
        raise EsgError(
            f"{entity} is not an entity of the organisation",
            code="safety_mgmt.unknown_entity",
            params={"entity": entity},
        )


def validated(register: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields as the register stores them; the first problem raises a coded error."""
    try:
        model: Fields = MODELS[register].model_validate(dict(fields))
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "-"
        raise EsgError(
            f"{field}: {problem['msg']} (received {problem.get('input')!r})",
            code="safety_mgmt.invalid_field",
            params={"field": field, "problem": problem["msg"], "value": problem.get("input")},
        ) from None
    payload = model.model_dump(mode="json")
    if register == RISK_POINTS:
        score, grade = lec_score(payload["l"], payload["e"], payload["c"])
        payload.update(d=format(score, "f"), grade=grade.id)
    return payload


def write_entries(
    session: Session,
    principal: Principal,
    register: str,
    entries: Sequence[Entry],
    *,
    action: str,
    reason: str | None = None,
) -> int:
    """Check every entry, then append them all (one audit entry); returns how many."""
    changes = []
    known = {entity.code for entity in load_org(session)}
    for entry in entries:
        check_may_write(principal, entry.entity)
        check_entity(entry.entity, known)
        payload = validated(register, entry.fields)
        changes.append(
            RecordChange(entry.key, payload, entry.entity, False, entry.expected_version)
        )
    append_records(
        session, register, changes, actor=principal.username, action=action, reason=reason
    )
    return len(changes)


def visible_records(session: Session, principal: Principal, register: str) -> list[RecordView]:
    """The current records of ``register`` the principal may see."""
    return current_records(session, register, entities=scope_of(principal))


def visible_record(session: Session, principal: Principal, register: str, key: str) -> RecordView:
    """One current record the principal may see, or a not-found error naming it."""
    record = current_record(session, register, key)
    scope = scope_of(principal)
    if record is None or record.retired or (scope is not None and record.entity not in scope):
        raise NotFoundError(
            f"{register} holds no record {key!r} that you may see",
            code="safety_mgmt.no_record",
            params={"register": register, "key": key},
        )
    return record
