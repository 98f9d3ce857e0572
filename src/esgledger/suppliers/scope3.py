"""Supplier-specific figures for Scope 3 category 1 (GHG Protocol Scope 3 Calculation
Guidance, 2013, category 1: supplier-specific method, eq. 1.1, within the hybrid method).

A delivery a supplier reports (spend questionnaire: product, quantity, unit, amount) is
*covered* when the same supplier gave a footprint for that product (footprint
questionnaire, the newest answer of that year or before) in a unit the quantity converts
to: its emissions are quantity x kgCO2e per unit / 1000 (tCO2e), and its amount is covered
spend. Every other delivery stays with the spend-based method. Per buying entity and year
the sums are written as DRAFT observations of ``scope3.cat1_supplier_specific`` and
``scope3.cat1_supplier_covered_spend`` through the ledger's import, so they are reviewed
like any value; the engine subtracts the covered spend from ``scope3.cat1_purchased_spend``
before the spend factor applies, so no purchase is counted twice. Lineage: one record per
(entity, year) in ``suppliers.scope3`` naming each answer and delivery that went in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import polars as pl
from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.errors import EsgError
from esgledger.ledger.imports.apply import import_rows
from esgledger.ledger.imports.reader import ROW_COLUMNS, RawTable
from esgledger.ledger.records import RecordChange, append_records
from esgledger.suppliers.questionnaires import latest_answers
from esgledger.suppliers.register import list_suppliers
from esgledger.units import conversion_factor

LINEAGE = "suppliers.scope3"
SPECIFIC = "scope3.cat1_supplier_specific"
COVERED = "scope3.cat1_supplier_covered_spend"


@dataclass(frozen=True)
class EntityFigures:
    entity: str
    year: int
    tco2e: float
    covered_spend: float
    lines: list[dict]


def _key(product: object) -> str:
    return " ".join(str(product).split()).casefold()


def _factor(source: str, target: str) -> float | None:
    try:
        return conversion_factor(source, target)
    except EsgError:
        return None
    except Exception:  # pint's dimensionality error: the units do not convert
        return None


def delivery_frame(session: Session, year: int) -> pl.DataFrame:
    """One row per delivery of ``year``, with the footprint that covers it (or nulls)."""
    entity_of = {s.code: s.entity for s, _ in list_suppliers(session)}
    deliveries = [
        (supplier, entity_of.get(supplier), r.key, _key(line["product"]), line["product"],
         line["quantity"], line["unit"], line["amount_cny"])
        for (supplier, _), r in latest_answers(session, "spend", year).items()
        for line in r.payload["answers"]["deliveries"]
    ]  # fmt: skip
    newest: dict[str, tuple[int, object]] = {}
    for (supplier, answered_year), r in latest_answers(session, "footprint").items():
        if answered_year <= year and answered_year >= newest.get(supplier, (0, None))[0]:
            newest[supplier] = (answered_year, r)
    footprints = [
        (supplier, r.key, answered_year, _key(row["product"]), row["unit"],
         row["kgco2e_per_unit"], row["method"], bool(row["verified"]))
        for supplier, (answered_year, r) in newest.items()
        for row in r.payload["answers"]["products"]
    ]  # fmt: skip
    left = pl.DataFrame(
        deliveries,
        orient="row",
        schema={
            "supplier": pl.Utf8,
            "entity": pl.Utf8,
            "spend_answer": pl.Utf8,
            "product_key": pl.Utf8,
            "product": pl.Utf8,
            "quantity": pl.Float64,
            "unit": pl.Utf8,
            "amount_cny": pl.Float64,
        },
    )
    right = pl.DataFrame(footprints, orient="row", schema={
        "supplier": pl.Utf8, "footprint_answer": pl.Utf8, "footprint_year": pl.Int64,
        "product_key": pl.Utf8, "footprint_unit": pl.Utf8, "kgco2e_per_unit": pl.Float64,
        "method": pl.Utf8, "verified": pl.Boolean})  # fmt: skip
    right = right.unique(["supplier", "product_key"], keep="first")
    joined = left.join(right, on=["supplier", "product_key"], how="left")
    pairs = joined.select("unit", "footprint_unit").unique().drop_nulls()
    ratios = pairs.with_columns(
        ratio=pl.Series([_factor(a, b) for a, b in pairs.iter_rows()], dtype=pl.Float64)
    )
    joined = joined.join(ratios, on=["unit", "footprint_unit"], how="left")
    return (
        joined.with_columns(
            covered=pl.col("ratio").is_not_null() & pl.col("kgco2e_per_unit").is_not_null(),
        )
        .with_columns(
            tco2e=pl.when(pl.col("covered"))
            .then(pl.col("quantity") * pl.col("ratio") * pl.col("kgco2e_per_unit") / 1000)
            .otherwise(None),
        )
        .sort("entity", "supplier", "product")
    )


def entity_figures(session: Session, year: int) -> list[EntityFigures]:
    """Per buying entity: supplier-specific tCO2e and the spend it covers (covered lines)."""
    frame = delivery_frame(session, year).filter(pl.col("covered"))
    result = []
    for (entity,), part in frame.group_by("entity", maintain_order=True):
        lines = part.select(
            "supplier", "product", "quantity", "unit", "amount_cny", "kgco2e_per_unit",
            "method", "tco2e", "spend_answer", "footprint_answer",
        ).to_dicts()  # fmt: skip
        result.append(
            EntityFigures(str(entity), year, float(part["tco2e"].sum()),
                          float(part["amount_cny"].sum()), lines)
        )  # fmt: skip
    return result


def feed_scope3(
    session: Session, year: int, *, actor: str, catalog: Catalog
) -> list[EntityFigures]:
    """Write the year's figures as DRAFT observations with lineage (the caller commits).

    Feeding again with the same answers writes nothing new (the import skips unchanged
    values); a corrected answer makes a new draft revision.
    """
    figures = entity_figures(session, year)
    if not figures:
        return figures
    rows = []
    for f in figures:
        note = f"supplier questionnaires: {len(f.lines)} deliveries with product footprints"
        rows += [
            ("suppliers", len(rows) + 1, "value", f.entity, str(year), SPECIFIC,
             repr(round(f.tco2e, 6)), "tCO2e", note, None),
            ("suppliers", len(rows) + 2, "value", f.entity, str(year), COVERED,
             repr(round(f.covered_spend, 2)), "CNY", note, None),
        ]  # fmt: skip
    frame = pl.DataFrame(rows, schema={c: pl.Utf8 for c in ROW_COLUMNS}, orient="row")
    frame = frame.with_columns(pl.col("row").cast(pl.Int64))
    digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    name = f"supplier data {year}"
    outcome = import_rows(session, RawTable(name, digest, frame), actor, catalog, where=name)
    if outcome.changeset_id is not None:
        changes = [
            RecordChange(f"{f.entity}/{year}", {"entity": f.entity, "year": year,
                         "tco2e": f.tco2e, "covered_spend": f.covered_spend, "lines": f.lines,
                         "changeset": outcome.changeset_id}, entity=f.entity)
            for f in figures
        ]  # fmt: skip
        append_records(session, LINEAGE, changes, actor=actor, action="suppliers.scope3_feed")
    return figures
