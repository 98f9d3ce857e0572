"""The register's operations as the API, the web pages and the CLI call them: one way to
save a typed item, one way to filter the list, one way to read an item with its history
and its effects."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.climate_risks.analysis import latest_analysis
from esgledger.climate_risks.checks import check_item
from esgledger.climate_risks.context import known_in_ledger
from esgledger.climate_risks.register import (
    StoredItem,
    get_item,
    item_history,
    read_items,
    save_items,
)
from esgledger.climate_risks.scales import load_scales
from esgledger.climate_risks.summary import Effects, effects_of
from esgledger.ledger.reads.records import RecordView

FILTERS = ("kind", "category", "horizon", "entity", "grade")


def save_item(
    session: Session,
    catalog: Catalog,
    targets: Path | None,
    fields: Mapping[str, Any],
    *,
    actor: str,
    scope: Collection[str] | None,
    expected_version: int | None = None,
    reason: str | None = None,
) -> StoredItem:
    """Check and save one item (a new one with ``expected_version=0``); nothing is written
    when anything is wrong."""
    item = check_item(fields, known_in_ledger(session, catalog, targets))
    expected = None if expected_version is None else {item.key: expected_version}
    save_items(session, [item], actor=actor, scope=scope, expected=expected, reason=reason)
    return get_item(session, item.key, scope)


def filtered_items(
    session: Session, scope: Collection[str] | None, chosen: Mapping[str, str | None]
) -> list[StoredItem]:
    """The current items matching every filter given (kind, category, horizon, entity, grade)."""
    scales = load_scales()

    def keep(stored: StoredItem) -> bool:
        item = stored.item
        values = {
            "kind": scales.kind_of(item.category),
            "category": item.category,
            "horizon": item.horizon,
            "grade": scales.grade(item.score).id,
        }
        for name, wanted in chosen.items():
            if not wanted:
                continue
            if name == "entity" and wanted not in item.entities:
                return False
            if name != "entity" and values.get(name) != wanted:
                return False
        return True

    return [stored for stored in read_items(session, scope=scope) if keep(stored)]


@dataclass(frozen=True)
class ItemDetail:
    """An item, every version of it, and its financial effects."""

    stored: StoredItem
    history: list[RecordView]
    effects: Effects


def item_detail(session: Session, key: str, scope: Collection[str] | None) -> ItemDetail:
    stored = get_item(session, key, scope)
    history = item_history(session, key, scope)
    return ItemDetail(stored, history, effects_of(stored, latest_analysis(session)))
