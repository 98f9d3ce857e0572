"""Principals and helpers for the carbon-asset registers (on the shared ``ledger`` fixture)."""

from __future__ import annotations

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.carbon_assets.model import MovementIn, VerifiedIn
from esgledger.carbon_assets.register import save_movements, save_verified
from esgledger.ledger.database import unit_of_work

SITES = ("GRP", "SMELT", "METAL")
MANAGER = Principal(1, "manager", Role.GROUP_MANAGER, None)
REPORTER = Principal(2, "reporter", Role.REPORTER, frozenset({"SMELT"}))


def move(ref, entity, instrument, kind, quantity, **more):
    return MovementIn(
        ref=ref, entity=entity, instrument=instrument, kind=kind, quantity=quantity,
        on="2024-06-30", **more,
    )  # fmt: skip


def save(database, *movements, principal=MANAGER):
    with unit_of_work(database) as session:
        return save_movements(session, principal, movements, SITES)


def verified(database, *figures):
    with unit_of_work(database) as session:
        save_verified(
            session, MANAGER,
            [VerifiedIn(entity=e, year=y, verified_tco2=t) for e, y, t in figures], SITES,
        )  # fmt: skip


# the web application on a seeded ledger, and logged-in clients (tests/web/conftest.py)
from tests.web.conftest import app, client_for, seeded_file  # noqa: E402, F401
