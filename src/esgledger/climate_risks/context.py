"""What register items may name, gathered from the ledger's organisation, the catalog and
the configured targets file (none configured: an item may link no target)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.climate_risks.checks import Known
from esgledger.climate_risks.register import known_references
from esgledger.ledger.orgstore import load_org
from esgledger.targets import load_targets


def known_in_ledger(session: Session, catalog: Catalog, targets: Path | None) -> Known:
    """The entity codes, indicator codes and target ids an item may name."""
    target_ids = [t.id for t in load_targets(targets, catalog).targets] if targets else []
    entities = [entity.code for entity in load_org(session)]
    return known_references(entities, [i.id for i in catalog], target_ids)
