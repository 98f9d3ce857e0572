"""A permit's history: every version of the permit and of its outlets, and what each
changed (a renewal's new validity, a limit tightened, an outlet added or retired).

Permits and outlets are append-only records, so their history is read, never kept apart;
an outlet's limits are compared pollutant by pollutant, so a tightened limit reads as
``limits.cod: ≤ 70 mg/L → ≤ 60 mg/L`` rather than as a whole new list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from esgledger.auth.service import Principal
from esgledger.errors import NotFoundError, render
from esgledger.ledger.reads.records import (
    FieldChange,
    RecordView,
    current_record,
    current_records,
    field_changes,
    record_history,
)
from esgledger.permits.register import OUTLETS, PERMITS, scope


@dataclass(frozen=True)
class VersionChange:
    """One version of the permit (``subject`` "permit") or of one of its outlets (its code)."""

    subject: str
    version: RecordView
    changes: list[FieldChange]


@dataclass(frozen=True)
class PermitHistory:
    permit: RecordView
    outlets: list[RecordView]  # the current ones, retired included
    changes: list[VersionChange]  # oldest first


def permit_history(session: Session, principal: Principal, number: str) -> PermitHistory:
    """The permit ``number`` with its outlets and every change of either; a permit the
    user may not see is unknown to it."""
    permit = current_record(session, PERMITS, number)
    if permit is None or not principal.may_see(str(permit.entity)):
        message = render("permit.unknown_permit", "en", permit=number)
        raise NotFoundError(message, code="permit.unknown_permit", params={"permit": number})
    outlets = [
        o
        for o in current_records(session, OUTLETS, entities=scope(principal), include_retired=True)
        if o.payload.get("permit") == number
    ]
    changes = _versions(session, PERMITS, number, "permit")
    for outlet in outlets:
        changes += _versions(session, OUTLETS, outlet.key, str(outlet.payload["code"]))
    changes.sort(key=lambda c: (c.version.recorded_at, c.version.row_id))
    return PermitHistory(permit, outlets, changes)


def _versions(session: Session, register: str, key: str, subject: str) -> list[VersionChange]:
    history = record_history(session, register, key)
    before: list[dict[str, Any] | None] = [None, *(v.payload for v in history[:-1])]
    return [
        VersionChange(subject, v, _changes(old, v.payload))
        for old, v in zip(before, history, strict=True)
    ]


def _changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[FieldChange]:
    """Field changes, the limits list opened into one change per pollutant."""
    if "limits" not in after:
        return field_changes(before, after)
    flat_before = None if before is None else _by_pollutant(before)
    return field_changes(flat_before, _by_pollutant(after))


def _by_pollutant(payload: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in payload.items() if k != "limits"}
    limits = {f"limits.{limit['pollutant']}": limit for limit in payload.get("limits", [])}
    return fields | limits


def limit_text(limit: Any) -> str:
    """A limit as a permit prints it: ``6–9``, ``≤ 70 mg/L; 21 t/a``; other values as text."""
    if not isinstance(limit, dict) or "pollutant" not in limit:
        return "—" if limit is None else str(limit)
    unit = "" if limit.get("unit") in (None, "1") else f" {limit['unit']}"
    if limit.get("min") is not None:
        text = f"{_num(limit['min'])}–{_num(limit['max'])}{unit}"
    else:
        text = "—" if limit.get("max") is None else f"≤ {_num(limit['max'])}{unit}"
    if limit.get("mass_limit") is not None:
        text += f"; {_num(limit['mass_limit'])} {limit.get('mass_unit') or 't/a'}"
    return text


def _num(value: float) -> str:
    return f"{value:g}"
