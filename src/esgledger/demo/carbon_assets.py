"""The demo's carbon assets (data/carbon_assets/): illustrative allowances, CCER, green
certificates and green power, loaded through the same CSV import as a user's file."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from sqlalchemy import Engine

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.carbon_assets.files import read_movements, read_verified
from esgledger.carbon_assets.register import save_movements, save_verified
from esgledger.ledger.database import unit_of_work

DATA = Path(str(files("esgledger.demo"))) / "data" / "carbon_assets"


def load_carbon_assets(database: Engine, manager: str, entities: list[str]) -> None:
    principal = Principal(0, manager, Role.GROUP_MANAGER, None)
    with unit_of_work(database) as session:
        save_movements(session, principal, read_movements(DATA / "movements.csv"), entities)
        save_verified(session, principal, read_verified(DATA / "verified.csv"), entities)
