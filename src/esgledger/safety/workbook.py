"""The safety registers as an XLSX workbook: one sheet per register, one row per record.

Export writes each register's current records (D and grade of a risk point included, as
the ledger computed them). Import reads every sheet it knows, checks every row the way a
form is checked (fields, LEC scales, the hazard loop, entities, duplicate keys) and writes
nothing unless every row is right: the problems are listed with file, sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session

from esgledger.auth.service import Principal
from esgledger.errors import EsgError, Location, Phrase, Problem, ValidationFailed, render
from esgledger.ledger.orgstore import load_org
from esgledger.safety.hazards import check_loop
from esgledger.safety.models import DRILLS, HAZARDS, INCIDENTS, MODELS, RISK_POINTS
from esgledger.safety.register import (
    Entry,
    check_entity,
    check_may_write,
    validated,
    visible_records,
    write_entries,
)

SHEETS = {"risk_points": RISK_POINTS, "hazards": HAZARDS, "drills": DRILLS, "incidents": INCIDENTS}
COMPUTED = {"d", "grade"}  # written on export, ignored on import
LIST_FIELDS = {"photos"}


def columns(register: str) -> list[str]:
    return ["key", "entity", *MODELS[register].model_fields]


def export_workbook(session: Session, principal: Principal, path: Path) -> dict[str, int]:
    """Write every register the principal may see; returns rows per sheet."""
    book = Workbook()
    book.remove(book.active)
    counts = {}
    for sheet_name, register in SHEETS.items():
        sheet = book.create_sheet(sheet_name)
        names = columns(register)
        sheet.append(names)
        records = visible_records(session, principal, register)
        for record in records:
            fields = {"key": record.key, "entity": record.entity, **record.payload}
            sheet.append([_cell(fields.get(name)) for name in names])
        counts[sheet_name] = len(records)
    book.save(path)
    return counts


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return value


def import_workbook(session: Session, principal: Principal, path: Path) -> dict[str, int]:
    """Check every row of every known sheet, then write them all, or nothing."""
    book = load_workbook(path, read_only=True, data_only=True)
    known = [name for name in book.sheetnames if name in SHEETS]
    if not known:
        raise EsgError(
            f"{path.name} has none of the sheets {', '.join(SHEETS)}",
            code="safety_mgmt.sheet_missing",
            params={"sheet": ", ".join(SHEETS), "expected": ", ".join(SHEETS)},
        )
    org = {entity.code for entity in load_org(session)}
    problems: list[Problem] = []
    batches: dict[str, list[Entry]] = {}
    for name in known:
        rows = list(book[name].iter_rows(values_only=True))
        batches[SHEETS[name]] = _sheet_entries(path.name, name, rows, org, principal, problems)
    if problems:
        failure = ValidationFailed(
            render("safety_mgmt.import_problems", "en", file=path.name, count=len(problems)),
            problems,
        )
        failure.code, failure.params = (
            "safety_mgmt.import_problems",
            {"file": path.name, "count": len(problems)},
        )
        raise failure
    return {
        register: write_entries(
            session,
            principal,
            register,
            entries,
            action="safety.import",
            reason=f"imported from {path.name}",
        )
        for register, entries in batches.items()
        if entries
    }


def _sheet_entries(
    file: str,
    sheet: str,
    rows: list[tuple],
    org: set[str],
    principal: Principal,
    problems: list[Problem],
) -> list[Entry]:
    register = SHEETS[sheet]
    header = [str(cell).strip() if cell is not None else "" for cell in (rows[0] if rows else ())]
    for needed in ("key", "entity"):
        if needed not in header:
            problems.append(
                _problem(
                    Location(file, sheet, 1, needed),
                    None,
                    EsgError(
                        "",
                        code="safety_mgmt.column_missing",
                        params={"column": needed, "expected": ", ".join(columns(register))},
                    ),
                )
            )
            return []
    entries, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        if all(cell in (None, "") for cell in row):
            continue
        raw = {name: _value(name, cell) for name, cell in zip(header, row, strict=False) if name}
        entry = _row_entry(file, sheet, number, raw, register, org, principal, seen, problems)
        if entry is not None:
            entries.append(entry)
    return entries


def _row_entry(file, sheet, number, raw, register, org, principal, seen, problems):
    key, entity = str(raw.pop("key", "") or ""), str(raw.pop("entity", "") or "")
    fields = {k: v for k, v in raw.items() if k not in COMPUTED and v is not None}
    try:
        if key in seen:
            raise EsgError("", code="safety_mgmt.duplicate_key", params={"key": key})
        seen.add(key)
        check_entity(entity, org)
        check_may_write(principal, entity)
        validated(register, fields)
        if register == HAZARDS:
            check_loop(fields, key)
    except EsgError as error:
        column = _column_of(error)
        problems.append(_problem(Location(file, sheet, number, column), raw.get(column), error))
        return None
    return Entry(key, entity, fields)


def _column_of(error: EsgError) -> str:
    params = error.params
    if "factor" in params:
        return str(params["factor"]).lower()
    if error.code == "safety_mgmt.close_unverified":
        return "status"
    return str(params.get("field") or ("entity" if "entity" in params else "key")).split(".")[0]


def _problem(location: Location, value: Any, error: EsgError) -> Problem:
    return Problem.coded(
        location,
        None if value is None else str(value),
        "safety_mgmt.bad_cell",
        error=Phrase.of(error.code or "safety_mgmt.invalid_field", **error.params),
    )


def _value(name: str, cell: Any) -> Any:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if name in LIST_FIELDS:
        return [part.strip() for part in str(cell or "").split(",") if part.strip()]
    if name in {"l", "e", "c"} and cell is not None:
        return format(cell, "g") if isinstance(cell, float) else str(cell)
    if isinstance(cell, str):
        return cell.strip() or None
    return cell


def sheet_names() -> Iterable[str]:
    return SHEETS
