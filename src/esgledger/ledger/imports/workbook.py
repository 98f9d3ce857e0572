"""Read an XLSX workbook (long sheets or template sheets) without trusting what it declares.

An XLSX is a zip of XML parts: its directory is checked before anything is unpacked, so
a zip bomb is refused at once. Sheets are streamed (openpyxl read-only) with their
declared dimensions dropped: a stale ``<dimension>`` would cut a sheet to its first row,
and a forged one would make a 5 KB file pad a million empty rows of 16,384 cells.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from esgledger.errors import Location, Phrase
from esgledger.ledger.imports.layout import NOTE_MARK, SKIPPED_SHEETS, TEMPLATE_MARK, WIDE_FIXED
from esgledger.ledger.imports.limits import MB, Budget, ImportLimits
from esgledger.ledger.imports.rows import (
    ImportFileError,
    cell_text,
    long_header,
    long_record,
    require_short_cells,
)


def workbook_rows(
    path: Path, where: str, limits: ImportLimits, budget: Budget, progress: Any
) -> Iterator[tuple]:
    """Every value of every data sheet, as (sheet, row, cell_column, *LONG_COLUMNS) texts."""
    require_sane_zip(path, where, limits)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or non-XLSX file
        raise _unreadable(where, exc) from None
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # read the rows that are there, not the ones declared
            reader = _SheetReader(Location(file=where, sheet=sheet.title), limits, budget, progress)
            yield from reader.rows(_parsed(sheet.iter_rows(values_only=True), where))
    finally:
        workbook.close()


def require_sane_zip(path: Path, where: str, limits: ImportLimits) -> None:
    """Refuse a workbook whose parts would unpack too large, or too far beyond their size."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:  # not a zip at all
        raise _unreadable(where, exc) from None
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unzipped_bytes:
        raise limits.refuse(
            where,
            Phrase.of("import.limit.unpacks_to", size=unpacked),
            Phrase.of("import.limit.unpacked", size=limits.max_unzipped_bytes),
            "max_unzipped_bytes",
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > MB and ratio > limits.max_zip_ratio:
            raise limits.refuse(
                where,
                Phrase.of(
                    "import.limit.zip_bomb", part=part.filename, ratio=ratio, size=part.file_size
                ),
                Phrase.of("import.limit.ratio", ratio=limits.max_zip_ratio),
                "max_zip_ratio",
            )


def _unreadable(where: str, exc: Exception) -> ImportFileError:
    reason = str(exc)[:200] or type(exc).__name__
    return ImportFileError.coded("import.file.not_xlsx", where=where, reason=reason)


def _parsed(rows: Iterator[tuple], where: str) -> Iterator[tuple]:
    """The rows openpyxl parses; a damaged sheet part is the file's fault, not ours."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # read-only sheets are parsed lazily: XML, zip, value errors
            raise _unreadable(where, exc) from None
        yield row


class _SheetReader:
    """One sheet: long layout (header in row 1) or template (marker row, then header)."""

    def __init__(self, where: Location, limits: ImportLimits, budget: Budget, progress: Any):
        self.where, self.limits, self.budget, self.progress = where, limits, budget, progress

    def rows(self, rows: Iterator[tuple]) -> Iterator[tuple]:
        first = self._next(rows, 1)
        if first is None or (self.where.sheet or "").lower() in SKIPPED_SHEETS:
            return
        if first and cell_text(first[0]) == TEMPLATE_MARK:
            yield from self._wide(first, rows)
        else:
            yield from self._long(first, rows)

    def _next(self, rows: Iterator[tuple], number: int) -> tuple | None:
        """The next row (None at the end), counted against the limits."""
        cells = next(rows, None)
        if cells:
            self._count(cells, number)
        return cells

    def _count(self, cells: tuple, number: int) -> None:
        self.budget.take(len(cells), empty=not any(c is not None for c in cells))
        at = Location(self.where.file, self.where.sheet, number)
        require_short_cells(cells, at, self.limits.max_cell_chars)

    def _data(self, rows: Iterator[tuple], start: int) -> Iterator[tuple[int, tuple]]:
        """The rows with something in them, numbered as the spreadsheet shows them."""
        for number, cells in enumerate(rows, start):
            if not cells:  # a row the sheet leaves out: openpyxl fills the gap with ()
                continue
            self._count(cells, number)
            if self.progress:
                self.progress(1)
            if any(cell_text(c) for c in cells):
                yield number, cells

    def _long(self, header: tuple, rows: Iterator[tuple]) -> Iterator[tuple]:
        columns = long_header(Location(self.where.file, self.where.sheet, 1), header)
        for number, cells in self._data(rows, 2):
            yield long_record(self.where.sheet, number, columns, cells)

    def _wide(self, marker: tuple, rows: Iterator[tuple]) -> Iterator[tuple]:
        """Row 1 says which entity (or year) the sheet is, row 2 names the columns."""
        axis, fixed = (cell_text(marker[i]) if len(marker) > i else None for i in (1, 2))
        if axis not in ("entity", "year") or not fixed:
            place = Location(self.where.file, self.where.sheet, 1)
            raise ImportFileError.coded("import.file.marker_damaged", place=place)
        header = [cell_text(c) for c in self._next(rows, 2) or ()]
        for index, mark in enumerate(marker):
            if index < len(header) and cell_text(mark) == NOTE_MARK:
                header[index] = None  # a note column: read as nothing
        self._require_distinct(header)
        sheet = self.where.sheet
        for number, cells in self._data(rows, 3):
            indicator = cell_text(cells[0]) if cells else None
            unit = cell_text(cells[3]) if len(cells) > 3 else None
            for index in range(len(WIDE_FIXED), min(len(cells), len(header))):
                value = cell_text(cells[index])
                if value is None or header[index] is None:
                    continue
                column = f"{get_column_letter(index + 1)} ({header[index]})"
                entity, period = (
                    (fixed, header[index]) if axis == "entity" else (header[index], fixed)
                )
                yield (sheet, number, column, entity, period, indicator, value, unit, None, None)

    def _require_distinct(self, header: list[str | None]) -> None:
        """Two columns for the same period (or entity) would give one figure twice."""
        seen: dict[str, int] = {}
        for index in range(len(WIDE_FIXED), len(header)):
            name = header[index]
            if name is None:
                continue
            if name in seen:
                first, second = (get_column_letter(i + 1) for i in (seen[name], index))
                place = Location(self.where.file, self.where.sheet, 2)
                raise ImportFileError.coded(
                    "import.file.same_heading", place=place, first=first, second=second, name=name
                )
            seen[name] = index
