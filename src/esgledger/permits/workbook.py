"""The register as a workbook (XLSX) or, for monitoring results, a CSV file: export, and an
import that writes every row or none.

Sheets: ``Permits`` (one row a permit), ``Outlets`` (one row per outlet and pollutant limit)
and ``Results`` (one row a monitoring result). Every problem is named by file, sheet, row
and column with what to do; a workbook with problems changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from esgledger.auth.service import Principal
from esgledger.errors import EsgError, Location, Phrase, Problem, ValidationFailed, render
from esgledger.permits.model import OutletIn, PermitIn, ResultIn
from esgledger.permits.register import list_outlets, list_permits, save_outlets, save_permits
from esgledger.permits.results import list_results, record_results, result_row
from esgledger.spreadsheet_cells import xlsx_row

COLUMNS = {
    "Permits": ("number", "entity", "authority", "valid_from", "valid_to"),
    "Outlets": (
        "permit",
        "outlet",
        "name",
        "medium",
        "pollutant",
        "max",
        "min",
        "unit",
        "mass_limit",
        "mass_unit",
    ),
    "Results": ("outlet", "pollutant", "sampled_at", "value", "unit", "method"),
}


def export_workbook(session: Session, principal: Principal) -> bytes:
    """The user's permits, outlet limits and results as an XLSX workbook."""
    book = Workbook()
    book.remove(book.active)
    rows = {
        "Permits": [r.payload for r in list_permits(session, principal)],
        "Outlets": [
            {**o.payload, "outlet": o.payload["code"], **limit}
            for o in list_outlets(session, principal)
            for limit in o.payload["limits"]
        ],
        "Results": [r.payload for r in list_results(session, principal)],
    }
    for sheet_name, columns in COLUMNS.items():
        sheet = book.create_sheet(sheet_name)
        sheet.append(xlsx_row(sheet, columns))
        for row in rows[sheet_name]:
            sheet.append(xlsx_row(sheet, [row.get(column) for column in columns]))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _Rows:
    """Rows of one sheet as dicts with their row numbers; problems gathered, located."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file, self.problems = file, problems

    def parsed(self, sheet: str, rows: list[tuple[int, dict]], model: type[BaseModel]) -> list:
        found = []
        for number, row in rows:
            try:
                found.append((number, model.model_validate(_fields(sheet, row))))
            except ValidationError as exc:
                for error in exc.errors():
                    column = str(error["loc"][0]) if error["loc"] else None
                    self.add(sheet, number, column, row.get(column), error["msg"])
        return found

    def add(self, sheet: str, row: int, column: str | None, value: Any, reason: str) -> None:
        where = Location(file=self.file, sheet=sheet, row=row, column=column)
        self.problems.append(
            Problem(
                where,
                None if value is None else str(value),
                reason,
                "",
                code="permit.bad_cell",
                params={"reason": reason},
            )
        )

    def refused(self, sheet: str, row: int, exc: EsgError) -> None:
        where = Location(file=self.file, sheet=sheet, row=row)
        text = Phrase.of(str(exc.code), **exc.params) if exc.code else exc.message
        self.problems.append(
            Problem(where, None, exc.message, "", code="permit.row", params={"text": text})
        )


def _fields(sheet: str, row: dict) -> dict:
    """A sheet row as model fields (the Outlets sheet nests its limit)."""
    row = {key: value for key, value in row.items() if value not in (None, "")}
    if sheet != "Outlets":
        return row
    limit = {
        k: row[k]
        for k in ("pollutant", "max", "min", "unit", "mass_limit", "mass_unit")
        if k in row
    }
    return {
        "permit": row.get("permit"),
        "code": row.get("outlet"),
        "name": row.get("name", ""),
        "medium": row.get("medium"),
        "limits": [limit] if limit else [],
    }


def read_sheets(path: Path) -> dict[str, list[tuple[int, dict]]]:
    """Each known sheet's rows (header in row 1) as (row number, {column: value})."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        return {"Results": [(n, row) for n, row in enumerate(rows, start=2)]}
    book = load_workbook(path, read_only=True, data_only=True)
    return {name: list(_sheet_rows(book[name])) for name in COLUMNS if name in book.sheetnames}


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, dict]]:
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    for number, values in enumerate(rows, start=2):
        if any(value not in (None, "") for value in values):
            yield number, dict(zip(header, values, strict=False))


def import_file(
    session: Session,
    principal: Principal,
    path: Path,
    known_entities: list[str],
    *,
    reason: str | None = None,
) -> dict[str, int]:
    """Write every row of ``path`` or, when any row has a problem, none (raises
    :class:`ValidationFailed` listing all of them). Returns the counts read; permits and
    outlets that did not change get no new version, those that did carry ``reason``
    (a renewal, a new limit) in their history."""
    problems: list[Problem] = []
    rows = _Rows(path.name, problems)
    sheets = read_sheets(path)
    _check_columns(path.name, sheets, rows)
    permits = rows.parsed("Permits", sheets.get("Permits", []), PermitIn)
    outlets = _merge_outlets(rows.parsed("Outlets", sheets.get("Outlets", []), OutletIn))
    results = rows.parsed("Results", sheets.get("Results", []), ResultIn)
    counts = {"permits": 0, "outlets": 0, "results": 0, "exceedances": 0}
    for number, permit in permits:
        _attempt(
            rows,
            "Permits",
            number,
            lambda p=permit: save_permits(session, principal, [p], known_entities, reason=reason),
        )
    counts["permits"] = len(permits)
    for number, outlet in outlets:
        _attempt(
            rows,
            "Outlets",
            number,
            lambda o=outlet: save_outlets(session, principal, [o], reason=reason),
        )
    counts["outlets"] = len(outlets)
    for number, result in results:
        _attempt(rows, "Results", number, lambda r=result: result_row(session, principal, r))
    if problems:
        raise ValidationFailed(
            render("permit.import_failed", "en", file=path.name, count=len(problems)), problems
        )
    counts["results"] = len(results)
    counts["exceedances"] = len(record_results(session, principal, [r for _, r in results]))
    return counts


def _attempt(rows: _Rows, sheet: str, number: int, write: Any) -> None:
    try:
        write()
    except EsgError as exc:
        rows.refused(sheet, number, exc)


def _merge_outlets(parsed: list[tuple[int, OutletIn]]) -> list[tuple[int, OutletIn]]:
    """One outlet per (permit, code), its limits gathered from its rows (first row named)."""
    merged: dict[str, tuple[int, OutletIn]] = {}
    for number, outlet in parsed:
        if outlet.key in merged:
            merged[outlet.key][1].limits.extend(outlet.limits)
        else:
            merged[outlet.key] = (number, outlet)
    return list(merged.values())


def _check_columns(file: str, sheets: dict, rows: _Rows) -> None:
    for sheet, found in sheets.items():
        if not found:
            continue
        missing = [c for c in COLUMNS[sheet] if c not in found[0][1]]
        required = {"Outlets": ("permit", "outlet", "medium", "pollutant")}.get(sheet, ())
        for column in missing:
            if sheet != "Outlets" or column in required:
                rows.add(
                    sheet,
                    1,
                    column,
                    None,
                    render(
                        "permit.missing_column",
                        "en",
                        sheet=sheet,
                        column=column,
                        expected=", ".join(COLUMNS[sheet]),
                    ),
                )
