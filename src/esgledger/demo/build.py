"""Build the demo ledger end to end the way a user would: init, org, import, review, lock.

The demo's input files are written to disk first and then imported through the same
path as any user's file, so the demo exercises the real import, workflow and snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from esgledger.auth.roles import Role
from esgledger.auth.service import add_user
from esgledger.catalog.registry import Catalog
from esgledger.demo.assurance import load_demo_engagement
from esgledger.demo.carbon_assets import load_carbon_assets
from esgledger.demo.climate_risks import load_demo_register, run_demo_scenarios
from esgledger.demo.collection import DemoCampaign, load_demo_campaign
from esgledger.demo.generate import factor_file, write_files
from esgledger.demo.materiality import load_demo_materiality
from esgledger.demo.monitoring import load_monitoring
from esgledger.demo.narrative import load_narrative
from esgledger.demo.permits import load_permits
from esgledger.demo.products import (
    DemoPact,
    publish_demo_footprints,
    receive_demo_supplier_footprints,
)
from esgledger.demo.safety import load_safety
from esgledger.demo.suppliers import load_suppliers
from esgledger.ledger import calendar, revisions, snapshots
from esgledger.ledger.blobs import BlobStore
from esgledger.ledger.database import migrate, unit_of_work
from esgledger.ledger.imports.apply import ImportResult, import_file
from esgledger.ledger.orgstore import save_entities
from esgledger.org import read_entities
from esgledger.safety.escalation import escalate_overdue

DEMO_YEARS = [2022, 2023, 2024]
LOCKED_YEARS = ["2022", "2023"]
REPORTER, MANAGER = "demo-reporter", "demo-manager"
DEMO_ROOT = "NRE"


@dataclass(frozen=True)
class DemoLedger:
    imports: list[ImportResult]
    snapshot_id: int
    snapshot_hash: str
    observations: int
    entities: int
    accounts: list[dict[str, Any]]
    campaign: DemoCampaign | None = None
    sampled: int = 0  # values sampled by the demo's assurance engagement
    pact: DemoPact | None = None  # the footprints on the PACT host and its demo customer


def org_file() -> Path:
    return Path(str(files("esgledger.demo") / "data" / "org.yaml"))


def build_demo(
    database: Engine, out_dir: Path, catalog: Catalog, files_root: Path | BlobStore
) -> DemoLedger:
    """Create the demo group's ledger on ``engine`` from files written to ``out_dir``; the
    demo's pictures (site plans, hazard photos) are kept in ``files_root``."""
    migrate(database)
    paths = write_files(out_dir)
    entities = read_entities(org_file())
    with unit_of_work(database) as session:
        calendar.open_years(session, MANAGER, DEMO_YEARS)
        save_entities(session, MANAGER, entities)
    results = []
    for path in paths:
        with unit_of_work(database) as session:
            results.append(import_file(session, path, REPORTER, catalog, submit=True))
    with unit_of_work(database) as session:
        revisions.change_status(session, MANAGER, revisions.APPROVED, revisions.Selection())
        for year in LOCKED_YEARS:
            calendar.lock_period(session, MANAGER, year)
        shot = snapshots.take_snapshot(session, MANAGER)
    load_monitoring(database, MANAGER, catalog)
    load_safety(database, MANAGER, files_root)
    accounts = create_demo_accounts(database)
    load_permits(database, MANAGER, [entity.code for entity in entities])
    load_carbon_assets(database, MANAGER, [entity.code for entity in entities])
    load_demo_register(database, catalog, MANAGER)
    run_demo_scenarios(database, catalog, MANAGER, [out_dir / factor_file().name])
    load_demo_materiality(database, MANAGER)
    load_narrative(database, catalog)
    campaign = load_demo_campaign(database, catalog, MANAGER, date.today())
    with unit_of_work(database) as session:  # as the daily job would: overdue hazards
        escalate_overdue(session, date.today())
    load_suppliers(database, MANAGER, [entity.code for entity in entities])
    sampled = load_demo_engagement(database, catalog, [str(out_dir / factor_file().name)])
    receive_demo_supplier_footprints(database, MANAGER)
    pact = publish_demo_footprints(database, catalog, [out_dir / factor_file().name], MANAGER)
    return DemoLedger(
        results,
        shot.id,
        shot.content_hash,
        shot.observation_count,
        len(entities),
        accounts,
        campaign,
        sampled,
        pact,
    )


def create_demo_accounts(database: Engine) -> list[dict[str, Any]]:
    """The demo's users, one per role, from ``data/accounts.yaml``; returns them for printing."""
    accounts = yaml.safe_load(
        (Path(str(files("esgledger.demo"))) / "data" / "accounts.yaml").read_text(encoding="utf-8")
    )["accounts"]
    with unit_of_work(database) as session:
        for account in accounts:
            add_user(
                session,
                MANAGER,
                account["username"],
                account["password"],
                Role(account["role"]),
                account["name"],
                account.get("entities", []),
            )
    return accounts
