"""The links between stored files and what they support, in register "evidence.links".

One record per attached file and target. A value's link names the entity, period and
indicator and the revision the file was attached to; an import's link names the import
(its changeset id), one link per entity the import wrote. The record key is derived from
target and file, so attaching the same file to the same target again is the same record;
detaching retires it (nothing is deleted: the file and the record's history stay).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.revisions import history

REGISTER = "evidence.links"
VALUE, IMPORT = "value", "import"
KEY_LIMIT = 160


@dataclass(frozen=True)
class EvidenceLink:
    """One attached file: what it is, what it supports, who attached it and when."""

    key: str
    sha256: str
    name: str
    media_type: str
    size: int
    target: str
    entity: str | None
    period: str | None
    indicator: str | None
    revision_id: int | None
    import_id: str | None
    attached_by: str
    attached_at: datetime
    version: int


def link_key(target: str, sha256: str, *parts: str | None) -> str:
    """``value|entity|period|indicator|sha256`` or ``import|id|sha256`` (hashed if too long)."""
    key = "|".join([target, *(p or "" for p in parts), sha256])
    if len(key) <= KEY_LIMIT:
        return key
    return f"{target}|{hashlib.sha256(key.encode()).hexdigest()}"


def as_link(record: RecordView) -> EvidenceLink:
    p = record.payload
    return EvidenceLink(
        key=record.key,
        sha256=p["sha256"],
        name=p["name"],
        media_type=p["media_type"],
        size=int(p["size"]),
        target=p["target"],
        entity=p.get("entity"),
        period=p.get("period"),
        indicator=p.get("indicator"),
        revision_id=p.get("revision_id"),
        import_id=p.get("import_id"),
        attached_by=record.author,
        attached_at=record.recorded_at,
        version=record.version,
    )


def evidence_for(
    session: Session, entity: str, period: str, indicator: str, *, include_imports: bool = True
) -> list[EvidenceLink]:
    """The files behind one value: attached to it, and (``include_imports``) attached to
    an import that wrote one of its revisions. Oldest first."""
    links = entity_links(session, [entity])
    own = [
        link
        for link in links
        if link.target == VALUE and (link.period, link.indicator) == (period, indicator)
    ]
    if not include_imports:
        return own
    imports = {str(changeset.id) for _, changeset in history(session, entity, period, indicator)}
    from_imports = [link for link in links if link.target == IMPORT and link.import_id in imports]
    return _ordered(own + from_imports)


def evidence_for_import(
    session: Session, import_id: str, entities: Collection[str] | None = None
) -> list[EvidenceLink]:
    """The files attached to one import, once each (an import's file has one link per
    entity it wrote; ``entities`` limits them to a reporter's)."""
    links = entity_links(session, entities)
    found = [link for link in links if link.target == IMPORT and link.import_id == import_id]
    return list({link.sha256: link for link in reversed(found)}.values())[::-1]


def entity_links(session: Session, entities: Collection[str] | None) -> list[EvidenceLink]:
    """Every current link of these entities (None: of all), oldest first."""
    records = current_records(session, REGISTER, entities=entities)
    return _ordered([as_link(record) for record in records])


def link_by_key(session: Session, key: str) -> EvidenceLink | None:
    """A current (not retired) link, or None."""
    record = current_record(session, REGISTER, key)
    return None if record is None or record.retired else as_link(record)


def _ordered(links: list[EvidenceLink]) -> list[EvidenceLink]:
    return sorted(links, key=lambda link: (link.attached_at, link.key))
