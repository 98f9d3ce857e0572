"""Reconciling a month's meter rollup with the ledger's value and the supplier's invoice.

Invoices are records of ``monitoring.invoices`` (entity, indicator, month, quantity and
unit as billed). For each (entity, indicator) the meters feed, the month's rollup is set
beside the ledger's current value and the invoiced quantity, each converted to the
indicator's unit; a difference beyond the tolerance (data/checks.yaml, with its source)
is flagged. The difference is ``(other - rollup) / rollup``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.ledger.reads.records import current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.ledger.revisions import Selection, latest_revisions
from esgledger.monitoring.ingest import limits
from esgledger.monitoring.rollup import month_rollup
from esgledger.units import conversion_factor

INVOICES = "monitoring.invoices"


class Invoice(BaseModel):
    """A supplier's monthly bill of one carrier, as billed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity: str
    indicator: str
    period: str = Field(pattern=r"^\d{4}-\d{2}$")
    quantity: float = Field(ge=0)
    unit: str
    reference: str = ""


def save_invoice(session: Session, invoice: Invoice, *, actor: str) -> None:
    key = f"{invoice.entity}/{invoice.indicator}/{invoice.period}"
    change = RecordChange(key, invoice.model_dump(), entity=invoice.entity)
    append_records(session, INVOICES, [change], actor=actor, action="invoice.save")


@dataclass(frozen=True)
class Reconciliation:
    """One (entity, indicator, month): rollup, ledger value, invoice and the flags."""

    entity: str
    indicator: str
    period: str
    unit: str
    rollup: float
    ledger: float | None
    invoice: float | None
    ledger_difference: float | None
    invoice_difference: float | None
    flagged: bool


def reconcile(session: Session, month: str, tz: str, catalog: Catalog) -> list[Reconciliation]:
    """Every rollup of ``month`` beside its ledger value and invoice, flagged past tolerance."""
    tolerance = limits()["invoices"]["tolerance_percent"] / 100
    invoices = {
        r.key: Invoice.model_validate(r.payload) for r in current_records(session, INVOICES)
    }
    results = []
    for r in month_rollup(session, month, tz, catalog):
        ledger = ledger_value(session, r.entity, r.indicator, r.period)
        bill = invoices.get(f"{r.entity}/{r.indicator}/{r.period}")
        billed = bill.quantity * conversion_factor(bill.unit, r.unit) if bill else None
        diffs = [_difference(r.value, other) for other in (ledger, billed)]
        flagged = any(d is not None and abs(d) > tolerance for d in diffs)
        results.append(
            Reconciliation(r.entity, r.indicator, r.period, r.unit, r.value, ledger, billed,
                           diffs[0], diffs[1], flagged)
        )  # fmt: skip
    return results


def ledger_value(session: Session, entity: str, indicator: str, period: str) -> float | None:
    """The ledger's current value (in the indicator's catalog unit), None when it has none."""
    for revision in latest_revisions(session, Selection([entity], [period], [indicator])):
        if not revision.is_tombstone:
            return revision.canonical_value
    return None


def _difference(rollup: float, other: float | None) -> float | None:
    if other is None or rollup == 0:
        return None
    return (other - rollup) / rollup
