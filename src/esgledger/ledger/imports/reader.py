"""Read an import file, long or wide, into one table of text cells with their places.

Nothing is interpreted here beyond layout: every cell stays text so that validation can
report exactly what the user wrote, where. Files are streamed and counted against the
import limits, so an oversized file is refused after reading no more than the limits.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import polars as pl

from esgledger.errors import Location
from esgledger.ledger.imports.limits import (
    Budget,
    ImportLimits,
    ImportTooLarge,
    require_size,
)
from esgledger.ledger.imports.rows import (
    ROW_COLUMNS,
    ImportFileError,
    cell_too_long,
    long_header,
    long_record,
    require_short_cells,
)
from esgledger.ledger.imports.workbook import workbook_rows

Progress = Callable[[int], None]
_SCHEMA = {column: pl.Int64 if column == "row" else pl.Utf8 for column in ROW_COLUMNS}
_CHUNK_ROWS = 50_000
# A file on the operator's own disk: limits only against files no one could mean.
LOCAL_FILES = ImportLimits(
    max_bytes=2048 << 20,
    max_unzipped_bytes=8192 << 20,
    max_rows=10_000_000,
    max_cells=100_000_000,
)
__all__ = [
    "LOCAL_FILES",
    "ROW_COLUMNS",
    "ImportFileError",
    "ImportTooLarge",
    "Progress",
    "RawTable",
    "read_table",
]


@dataclass(frozen=True)
class RawTable:
    """The cells of an import file as text, one row per (entity, period, indicator) value."""

    name: str
    sha256: str
    frame: pl.DataFrame


def read_table(
    path: Path,
    progress: Progress | None = None,
    limits: ImportLimits = LOCAL_FILES,
    name: str | None = None,
) -> RawTable:
    """Read a CSV (long layout) or an XLSX workbook (long sheets or template sheets).

    ``name`` is what messages and the changeset call the file (an upload's own name,
    not where the server keeps it); by default the path.
    """
    where = name or str(path)
    if not path.is_file():
        raise ImportFileError(f"{where}: no such file; check the path")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ImportFileError(
            f"{where}: expected a .csv or .xlsx file, got {suffix or 'no suffix'!r}"
        )
    require_size(limits, where, path.stat().st_size)
    budget = Budget(limits, where)
    if suffix == ".csv":
        records = _csv_rows(path, where, limits, budget)
    else:
        records = workbook_rows(path, where, limits, budget, progress)
    return RawTable(name=name or path.name, sha256=_sha256(path), frame=_frame_of(records))


def _frame_of(records: Iterator[tuple]) -> pl.DataFrame:
    """The records as one frame, built a chunk at a time.

    Only one chunk of records is ever held as Python tuples; the frame keeps the cells in
    polars' compact columns, a fraction of the memory of the tuples they came from.
    """
    parts = []
    while chunk := list(islice(records, _CHUNK_ROWS)):
        parts.append(pl.DataFrame(chunk, schema=_SCHEMA, orient="row"))
    return pl.concat(parts) if parts else pl.DataFrame(schema=_SCHEMA)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _csv_rows(path: Path, where: str, limits: ImportLimits, budget: Budget) -> Iterator[tuple]:
    number = 0  # the last record (spreadsheet row) read whole; the header is row 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header, number = _counted(next(reader, None), where, 1, limits, budget), 1
            columns = long_header(Location(file=where, row=1), header)
            for number, cells in enumerate(reader, start=2):
                _counted(cells, where, number, limits, budget)
                if any(cell.strip() for cell in cells):
                    yield long_record(None, number, columns, cells)
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{where}: not UTF-8 text; save the CSV as 'CSV UTF-8' and import it again"
        ) from None
    except csv.Error as exc:  # a field past the csv module's own limit, a NUL byte, ...
        raise _bad_csv(where, number + 1, exc, limits) from None


def _counted(
    cells: list[str] | None, where: str, line: int, limits: ImportLimits, budget: Budget
) -> list[str] | None:
    if cells is not None:
        budget.take(len(cells), empty=not any(cells))
        require_short_cells(cells, Location(file=where, row=line), limits.max_cell_chars)
    return cells


def _bad_csv(where: str, line: int, exc: csv.Error, limits: ImportLimits) -> ImportFileError:
    place = Location(file=where, row=line)
    if "field larger than field limit" in str(exc):
        return cell_too_long(place, None, None, limits.max_cell_chars)
    return ImportFileError(
        f"{place}: cannot be read as CSV ({exc}); save the file as 'CSV UTF-8' and import it again"
    )
