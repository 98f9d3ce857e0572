"""Suppliers' product footprints as received (by the PACT client or by hand): a register of
ledger records, ``products.supplier_footprints``.

Two shapes share the register: a footprint entered by hand (a sheet) is one record per
purchased product, keyed by the product as the product systems name it; one received over
PACT (``esgledger.pact.received``) is the ProductFootprint JSON as received, keyed by its
PACT id, and is found by its ``productIds`` (a background entry's
``supplier_product_ids``). A product system uses a supplier's footprint in place of a
background factor wherever one is recorded: it is more specific, and its primary-data share
carries over.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.reads.records import RecordView, current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.products.pact_units import registry_units
from esgledger.units import conversion_factor

REGISTER = "products.supplier_footprints"


class SupplierFootprint(BaseModel):
    """A footprint a supplier declared for one product it sells to the group."""

    model_config = ConfigDict(extra="forbid")
    product: str  # the product id as the group's product systems name it
    supplier: str
    pcf: float = Field(ge=0)  # CO2e per declared unit, in pcf_unit
    pcf_unit: str = "kgCO2e/kg"
    primary_data_share: float = Field(ge=0, le=1)
    period_start: date
    period_end: date
    pact_id: str | None = None  # the PACT ProductFootprint id it came from

    def kg_co2e_per(self, unit: str) -> float:
        """The footprint per one ``unit`` of the product, in kg CO2e."""
        return self.pcf * conversion_factor(self.pcf_unit, f"kgCO2e/{unit}")


def record_supplier_footprints(
    session: Session, footprints: list[SupplierFootprint], *, actor: str, reason: str | None = None
) -> None:
    """Append one version per product (validated before anything is written)."""
    changes = [RecordChange(f.product, f.model_dump(mode="json")) for f in footprints]
    append_records(session, REGISTER, changes, actor=actor, action="record", reason=reason)


def from_pact(payload: dict[str, Any]) -> SupplierFootprint:
    """A received PACT ProductFootprint as the LCA reads it, under its first productId: its
    pcfExcludingBiogenicUptake per declared unit and its primaryDataShare (0 when absent)."""
    pcf = payload["pcf"]
    unit = registry_units().get(pcf["declaredUnitOfMeasurement"])
    if unit is None:
        raise EsgError.coded(
            "footprint.supplier_unit",
            footprint=payload["id"],
            unit=pcf["declaredUnitOfMeasurement"],
            known=", ".join(registry_units()),
        )
    per_amount = float(pcf.get("declaredUnitAmount", "1"))
    return SupplierFootprint(
        product=str(payload["productIds"][0]).lower(),
        supplier=payload["companyName"],
        pcf=float(pcf["pcfExcludingBiogenicUptake"]) / per_amount,
        pcf_unit=f"kgCO2e/{unit}",
        primary_data_share=float(pcf.get("primaryDataShare", "0")) / 100,
        period_start=date.fromisoformat(pcf["referencePeriodStart"][:10]),
        period_end=date.fromisoformat(pcf["referencePeriodEnd"][:10]),
        pact_id=payload["id"],
    )


def is_pact_footprint(payload: dict[str, Any]) -> bool:
    """A PACT ProductFootprint (its ``pcf`` an object), not a footprint entered by hand."""
    return "specVersion" in payload and isinstance(payload.get("pcf"), dict)


def entered_footprints(session: Session) -> dict[str, tuple[SupplierFootprint, int]]:
    """The footprints entered by hand (a sheet), under their product, with record versions."""
    return _entered(current_records(session, REGISTER))


def _entered(views: list[RecordView]) -> dict[str, tuple[SupplierFootprint, int]]:
    return {
        view.key: (SupplierFootprint.model_validate(view.payload), view.version)
        for view in views
        if not is_pact_footprint(view.payload)
    }


def supplier_footprints(session: Session) -> dict[str, tuple[SupplierFootprint, int]]:
    """Each product's current supplier footprint with its record version: those entered by
    hand under their product, those received over PACT under each of their productIds
    (lower case; Active ones only, the latest reference period where several)."""
    views = current_records(session, REGISTER)
    received = sorted(
        (
            (from_pact(v.payload), v.payload, v.version)
            for v in views
            if is_pact_footprint(v.payload) and v.payload.get("status") == "Active"
        ),
        key=lambda found: found[0].period_end,
    )
    found = _entered(views)
    for footprint, payload, version in received:
        for product_id in payload["productIds"]:
            found[str(product_id).lower()] = (footprint, version)
    return found
