"""The long layout in CSV: a header row naming the columns, then one value per row."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from esgledger.errors import Location
from esgledger.ledger.imports.layouts import LayoutSource
from esgledger.ledger.imports.rows import ImportFileError, cell_too_long, long_header, long_record


def read_long_csv(source: LayoutSource) -> Iterator[tuple]:
    """Every non-blank row after the header, as (sheet, row, cell_column, *LONG_COLUMNS)."""
    number = 0  # the last record (spreadsheet row) read whole; the header is row 1
    try:
        with source.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header, number = _counted(source, next(reader, None), 1), 1
            columns = long_header(Location(file=source.where, row=1), header)
            for number, cells in enumerate(reader, start=2):
                _counted(source, cells, number)
                if any(cell.strip() for cell in cells):
                    yield long_record(None, number, columns, cells)
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{source.where}: not UTF-8 text; save the CSV as 'CSV UTF-8' and import it again"
        ) from None
    except csv.Error as exc:  # a field past the csv module's own limit, a NUL byte, ...
        raise _bad_csv(source, number + 1, exc) from None


def _counted(source: LayoutSource, cells: list[str] | None, line: int) -> list[str] | None:
    if cells is not None:
        source.count(cells, line)
    return cells


def _bad_csv(source: LayoutSource, line: int, exc: csv.Error) -> ImportFileError:
    place = Location(file=source.where, row=line)
    if "field larger than field limit" in str(exc):
        return cell_too_long(place, None, None, source.limits.max_cell_chars)
    return ImportFileError(
        f"{place}: cannot be read as CSV ({exc}); save the file as 'CSV UTF-8' and import it again"
    )
