"""The demo group's product systems, its footprints on PACT and its suppliers' footprints
(data/products/, data/pact.yaml).

``esgledger demo`` computes the product systems' footprints for the demo year from the
demo ledger and publishes them on the PACT host, and registers a customer with public
demo credentials, so that a customer's system can pull them as soon as the host is served.

Before publishing, ``esgledger demo`` receives a supplier's footprints (the hydrochloric
acid of smelting-separation, ILLUSTRATIVE) from the PACT file its host would have listed,
through the PACT client's own storing path (:func:`receive_demo_supplier_footprints`); the
product systems then read that footprint instead of the acid's background value, so the
published footprints and their primary-data shares rest on it. The ferroboron footprint
entered by hand (supplier_footprints.yaml) is loaded only by tests and a user, with
:func:`load_supplier_footprints` or ``esgledger footprint suppliers-import``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from esgledger.catalog.registry import Catalog
from esgledger.engine.methodset import get_method_sets
from esgledger.ledger.database import unit_of_work
from esgledger.pact.clients import NewClient, add_client
from esgledger.pact.payload import Publisher
from esgledger.pact.received import receive_file
from esgledger.pact.store import publish
from esgledger.products.compute import FootprintResult
from esgledger.products.loading import read_system
from esgledger.products.service import ledger_footprints
from esgledger.products.suppliers import SupplierFootprint, record_supplier_footprints

PRODUCTS_DIR = Path(__file__).with_name("data") / "products"
PACT_FILE = Path(__file__).with_name("data") / "pact.yaml"


@dataclass(frozen=True)
class DemoPact:
    """What the demo put on its PACT host: the footprints and the customer's credentials."""

    year: int
    published: list[dict[str, Any]]  # PACT ProductFootprint payloads
    customer: str
    credentials: NewClient
    # each published footprint's product name by language, by footprint id: the payload
    # holds the English name only (productNameCompany)
    names: dict[str, dict[str, str]]


def pact_settings() -> dict[str, Any]:
    """data/pact.yaml: the demo year, method set, publisher and customer."""
    return yaml.safe_load(PACT_FILE.read_text(encoding="utf-8"))


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


def receive_demo_supplier_footprints(database: Engine, actor: str) -> int:
    """Store the demo supplier's PACT footprints as ``esgledger pact receive`` does (the same
    checks and register as ``esgledger pact fetch``); returns how many were new."""
    supplier = pact_settings()["supplier"]
    with unit_of_work(database) as session:
        return receive_file(
            session, PACT_FILE.with_name(supplier["file"]), actor=actor, source=supplier["source"]
        )


def demo_footprints(
    database: Engine, catalog: Catalog, factor_files: Sequence[Path]
) -> list[FootprintResult]:
    """Every published product of the demo's product systems for the demo year, computed
    from the ledger as `esgledger footprint publish` computes them."""
    settings = pact_settings()
    systems = [read_system(path) for path in product_system_files()]
    with unit_of_work(database) as session:
        return ledger_footprints(
            session,
            systems,
            catalog,
            get_method_sets(settings["method_set"])[0],
            int(settings["year"]),
            factor_files=factor_files,
        )


def publish_demo_footprints(
    database: Engine, catalog: Catalog, factor_files: Sequence[Path], actor: str
) -> DemoPact:
    """Publish the demo footprints on the PACT host and register the demo customer."""
    settings = pact_settings()
    footprints = [r.footprint for r in demo_footprints(database, catalog, factor_files)]
    publisher, customer = Publisher(**settings["publisher"]), settings["customer"]
    credentials = NewClient(customer["client_id"], customer["client_secret"])
    with unit_of_work(database) as session:
        published = publish(session, footprints, publisher, actor=actor, reason=settings["reason"])
        add_client(
            session,
            customer["name"],
            actor=actor,
            credentials=credentials,
            reason=customer["reason"],
        )
    named = {
        publisher.product_urn(f.product_id): {"en": f.name_en, "zh": f.name_zh} for f in footprints
    }  # a footprint published before is not published again: matched by product, not place
    names = {payload["id"]: named[payload["productIds"][0]] for payload in published}
    return DemoPact(int(settings["year"]), published, customer["name"], credentials, names)
