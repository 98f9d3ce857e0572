"""The PACT registers as one workbook: published footprints, suppliers' footprints received
and customers' requests, one row each, the PACT figures as numbers.

Read-only: footprints are immutable and requests are closed by events, so the workbook is
a copy for analysis (Scope 3 category 1 spend-to-footprint matching, audits), not a form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy.orm import Session

from esgledger.pact.events import all_requests
from esgledger.pact.received import supplier_footprints
from esgledger.pact.store import published
from esgledger.spreadsheet_cells import xlsx_row

FOOTPRINT_COLUMNS = (
    ("id", ("id",)),
    ("status", ("status",)),
    ("company", ("companyName",)),
    ("product", ("productNameCompany",)),
    ("product_ids", ("productIds",)),
    ("declared_unit", ("pcf", "declaredUnitOfMeasurement")),
    ("declared_amount", ("pcf", "declaredUnitAmount")),
    ("pcf_excluding_biogenic_uptake_kgco2e", ("pcf", "pcfExcludingBiogenicUptake")),
    ("pcf_including_biogenic_uptake_kgco2e", ("pcf", "pcfIncludingBiogenicUptake")),
    ("fossil_kgco2e", ("pcf", "fossilGhgEmissions")),
    ("primary_data_share_percent", ("pcf", "primaryDataShare")),
    ("reference_period_start", ("pcf", "referencePeriodStart")),
    ("reference_period_end", ("pcf", "referencePeriodEnd")),
    ("country", ("pcf", "geographyCountry")),
    ("created", ("created",)),
    ("preceding_ids", ("precedingPfIds",)),
)
_NUMBERS = {
    "declared_amount",
    "pcf_excluding_biogenic_uptake_kgco2e",
    "pcf_including_biogenic_uptake_kgco2e",
    "fossil_kgco2e",
    "primary_data_share_percent",
}


def _cell(name: str, payload: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = payload
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name in _NUMBERS and value is not None:
        return float(Decimal(str(value)))
    return value


def _footprint_sheet(book: Workbook, title: str, footprints: Iterable[Mapping[str, Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(xlsx_row(sheet, [name for name, _ in FOOTPRINT_COLUMNS]))
    for payload in footprints:
        cells = [_cell(name, payload, path) for name, path in FOOTPRINT_COLUMNS]
        sheet.append(xlsx_row(sheet, cells))


def write_workbook(session: Session, path: Path) -> dict[str, int]:
    """Write the three sheets to ``path``; returns the row count of each."""
    book = Workbook()
    book.remove(book.active)
    ours, theirs = published(session), supplier_footprints(session)
    _footprint_sheet(book, "published", ours)
    _footprint_sheet(book, "supplier_footprints", theirs)
    requests = all_requests(session)
    sheet = book.create_sheet("requests")
    sheet.append(xlsx_row(sheet, ["key", "client", "received", "criteria", "status"]))
    for record in requests:
        event = record.payload["event"]
        sheet.append(
            xlsx_row(
                sheet,
                [
                    record.key,
                    record.payload["client_name"],
                    event["time"],
                    str(event["data"]),
                    record.payload["status"],
                ],
            )
        )
    book.save(path)
    return {"published": len(ours), "supplier_footprints": len(theirs), "requests": len(requests)}
