"""Writing and reading the carbon-asset registers: ledger records, scoped to the user's sites.

Registers: ``carbon_assets.movements`` (key: the movement's reference, entity: its holder)
and ``carbon_assets.verified`` (key: ``<entity>|<year>``). Every batch is checked whole
before anything is written (:mod:`esgledger.carbon_assets.model`, and here: known sites,
no outflow beyond what is held, no certificate or green power claimed twice) and appended
through :func:`esgledger.ledger.records.append_records`, one audit entry per call.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from esgledger.auth.service import Principal
from esgledger.carbon_assets.model import OUTFLOWS, MovementIn, VerifiedIn, refuse, serial_range
from esgledger.ledger.reads.records import RecordView, current_records
from esgledger.ledger.records import RecordChange, append_records

MOVEMENTS = "carbon_assets.movements"
VERIFIED = "carbon_assets.verified"


def _require_site(principal: Principal, entity: str, known: set[str]) -> None:
    if entity not in known or not principal.may_see(entity):
        raise refuse("carbon_asset.unknown_site", entity=entity)


def save_movements(
    session: Session,
    principal: Principal,
    movements: Iterable[MovementIn],
    known_entities: Iterable[str],
    *,
    reason: str | None = None,
) -> int:
    """Append each new movement; a reference already used is refused (movements are not
    edited: a wrong one is reversed by an opposite movement, as in an account)."""
    known, batch = set(known_entities), [m.checked() for m in movements]
    for movement in batch:
        _require_site(principal, movement.entity, known)
    held = [MovementIn.model_validate(r.payload) for r in current_records(session, MOVEMENTS)]
    refuse_double_claims(held, batch)
    refuse_overdrawn(held, batch)
    changes = [
        RecordChange(m.ref, m.model_dump(mode="json"), entity=m.entity, expected_version=0)
        for m in batch
    ]
    if changes:
        append_records(
            session, MOVEMENTS, changes, actor=principal.username,
            action="carbon_assets.movements", reason=reason,
        )  # fmt: skip
    return len(changes)


def refuse_double_claims(held: list[MovementIn], batch: list[MovementIn]) -> None:
    """A certificate is retired once, and a contract's green power claimed once per month,
    whoever claims it (GHG Protocol Scope 2 Quality Criterion 2: one claim per MWh)."""
    claimed: list[tuple[int, int, str]] = []
    contracts: dict[tuple[str, str], str] = {}
    for movement in [*held, *batch]:
        if movement.kind != "retirement":
            continue
        if movement.instrument == "green_power":
            slot = (str(movement.contract), str(movement.period))
            if slot in contracts:
                raise refuse(
                    "carbon_asset.green_power_twice", ref=movement.ref, contract=slot[0],
                    period=slot[1], other=contracts[slot],
                )  # fmt: skip
            contracts[slot] = movement.ref
            continue
        first, last = serial_range(movement)
        for low, high, other in claimed:
            if first <= high and low <= last:
                raise refuse(
                    "carbon_asset.certificate_twice", ref=movement.ref,
                    serials=movement.serials, other=other,
                )  # fmt: skip
        claimed.append((first, last, movement.ref))


def refuse_overdrawn(held: list[MovementIn], batch: list[MovementIn]) -> None:
    """No sale, surrender or certificate retirement beyond what the entity holds."""
    balance: dict[tuple[str, str], float] = {}
    for movement in held:
        balance[_slot(movement)] = balance.get(_slot(movement), 0.0) + signed(movement)
    for movement in batch:
        slot = _slot(movement)
        balance[slot] = balance.get(slot, 0.0) + signed(movement)
        if movement.instrument != "green_power" and balance[slot] < -1e-9:
            raise refuse(
                "carbon_asset.overdrawn", ref=movement.ref, entity=movement.entity,
                instrument=movement.instrument, held=round(balance[slot] + movement.quantity, 6),
                quantity=movement.quantity,
            )  # fmt: skip


def signed(movement: MovementIn) -> float:
    """The movement's effect on the holding: outflows count negative."""
    return -movement.quantity if movement.kind in OUTFLOWS else movement.quantity


def _slot(movement: MovementIn) -> tuple[str, str]:
    return movement.entity, movement.instrument


def save_verified(
    session: Session,
    principal: Principal,
    figures: Iterable[VerifiedIn],
    known_entities: Iterable[str],
    *,
    reason: str | None = None,
) -> int:
    """Append the verified emissions of covered entities (a new version replaces the old)."""
    known, figures = set(known_entities), list(figures)
    for figure in figures:
        _require_site(principal, figure.entity, known)
    changes = [RecordChange(f.key, f.model_dump(mode="json"), entity=f.entity) for f in figures]
    if changes:
        append_records(
            session, VERIFIED, changes, actor=principal.username,
            action="carbon_assets.verified", reason=reason,
        )  # fmt: skip
    return len(changes)


def list_movements(session: Session, principal: Principal) -> list[RecordView]:
    return current_records(session, MOVEMENTS, entities=principal.entities)


def list_verified(session: Session, principal: Principal) -> list[RecordView]:
    return current_records(session, VERIFIED, entities=principal.entities)
