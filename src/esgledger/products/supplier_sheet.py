"""Suppliers' footprints to and from an XLSX sheet, for people who receive them by e-mail
rather than over PACT. An import is all or nothing: every bad cell is listed (file, sheet,
row, column, what to do) and nothing is written unless every row is good."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from pydantic import ValidationError
from sqlalchemy.orm import Session

from esgledger.errors import Joined, Location, Problem, ValidationFailed
from esgledger.field_errors import field_problem
from esgledger.products.suppliers import (
    SupplierFootprint,
    entered_footprints,
    record_supplier_footprints,
)
from esgledger.spreadsheet_cells import xlsx_row

SHEET = "supplier_footprints"
COLUMNS = tuple(SupplierFootprint.model_fields)


def export_supplier_footprints(session: Session, path: Path) -> int:
    """Write the current footprints (one row each) to ``path``; returns how many."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(xlsx_row(sheet, COLUMNS))
    current = entered_footprints(session)  # those received over PACT stay as received
    for footprint, _version in current.values():
        data = footprint.model_dump(mode="json")
        sheet.append(xlsx_row(sheet, [data[c] for c in COLUMNS]))
    book.save(path)
    return len(current)


def import_supplier_footprints(session: Session, path: Path, *, actor: str) -> int:
    """Record every row of ``path`` or none; returns how many were recorded."""
    sheet = load_workbook(path, read_only=True, data_only=True)[SHEET]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, ())]
    problems: list[Problem] = []
    missing = [
        c for c in COLUMNS if c not in header and SupplierFootprint.model_fields[c].is_required()
    ]
    if missing:
        problems.append(
            Problem.coded(
                Location(file=path.name, sheet=SHEET, row=1),
                None,
                "supplier_sheet.missing_columns",
                missing=Joined(tuple(missing)),
                columns=Joined(COLUMNS),
            )
        )
        raise ValidationFailed.refusing(problems, "supplier_sheet.refused", file=path.name)
    footprints = []
    for number, values in enumerate(rows, start=2):
        if all(v in (None, "") for v in values):
            continue
        data = {h: v for h, v in zip(header, values, strict=False) if h in COLUMNS and v != ""}
        try:
            footprints.append(SupplierFootprint.model_validate(data))
        except ValidationError as exc:
            problems.extend(_problems(path, number, exc))
    if problems:
        raise ValidationFailed.refusing(problems, "supplier_sheet.refused", file=path.name)
    record_supplier_footprints(session, footprints, actor=actor, reason=f"imported {path.name}")
    return len(footprints)


def _problems(path: Path, row: int, exc: ValidationError) -> list[Problem]:
    """Each refused cell, in the words of ``field.<type>`` (docs/user-guide.md has the columns)."""
    return [
        field_problem(
            Location(
                file=path.name,
                sheet=SHEET,
                row=row,
                column=str(error["loc"][0]) if error["loc"] else None,
            ),
            error,
            error.get("input", ""),
        )
        for error in exc.errors()
    ]
