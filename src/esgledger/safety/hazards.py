"""The hazard rectification loop: found, rectified (with photos), verified, closed.

Each step appends the hazard's next version, so its history shows who did what and when.
The rules: rectification evidence must be images by their bytes; the person who verifies
is not the one who rectified (the inspecting department accepts the work); and a hazard
is closed only once verified. A hazard whose deadline passed before it was rectified is
overdue, and the overdue list is what the group manager is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from esgledger.auth.service import Principal
from esgledger.errors import EsgError, render
from esgledger.ledger.blobs import BlobStore
from esgledger.ledger.files import store_file
from esgledger.ledger.reads.records import RecordView
from esgledger.safety.models import HAZARDS, Status
from esgledger.safety.register import Entry, visible_record, write_entries

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def check_loop(fields: Mapping[str, Any], key: str) -> None:
    """Refuse a hazard whose status claims steps it has not taken (closed, not verified)."""
    status = fields.get("status", Status.OPEN)
    steps = {
        Status.RECTIFIED: ("rectified_on", "rectified_by"),
        Status.VERIFIED: ("rectified_on", "verified_on", "verified_by"),
        Status.CLOSED: ("rectified_on", "verified_on", "verified_by", "closed_on"),
    }
    missing = [name for name in steps.get(Status(status), ()) if not fields.get(name)]
    if Status(status) is Status.CLOSED and missing:
        raise _refused("safety_mgmt.close_unverified", key=key, missing=", ".join(missing))
    if missing:
        raise _refused(
            "safety_mgmt.step_missing", key=key, status=status, missing=", ".join(missing)
        )


def record_hazards(
    session: Session,
    principal: Principal,
    entries: Sequence[Entry],
    reason: str | None = None,
    action: str = "safety.hazard",
) -> int:
    """Write hazards (found, or imported whole) after checking each one's loop."""
    for entry in entries:
        check_loop(entry.fields, entry.key)
    return write_entries(session, principal, HAZARDS, entries, action=action, reason=reason)


def rectify(
    session: Session,
    principal: Principal,
    key: str,
    *,
    note: str,
    photos: Sequence[tuple[str, bytes]],
    on: date,
    files_root: Path | BlobStore,
    max_bytes: int,
) -> RecordView:
    """Record the rectification of an open hazard with its photos (at least one)."""
    hazard = _at(session, principal, key, Status.OPEN)
    if not photos:
        raise _refused("safety_mgmt.photo_needed", key=key)
    stored = [
        store_file(
            session,
            files_root,
            data,
            name=name,
            actor=principal.username,
            max_bytes=max_bytes,
            allowed=PHOTO_TYPES,
        ).sha256
        for name, data in photos
    ]
    changes = {
        "status": Status.RECTIFIED,
        "rectified_on": on,
        "rectified_by": principal.username,
        "rectification": note,
        "photos": [*hazard.payload["photos"], *stored],
    }
    return _step(session, principal, hazard, changes, "safety.hazard_rectify")


def verify(session: Session, principal: Principal, key: str, *, on: date) -> RecordView:
    """Accept a rectification; the verifier must not be the one who rectified."""
    hazard = _at(session, principal, key, Status.RECTIFIED)
    if hazard.payload["rectified_by"] == principal.username:
        raise _refused("safety_mgmt.self_verification", key=key, user=principal.username)
    changes = {"status": Status.VERIFIED, "verified_on": on, "verified_by": principal.username}
    return _step(session, principal, hazard, changes, "safety.hazard_verify")


def close(session: Session, principal: Principal, key: str, *, on: date) -> RecordView:
    """Close a verified hazard; closing one that was not verified is refused."""
    hazard = visible_record(session, principal, HAZARDS, key)
    if hazard.payload["status"] != Status.VERIFIED:
        raise _refused("safety_mgmt.close_unverified", key=key, missing="verified_on, verified_by")
    return _step(
        session,
        principal,
        hazard,
        {"status": Status.CLOSED, "closed_on": on},
        "safety.hazard_close",
    )


def is_overdue(fields: Mapping[str, Any], as_of: date) -> bool:
    """Not rectified by the deadline: rectified after it, or still open past it."""
    deadline = date.fromisoformat(str(fields["deadline"]))
    rectified = fields.get("rectified_on")
    if rectified:
        return date.fromisoformat(str(rectified)) > deadline
    return as_of > deadline


def overdue_hazards(hazards: Sequence[RecordView], as_of: date) -> list[RecordView]:
    """Hazards still awaiting rectification past their deadline, the longest overdue first."""
    late = [
        h for h in hazards if not h.payload.get("rectified_on") and is_overdue(h.payload, as_of)
    ]
    return sorted(late, key=lambda h: (h.payload["deadline"], h.key))


def _at(session: Session, principal: Principal, key: str, status: Status) -> RecordView:
    hazard = visible_record(session, principal, HAZARDS, key)
    if hazard.payload["status"] != status:
        raise _refused(
            "safety_mgmt.wrong_step", key=key, status=hazard.payload["status"], expected=str(status)
        )
    return hazard


def _step(
    session: Session, principal: Principal, hazard: RecordView, changes: dict[str, Any], action: str
) -> RecordView:
    fields = {
        **hazard.payload,
        **{k: str(v) if isinstance(v, date) else v for k, v in changes.items()},
    }
    entry = Entry(hazard.key, hazard.entity or "", fields, expected_version=hazard.version)
    record_hazards(session, principal, [entry], action=action)
    return visible_record(session, principal, HAZARDS, hazard.key)


def _refused(code: str, **params: object) -> EsgError:
    return EsgError(render(code, "en", **params), code=code, params=params)
