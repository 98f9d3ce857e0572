"""The supplier register as an XLSX workbook: export to edit, import all rows or none.

One sheet, one supplier per row, the columns of :data:`COLUMNS`. An import reads every
row, checks each (:func:`parse_supplier`) and names every problem by file, sheet, row and
column; only when there is none is anything written, in one append sealed by one audit
entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl import Workbook

from esgledger.errors import EsgError, Location, Problem, ValidationFailed
from esgledger.ledger.imports.limits import ImportLimits
from esgledger.ledger.imports.workbook import require_sane_zip
from esgledger.spreadsheet_cells import xlsx_row
from esgledger.suppliers.register import Supplier, parse_supplier

SHEET = "suppliers"
COLUMNS = tuple(Supplier.__dataclass_fields__)
REQUIRED = ("code", "category", "status", "entity")


def write_workbook(suppliers: Iterable[Supplier], path: Path) -> None:
    """The register as a workbook to edit and import again (text stays text)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(xlsx_row(sheet, COLUMNS))
    for supplier in suppliers:
        payload = supplier.payload()
        sheet.append(xlsx_row(sheet, [payload[c] for c in COLUMNS]))
    book.save(path)


def read_workbook(path: Path, entities: Iterable[str], name: str | None = None) -> list[Supplier]:
    """Every supplier of the workbook, or :class:`ValidationFailed` naming every problem."""
    name = name or path.name
    require_sane_zip(path, name, ImportLimits())
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if SHEET not in book.sheetnames:
            raise EsgError.coded("supplier_q.no_sheet", file=name, sheet=SHEET)
        rows = list(book[SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    header = [str(cell or "").strip() for cell in (rows[0] if rows else ())]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise EsgError.coded("supplier_q.missing_columns", file=name, columns=", ".join(missing))
    return _suppliers(name, header, rows[1:], list(entities))


def _suppliers(
    name: str, header: list[str], rows: list[tuple], entities: list[str]
) -> list[Supplier]:
    found: list[Supplier] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=2):
        cells: dict[str, Any] = {h: v for h, v in zip(header, row, strict=False) if h}
        if not any(v not in (None, "") for v in cells.values()):
            continue
        try:
            found.append(parse_supplier(cells, entities))
        except EsgError as exc:
            column = str((exc.params or {}).get("field", "entity"))
            where = Location(file=name, sheet=SHEET, row=number, column=column)
            problems.append(
                Problem.coded(where, str(cells.get(column, "")), "supplier_q.row_invalid",
                              detail=exc.text("en"))
            )  # fmt: skip
    codes = [s.code for s in found]
    problems += [
        Problem.coded(Location(file=name, sheet=SHEET, column="code"), code,
                      "supplier_q.row_invalid", detail=f"supplier {code} is on two rows")
        for code in sorted({c for c in codes if codes.count(c) > 1})
    ]  # fmt: skip
    if problems:
        raise ValidationFailed.refusing(
            problems, "supplier_q.import_invalid", file=name, count=len(problems)
        )
    return found
