"""What each entity owes: the input indicators it must report for a year, and for which
periods (monthly inputs for each month, yearly ones for the year).

Owed = the rules of ``data/obligations.yaml`` applied to the entity's kind, segment and
tags, then the entity's own overrides (register ``collection.overrides``, one record per
entity: ``add`` and ``drop`` lists with a reason). This is the one answer to "what is this
entity asked for": campaigns, completeness, the collection template and the reporter's
home all read it here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy.orm import Session

from esgledger.catalog.model import Frequency
from esgledger.catalog.registry import Catalog
from esgledger.collection.rules import Rule, load_rules, owed_by_rules
from esgledger.errors import EsgError
from esgledger.ledger.orgstore import load_org
from esgledger.ledger.reads.records import current_record, current_records
from esgledger.ledger.records import RecordChange, append_record
from esgledger.org.model import Entity

OVERRIDES = "collection.overrides"


@dataclass(frozen=True)
class Overrides:
    """An entity's exceptions to the rules: inputs it owes besides, and inputs it does not."""

    add: frozenset[str] = frozenset()
    drop: frozenset[str] = frozenset()
    reason: str = ""


def owed_indicators(
    catalog: Catalog,
    entity: Entity,
    year: int,
    overrides: Overrides | None = None,
    rules: Sequence[Rule] | None = None,
) -> list[str]:
    """The input ids ``entity`` owes for ``year``, in catalog order."""
    owed = owed_by_rules(catalog, entity, year, load_rules() if rules is None else rules)
    if overrides is not None:
        owed = (owed | set(overrides.add)) - set(overrides.drop)
    return [ind.id for ind in catalog.inputs() if ind.id in owed]


def owed_periods(catalog: Catalog, indicator: str, year: int) -> list[str]:
    """The periods an owed input is reported for: 12 months, or the year."""
    if catalog.get(indicator).frequency is Frequency.MONTHLY:
        return [f"{year}-{month:02d}" for month in range(1, 13)]
    return [str(year)]


def overrides_of(session: Session, entity: str) -> Overrides | None:
    """The entity's current overrides, or None."""
    record = current_record(session, OVERRIDES, entity)
    if record is None or record.retired:
        return None
    return _overrides(record.payload)


def _overrides(payload: dict) -> Overrides:
    return Overrides(
        frozenset(payload.get("add") or ()),
        frozenset(payload.get("drop") or ()),
        payload.get("reason") or "",
    )


def all_overrides(session: Session) -> dict[str, Overrides]:
    """Every entity's overrides, by entity code (one read)."""
    return {r.key: _overrides(r.payload) for r in current_records(session, OVERRIDES)}


def _entity(session: Session, entity_code: str) -> Entity:
    org = load_org(session)
    if entity_code not in org:
        raise EsgError.coded("campaign.unknown_entity", entity=entity_code)
    return org.get(entity_code)


def owed_for_entity(session: Session, catalog: Catalog, entity_code: str, year: int) -> list[str]:
    """The input ids ``entity_code`` owes for ``year``, its overrides applied.

    Raises:
        EsgError: no such entity.
    """
    entity = _entity(session, entity_code)
    return owed_indicators(catalog, entity, year, overrides_of(session, entity_code))


@dataclass(frozen=True)
class Obligation:
    """One input as the obligations page shows it: asked by the rules, owed in the end."""

    indicator: str
    by_rule: bool
    owed: bool


def obligations_of(
    session: Session, catalog: Catalog, entity_code: str, year: int
) -> list[Obligation]:
    """Every input the rules or the overrides mention for the entity, in catalog order.

    An input the rules ask for but an override drops is listed as not owed, so that the
    page can show it and give it back.

    Raises:
        EsgError: no such entity.
    """
    entity = _entity(session, entity_code)
    by_rule = owed_by_rules(catalog, entity, year, load_rules())
    owed = set(owed_indicators(catalog, entity, year, overrides_of(session, entity_code)))
    return [
        Obligation(ind.id, ind.id in by_rule, ind.id in owed)
        for ind in catalog.inputs()
        if ind.id in by_rule or ind.id in owed
    ]


def owe_exactly(
    session: Session,
    catalog: Catalog,
    actor: str,
    entity_code: str,
    year: int,
    owed: Iterable[str],
    reason: str,
) -> None:
    """Make the entity owe exactly ``owed``: the overrides become what differs from the
    rules for ``year`` (inputs added, inputs dropped). A change needs a reason, which the
    register keeps with who made it; owing just what the rules ask withdraws the overrides.

    Raises:
        EsgError: no such entity or input, or overrides without a reason.
    """
    by_rule = owed_by_rules(catalog, _entity(session, entity_code), year, load_rules())
    chosen = set(owed)
    add, drop = chosen - by_rule, by_rule - chosen
    if (add or drop) and not reason.strip():
        raise EsgError.coded("campaign.override_reason", entity=entity_code)
    set_overrides(
        session, catalog, actor, entity_code, add=add, drop=drop, reason=reason.strip()
    )  # fmt: skip


def owed_frame(session: Session, catalog: Catalog, year: int) -> pl.DataFrame:
    """Every (entity, indicator) pair owed for ``year``: columns ``entity``, ``indicator``."""
    overrides = all_overrides(session)
    entities: list[str] = []
    indicators: list[str] = []
    for entity in sorted(load_org(session), key=lambda e: e.code):
        owed = owed_indicators(catalog, entity, year, overrides.get(entity.code))
        entities.extend([entity.code] * len(owed))
        indicators.extend(owed)
    return pl.DataFrame(
        {"entity": entities, "indicator": indicators},
        schema={"entity": pl.String, "indicator": pl.String},
    )


def set_overrides(
    session: Session,
    catalog: Catalog,
    actor: str,
    entity: str,
    *,
    add: Iterable[str] = (),
    drop: Iterable[str] = (),
    reason: str,
) -> None:
    """Replace ``entity``'s overrides (an empty add and drop withdraws them).

    Raises:
        EsgError: an unknown entity, or an id that is not an input of the catalog.
    """
    if entity not in load_org(session):
        raise EsgError.coded("campaign.unknown_entity", entity=entity)
    inputs = {ind.id for ind in catalog.inputs()}
    add, drop = sorted(set(add)), sorted(set(drop))
    for indicator in [*add, *drop]:
        if indicator not in inputs:
            raise EsgError.coded("campaign.unknown_indicator", indicator=indicator)
    payload = {"entity": entity, "add": add, "drop": drop, "reason": reason}
    change = RecordChange(entity, payload, entity=entity, retire=not add and not drop)
    append_record(
        session, OVERRIDES, change, actor=actor, action="collection.overrides", reason=reason
    )
