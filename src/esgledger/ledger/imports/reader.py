"""Read an import file, long or wide, into one table of text cells with their places.

Nothing is interpreted here beyond layout: every cell stays text so that validation can
report exactly what the user wrote, where.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
from openpyxl.utils import get_column_letter

from esgledger.errors import EsgError, Location
from esgledger.ledger.imports.layout import (
    LONG_COLUMNS,
    REQUIRED_COLUMNS,
    TEMPLATE_MARK,
    WIDE_FIXED,
    canonical_header,
)

Progress = Callable[[int], None]
ROW_COLUMNS = ("sheet", "row", "cell_column", *LONG_COLUMNS)


class ImportFileError(EsgError):
    """A file whose layout esgledger cannot read at all (before any row is checked)."""


@dataclass(frozen=True)
class RawTable:
    """The cells of an import file as text, one row per (entity, period, indicator) value."""

    name: str
    sha256: str
    frame: pl.DataFrame


def read_table(path: Path, progress: Progress | None = None) -> RawTable:
    """Read a CSV (long layout) or an XLSX workbook (long sheets or template sheets)."""
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file; check the path")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        records = list(_csv_rows(path))
    elif suffix in (".xlsx", ".xlsm"):
        records = list(_workbook_rows(path, progress))
    else:
        raise ImportFileError(
            f"{path}: expected a .csv or .xlsx file, got {suffix or 'no suffix'!r}"
        )
    frame = pl.DataFrame(records, schema={c: pl.Utf8 for c in ROW_COLUMNS}, orient="row")
    frame = frame.with_columns(pl.col("row").cast(pl.Int64))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return RawTable(name=path.name, sha256=digest, frame=frame)


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _csv_rows(path: Path) -> Iterator[tuple[str | None, ...]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            columns = _long_header(path, None, header)
            for number, cells in enumerate(reader, start=2):
                if any(cell.strip() for cell in cells):
                    yield _long_record(None, number, columns, cells)
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{path}: not UTF-8 text; save the CSV as 'CSV UTF-8' and import it again"
        ) from None


def _long_header(path: Path, sheet: str | None, header: list[Any] | None) -> dict[str, int]:
    names = [canonical_header(cell) for cell in (header or [])]
    columns = {name: index for index, name in enumerate(names) if name}
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        where = Location(file=str(path), sheet=sheet, row=1)
        raise ImportFileError(
            f"{where}: the header lacks {', '.join(missing)}; the first row must name the "
            f"columns {', '.join(LONG_COLUMNS[:6])} (or use `esgledger template`)"
        )
    return columns


def _long_record(
    sheet: str | None, number: int, columns: dict[str, int], cells: list[Any]
) -> tuple:
    def cell(name: str) -> str | None:
        index = columns.get(name)
        return _cell_text(cells[index]) if index is not None and index < len(cells) else None

    return (sheet, number, None, *(cell(name) for name in LONG_COLUMNS))


def _workbook_rows(path: Path, progress: Progress | None) -> Iterator[tuple]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or non-XLSX file
        raise ImportFileError(f"{path}: cannot be read as an XLSX workbook ({exc})") from None
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            first = next(rows, None)
            if first is None or sheet.title.lower() in ("readme", "说明", "instructions"):
                continue
            if _cell_text(first[0]) == TEMPLATE_MARK:
                yield from _wide_rows(path, sheet.title, first, rows, progress)
            else:
                yield from _long_sheet(path, sheet.title, first, rows, progress)
    finally:
        workbook.close()


def _long_sheet(path: Path, sheet: str, header: tuple, rows: Iterator, progress: Progress | None):
    columns = _long_header(path, sheet, list(header))
    for number, cells in enumerate(rows, start=2):
        if progress:
            progress(1)
        if any(_cell_text(c) for c in cells):
            yield _long_record(sheet, number, columns, list(cells))


def _wide_rows(path: Path, sheet: str, marker: tuple, rows: Iterator, progress: Progress | None):
    """A template sheet: row 1 says which entity (or year) it is, row 2 names the columns."""
    axis, fixed_value = _cell_text(marker[1]), _cell_text(marker[2])
    if axis not in ("entity", "year") or not fixed_value:
        where = Location(file=str(path), sheet=sheet, row=1)
        raise ImportFileError(
            f"{where}: the template marker row is damaged; regenerate the template"
        )
    header = [_cell_text(c) for c in next(rows, ())]
    for number, cells in enumerate(rows, start=3):
        if progress:
            progress(1)
        indicator, unit = _cell_text(cells[0]), _cell_text(cells[3]) if len(cells) > 3 else None
        for index in range(len(WIDE_FIXED), min(len(cells), len(header))):
            value = _cell_text(cells[index])
            if value is None or header[index] is None:
                continue
            column = f"{get_column_letter(index + 1)} ({header[index]})"
            entity, period = (
                (fixed_value, header[index]) if axis == "entity" else (header[index], fixed_value)
            )
            yield (sheet, number, column, entity, period, indicator, value, unit, None, None)
