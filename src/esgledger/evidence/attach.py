"""Attach a file to a value or an import, detach it, and read it back.

Attaching is one unit of work in the caller's transaction: the file is checked by its
content, its bytes are put in the file store, its ``stored_files`` row and the link record
are written, and the caller commits once. Should anything fail before the commit, the
transaction is rolled back and neither the file's row nor the link exists; the bytes may
stay in the store as an orphan blob, which is harmless (nothing names it, and storing the
same file again reuses it). Detaching retires the link; the file and its history remain.

Reporters attach only to their own entities; auditors read all and write nothing here
(auth/roles.py: WRITERS).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from esgledger.auth.roles import WRITERS
from esgledger.auth.service import Principal
from esgledger.errors import EsgError, NotFoundError
from esgledger.evidence.links import (
    IMPORT,
    REGISTER,
    VALUE,
    EvidenceLink,
    as_link,
    link_by_key,
    link_key,
)
from esgledger.evidence.types import check_evidence
from esgledger.ledger.blobs import BlobStore
from esgledger.ledger.files import FileInfo, read_file, store_file
from esgledger.ledger.reads.records import current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.ledger.revisions import changeset_entities, history
from esgledger.periods import Period


class EvidenceForbidden(EsgError):
    """The user may not attach or remove evidence of that entity."""


@dataclass(frozen=True)
class Upload:
    """A file as sent, and the limits it is judged by (settings)."""

    name: str
    data: bytes
    allowed: frozenset[str]
    max_bytes: int


def check_may_attach(principal: Principal, entity: str) -> None:
    """Refuse anyone without a writing role, and a reporter outside its entities."""
    if principal.role not in WRITERS or not principal.may_see(entity):
        raise EvidenceForbidden.coded(
            "evidence_file.not_allowed", user=principal.username, entity=entity
        )


def attach_to_value(
    session: Session,
    store: BlobStore,
    principal: Principal,
    upload: Upload,
    *,
    entity: str,
    period: str,
    indicator: str,
) -> EvidenceLink:
    """Link the file to the value's current revision (the value must have been saved)."""
    check_may_attach(principal, entity)
    period = str(Period.parse(period))
    steps = history(session, entity, period, indicator)
    if not steps:
        raise EsgError.coded("evidence_file.no_value", entity=entity, period=period,
                             indicator=indicator)  # fmt: skip
    info = _store(session, store, principal, upload)
    payload = _payload(info, VALUE, upload.name, entity=entity, period=period, indicator=indicator)
    payload["revision_id"] = steps[-1][0].id
    key = link_key(VALUE, info.sha256, entity, period, indicator)
    return _write(session, principal, [RecordChange(key, payload, entity=entity)],
                  "evidence.attach")[0]  # fmt: skip


def attach_to_import(
    session: Session, store: BlobStore, principal: Principal, upload: Upload, *, import_id: int
) -> list[EvidenceLink]:
    """Link the file to an import: one link per entity the import wrote values of (so each
    entity's people see it), all in one audit entry; the user must be allowed every one."""
    entities = changeset_entities(session, import_id)
    if not entities:
        raise EsgError.coded("evidence_file.no_import", import_id=import_id)
    for entity in entities:
        check_may_attach(principal, entity)
    info = _store(session, store, principal, upload)
    changes = []
    for entity in entities:
        payload = _payload(info, IMPORT, upload.name, entity=entity, period=None, indicator=None)
        payload["import_id"] = str(import_id)
        key = link_key(IMPORT, info.sha256, str(import_id), entity)
        changes.append(RecordChange(key, payload, entity=entity))
    return _write(session, principal, changes, "evidence.attach")


def detach(session: Session, principal: Principal, key: str, reason: str | None) -> None:
    """Retire a link (the file and the link's history stay)."""
    link = visible_link(session, principal, key)
    check_may_attach(principal, link.entity or "")
    record = RecordChange(key, _link_payload(link), entity=link.entity, retire=True,
                          expected_version=link.version)  # fmt: skip
    append_records(session, REGISTER, [record], actor=principal.username,
                   action="evidence.detach", reason=reason)  # fmt: skip


def visible_link(session: Session, principal: Principal, key: str) -> EvidenceLink:
    """A current link of an entity the user may see; "not found" otherwise."""
    link = link_by_key(session, key)
    if link is None or not principal.may_see(link.entity or ""):
        raise NotFoundError.coded("evidence_file.no_link", key=key)
    return link


def open_evidence(
    session: Session, store: BlobStore, principal: Principal, key: str
) -> tuple[EvidenceLink, FileInfo, bytes]:
    """A linked file's bytes, re-hashed on read: a changed file is an error, not served."""
    link = visible_link(session, principal, key)
    info, data = read_file(session, store, link.sha256)
    return link, info, data


def _store(session: Session, store: BlobStore, principal: Principal, upload: Upload) -> FileInfo:
    check_evidence(upload.data, upload.name, allowed=upload.allowed, max_bytes=upload.max_bytes)
    return store_file(session, store, upload.data, name=upload.name, actor=principal.username,
                      max_bytes=upload.max_bytes, allowed=upload.allowed)  # fmt: skip


def _payload(info: FileInfo, target: str, name: str, **where: str | None) -> dict:
    """The contract's fields (docs/architecture.md, "Evidence"); the name as uploaded."""
    return {
        "sha256": info.sha256,
        "name": name,
        "media_type": info.media_type,
        "size": info.size,
        "target": target,
        "revision_id": None,
        "import_id": None,
        **where,
    }


def _link_payload(link: EvidenceLink) -> dict:
    fields = ("sha256", "name", "media_type", "size", "target", "entity", "period",
              "indicator", "revision_id", "import_id")  # fmt: skip
    return {name: getattr(link, name) for name in fields}


def _write(
    session: Session, principal: Principal, changes: list[RecordChange], action: str
) -> list[EvidenceLink]:
    """Append the links' next versions (a re-attached file revives its retired record)."""
    append_records(session, REGISTER, changes, actor=principal.username, action=action)
    session.flush()
    views = current_records(session, REGISTER, keys=[change.key for change in changes])
    return [as_link(view) for view in views]
