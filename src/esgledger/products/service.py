"""Footprints of product systems from the ledger: one read of the ledger through the
calculation service, the factor library the engine used, the suppliers' footprints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from esgledger.calc.service import CalculationRun, LedgerInputs, compute, read_inputs
from esgledger.catalog.registry import Catalog
from esgledger.engine.gases import UNSPLIT
from esgledger.engine.methodset import MethodSet
from esgledger.factors import FactorLibrary
from esgledger.products.background import background_rows, gwp_report, gwp_values
from esgledger.products.compute import FootprintResult, Inputs, Lineage, compute_footprint
from esgledger.products.ledger_data import ledger_flows
from esgledger.products.model import Allocation, ProductSystem
from esgledger.products.suppliers import SupplierFootprint, supplier_footprints


def offline_inputs(
    system: ProductSystem,
    library: FactorLibrary,
    year: int,
    suppliers: Mapping[str, tuple[SupplierFootprint, int]] | None = None,
    ledger: tuple[CalculationRun, LedgerInputs] | None = None,
) -> Inputs:
    """The inputs of ``system`` for ``year``; with ``ledger`` its linked processes read the
    engine's figures (without it, a system with ledger links is refused)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    flows, figures, observed, digest = {}, [], [], ""
    if ledger is not None:
        run, inputs = ledger
        flows, figures, observed = ledger_flows(system, run, inputs, str(year))
        digest = run.snapshot_hash
    held = {f.gas for items in flows.values() for f in items} - {UNSPLIT}
    return Inputs(
        background_rows(system, library, start, suppliers or {}),
        gwp_values(library, system.gwp_dataset, start, sorted(held)),
        flows,
        start,
        end,
        Lineage(tuple(observed), tuple(figures), (), digest),
        gwp_report(library, system.gwp_dataset, start),
    )


def ledger_footprint(
    session: Session,
    system: ProductSystem,
    catalog: Catalog,
    method_set: MethodSet,
    year: int,
    *,
    product: str | None = None,
    **options,
) -> FootprintResult:
    """One product's footprint (default: the reference product) over ``year``."""
    products = [product or system.reference_product]
    return ledger_footprints(
        session, [system], catalog, method_set, year, products=products, **options
    )[0]


def ledger_footprints(
    session: Session,
    systems: Sequence[ProductSystem],
    catalog: Catalog,
    method_set: MethodSet,
    year: int,
    *,
    factor_files: Sequence[Path] = (),
    allocation: Allocation | None = None,
    draws: int = 0,
    seed: int = 20240101,
    products: Sequence[str] | None = None,
) -> list[FootprintResult]:
    """Footprints over ``year`` from the ledger's approved values now, read and computed
    once: of ``products`` in every system that makes them (default: each system's
    reference product and the products it publishes)."""
    inputs = read_inputs(session, author="products", record_snapshot=False)
    run = compute(inputs, catalog, [method_set], years=[year], factor_files=factor_files)
    suppliers = supplier_footprints(session)
    library = run.libraries[0]
    found = []
    for system in systems:
        prepared = offline_inputs(system, library, year, suppliers, (run, inputs))
        for product in products or published_products(system):
            found.append(
                compute_footprint(
                    system,
                    prepared,
                    allocation=allocation,
                    draws=draws,
                    seed=seed,
                    product=product,
                )
            )
    return found


def published_products(system: ProductSystem) -> list[str]:
    """The products a system declares footprints of: its own list, then the reference."""
    return list(dict.fromkeys([*system.products, system.reference_product]))
