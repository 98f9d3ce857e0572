"""The demo group's product systems and its suppliers' footprints (data/products/).

The suppliers' footprints are not loaded by ``esgledger demo`` yet (the audit page does not
word the records register's entries in Chinese); tests and a user load them with
:func:`load_supplier_footprints` or ``esgledger footprint suppliers-import``."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import Engine

from esgledger.ledger.database import unit_of_work
from esgledger.products.suppliers import SupplierFootprint, record_supplier_footprints

PRODUCTS_DIR = Path(__file__).with_name("data") / "products"


def product_system_files() -> list[Path]:
    """The demo's product-system YAML files (every file but the suppliers' footprints)."""
    return sorted(p for p in PRODUCTS_DIR.glob("*.yaml") if p.name != "supplier_footprints.yaml")


def load_supplier_footprints(database: Engine, actor: str) -> int:
    """Record the demo suppliers' footprints; returns how many."""
    data = yaml.safe_load((PRODUCTS_DIR / "supplier_footprints.yaml").read_text(encoding="utf-8"))
    footprints = [SupplierFootprint.model_validate(item) for item in data["footprints"]]
    with unit_of_work(database) as session:
        record_supplier_footprints(
            session, footprints, actor=actor, reason="demo suppliers' declared footprints"
        )
    return len(footprints)
