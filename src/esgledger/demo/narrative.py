"""The demo's report texts for 2024 (data/narrative/blocks.yaml): written and submitted by
the demo's group manager, approved by its administrator, through the narrative workflow."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml
from sqlalchemy import Engine

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.catalog.registry import Catalog
from esgledger.ledger.database import unit_of_work
from esgledger.narrative import workflow

DATA = Path(str(files("esgledger.demo"))) / "data" / "narrative" / "blocks.yaml"
AUTHOR = Principal(0, "manager", Role.GROUP_MANAGER, None)
REVIEWER = Principal(0, "admin", Role.ADMIN, None)


def load_narrative(database: Engine, catalog: Catalog) -> int:
    """Write, submit and approve every demo text; returns how many."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    with unit_of_work(database) as session:
        for fields in data["blocks"]:
            block = {**fields, "year": data["year"]}
            saved = workflow.save_block(session, catalog, AUTHOR, block, expected_version=0)
            workflow.submit_block(session, AUTHOR, saved.key, expected_version=saved.version)
            workflow.approve_block(session, REVIEWER, saved.key, expected_version=saved.version + 1)
    return len(data["blocks"])
