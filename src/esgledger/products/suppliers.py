"""Suppliers' product footprints as received (by the PACT client or by hand): a register of
ledger records, ``products.supplier_footprints``, one record per purchased product.

A product system uses a supplier's footprint in place of a background factor wherever one
is recorded for the product: it is more specific, and its primary-data share carries over.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from esgledger.ledger.reads.records import current_records
from esgledger.ledger.records import RecordChange, append_records
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


def supplier_footprints(session: Session) -> dict[str, tuple[SupplierFootprint, int]]:
    """Each product's current supplier footprint with its record version."""
    return {
        view.key: (SupplierFootprint.model_validate(view.payload), view.version)
        for view in current_records(session, REGISTER)
    }
