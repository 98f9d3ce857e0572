"""The organisation as stored in the ledger, so that every command sees the same tree."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ledger import audit
from esgledger.ledger.schema import EntityRow
from esgledger.org import Entity, OrgTree

_FIELDS = (
    "name_en",
    "name_zh",
    "kind",
    "parent",
    "province",
    "region",
    "grid_region",
    "division_code",
    "ownership_share",
    "operational_control",
    "financial_control",
    "segment",
)


def load_org(session: Session) -> OrgTree:
    return OrgTree([_to_entity(row) for row in session.scalars(select(EntityRow))])


def save_entities(session: Session, author: str, entities: list[Entity]) -> dict[str, int]:
    """Insert or update entities; the whole resulting tree is checked before anything is kept.

    Returns:
        Counts of entities ``added``, ``changed`` and ``unchanged``.
    """
    existing = {row.code: row for row in session.scalars(select(EntityRow))}
    merged = {code: _to_entity(row) for code, row in existing.items()}
    merged.update({entity.code: entity for entity in entities})
    OrgTree(list(merged.values()))  # raises when the result is not one tree
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for entity in entities:
        values = _to_columns(entity)
        row = existing.get(entity.code)
        if row is None:
            session.add(EntityRow(code=entity.code, **values))
            counts["added"] += 1
        elif any(getattr(row, key) != value for key, value in values.items()):
            before = _to_columns(_to_entity(row))
            for key, value in values.items():
                setattr(row, key, value)
            audit.record(session, author, "org.change", {"code": entity.code, "before": before})
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
    if counts["added"] or counts["changed"]:
        audit.record(session, author, "org.load", counts)
    return counts


def _to_columns(entity: Entity) -> dict[str, object]:
    values = {name: getattr(entity, name) for name in _FIELDS}
    values["kind"] = entity.kind.value
    values["segment"] = entity.segment.value if entity.segment else None
    values["tags"] = ";".join(entity.tags)
    return values


def _to_entity(row: EntityRow) -> Entity:
    data = {name: getattr(row, name) for name in _FIELDS}
    return Entity(code=row.code, tags=row.tags, **data)
