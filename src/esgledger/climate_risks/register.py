"""The register ``climate.risks``: items written as ledger records, read with their history.

Each item is a record keyed by its ``key``; its ledger entity is the first entity it
affects, so a reporter reads the items of its own entities (as for observations) and may
write only items whose every entity is its own. Writes are all-or-nothing: every item is
checked first and one audit entry seals the versions written.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from esgledger.climate_risks.checks import Known
from esgledger.climate_risks.model import ClimateItem
from esgledger.errors import EsgError, NotFoundError
from esgledger.ledger.reads.records import RecordView, current_records, record_history
from esgledger.ledger.records import RecordChange, append_records

REGISTER = "climate.risks"


@dataclass(frozen=True)
class StoredItem:
    """An item as the register holds it now: the fields and the record's version."""

    item: ClimateItem
    version: int
    author: str
    record: RecordView


def _item(record: RecordView) -> ClimateItem:
    return ClimateItem.model_validate({**record.payload, "key": record.key})


def stored(record: RecordView) -> StoredItem:
    return StoredItem(_item(record), record.version, record.author, record)


def require_scope(items: Sequence[ClimateItem], entities: Collection[str] | None) -> None:
    """Refuse items naming an entity outside a reporter's (``entities=None``: all allowed).

    The refusal reads as "unknown entity", so a reporter learns nothing of the others.
    """
    if entities is None:
        return
    for item in items:
        foreign = [e for e in item.entities if e not in entities]
        if foreign:
            raise NotFoundError(
                f"{item.key}: entity {foreign[0]!r} is not one you may work on",
                code="climate_risks.not_your_entity",
                params={"key": item.key, "entity": foreign[0]},
            )


def save_items(
    session: Session,
    items: Sequence[ClimateItem],
    *,
    actor: str,
    scope: Collection[str] | None = None,
    expected: dict[str, int] | None = None,
    reason: str | None = None,
    action: str = "climate.save",
) -> int:
    """Append a version of each item that changed; returns how many were written.

    ``expected`` maps keys to the version the writer read (0: must be new); an item equal
    to its current version is not written again (an import of an unchanged workbook
    writes nothing).
    """
    require_scope(items, scope)
    current = {s.item.key: s for s in read_items(session, keys=[i.key for i in items])}
    changes = [
        RecordChange(
            item.key,
            item.payload(),
            entity=item.entities[0],
            expected_version=(expected or {}).get(item.key),
        )
        for item in items
        if item.key not in current or current[item.key].item != item or item.key in (expected or {})
    ]
    if changes:
        append_records(session, REGISTER, changes, actor=actor, action=action, reason=reason)
    return len(changes)


def retire_item(
    session: Session, key: str, *, actor: str, scope: Collection[str] | None, reason: str
) -> None:
    """Retire an item (a new version marked retired; its history stays)."""
    found = get_item(session, key, scope)
    change = RecordChange(
        key, found.item.payload(), entity=found.item.entities[0], retire=True,
        expected_version=found.version,
    )  # fmt: skip
    append_records(session, REGISTER, [change], actor=actor, action="climate.retire", reason=reason)


def read_items(
    session: Session,
    *,
    scope: Collection[str] | None = None,
    keys: Collection[str] | None = None,
) -> list[StoredItem]:
    """The current items (of ``scope``'s entities when given), in key order."""
    records = current_records(session, REGISTER, entities=scope, keys=keys)
    return [stored(record) for record in records]


def get_item(session: Session, key: str, scope: Collection[str] | None = None) -> StoredItem:
    """One current item, or "not found" (also for an item outside a reporter's scope)."""
    found = read_items(session, scope=scope, keys=[key])
    if not found:
        raise _no_item(key)
    return found[0]


def item_history(
    session: Session, key: str, scope: Collection[str] | None = None
) -> list[RecordView]:
    """Every version of an item, oldest first (after the same scope check as a read)."""
    history = record_history(session, REGISTER, key)
    if not history or (scope is not None and history[-1].entity not in scope):
        raise _no_item(key)
    return history


def known_references(
    entities: Collection[str], indicators: Collection[str], targets: Collection[str]
) -> Known:
    """What items may name, gathered by the caller from the org, catalog and targets file."""
    if not entities:
        raise EsgError(
            "the ledger has no organisation yet; load one (esgledger org load) first",
            code="climate_risks.no_org",
        )
    return Known(frozenset(entities), frozenset(indicators), frozenset(targets))


def _no_item(key: str) -> NotFoundError:
    return NotFoundError(
        f"no climate risk or opportunity {key!r}",
        code="climate_risks.no_item",
        params={"key": key},
    )
