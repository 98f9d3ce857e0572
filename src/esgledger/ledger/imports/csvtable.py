"""The long layout of a CSV file, read a chunk of records at a time.

The csv module splits the records; what the reader then does to each cell (pick the
layout's columns, strip it, make a blank cell empty, drop blank rows, count the rows and
cells against the limits, refuse an over-long cell) is done over a chunk's columns at
once, so that a million rows cost little more than the csv module itself. A chunk that
would pass a limit, or that holds a row longer than a cell may be, is taken row by row
instead, so that the error names the very row, exactly as a row-by-row reader would.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from itertools import islice
from operator import itemgetter
from pathlib import Path

import polars as pl

from esgledger.errors import Location
from esgledger.ledger.imports.layout import LONG_COLUMNS
from esgledger.ledger.imports.limits import Budget, ImportLimits
from esgledger.ledger.imports.rows import (
    ROW_SCHEMA,
    ImportFileError,
    cell_too_long,
    long_header,
    long_record,
    require_short_cells,
)

CHUNK_ROWS = 50_000
# What str.strip() removes, for polars to remove the same characters from a column.
WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def csv_frames(
    path: Path, where: str, limits: ImportLimits, budget: Budget
) -> Iterator[pl.DataFrame]:
    """The file's non-blank records as frames of ``ROW_SCHEMA``, a chunk at a time."""
    number, chunk = 0, []  # records read whole before the chunk; the header is row 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is not None:
                _counted(header, where, 1, limits, budget)
            number, columns = 1, long_header(Location(file=where, row=1), header)
            while True:
                chunk = []
                chunk.extend(islice(reader, CHUNK_ROWS))  # kept up to a broken record
                if not chunk:
                    return
                yield _frame(chunk, number + 1, columns, where, limits, budget)
                number += len(chunk)
    except UnicodeDecodeError:
        raise ImportFileError.coded("import.file.not_utf8", where=where) from None
    except csv.Error as exc:  # a field past the csv module's own limit, a NUL byte, ...
        raise _bad_csv(where, number + len(chunk) + 1, exc, limits) from None


def _frame(
    chunk: list[list[str]],
    first: int,
    columns: dict[str, int],
    where: str,
    limits: ImportLimits,
    budget: Budget,
) -> pl.DataFrame:
    """One chunk's records as a frame, its cells cleaned over whole columns."""
    joined = list(map("".join, chunk))  # a row's cells are all blank iff this is
    cell_count, filled = sum(map(len, chunk)), len(chunk) - joined.count("")
    longest = max(map(len, joined))
    if longest > limits.max_cell_chars or not budget.take_all(cell_count, filled):
        return _row_by_row(chunk, first, columns, where, limits, budget)
    width = max(columns.values()) + 1
    if min(map(len, chunk)) < width:  # a short record: its missing cells are blank
        chunk = [cells + [""] * (width - len(cells)) for cells in chunk]
    size = len(chunk)
    frame = pl.DataFrame(
        {
            "sheet": pl.repeat(None, size, dtype=pl.Utf8, eager=True),
            "row": pl.int_range(first, first + size, dtype=pl.Int64, eager=True),
            "cell_column": pl.repeat(None, size, dtype=pl.Utf8, eager=True),
            **{name: _column(chunk, columns.get(name)) for name in LONG_COLUMNS},
        },
        schema=ROW_SCHEMA,
    )
    cleaned = [_cell(pl.col(name)) for name in LONG_COLUMNS]
    not_blank = _cell(pl.lit(pl.Series(joined, dtype=pl.Utf8))).is_not_null()
    return frame.filter(not_blank).with_columns(cleaned)


def _column(chunk: list[list[str]], index: int | None) -> list[str] | None:
    return None if index is None else list(map(itemgetter(index), chunk))


def _cell(text: pl.Expr) -> pl.Expr:
    """Stripped as ``str.strip`` strips, and null when nothing is left (``rows.cell_text``)."""
    stripped = text.str.strip_chars(WHITESPACE)
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)


def _row_by_row(
    chunk: list[list[str]],
    first: int,
    columns: dict[str, int],
    where: str,
    limits: ImportLimits,
    budget: Budget,
) -> pl.DataFrame:
    """The chunk taken one record at a time: the first row over a limit is refused."""
    records = []
    for number, cells in enumerate(chunk, start=first):
        _counted(cells, where, number, limits, budget)
        if any(cell.strip() for cell in cells):
            records.append(long_record(None, number, columns, cells))
    return pl.DataFrame(records, schema=ROW_SCHEMA, orient="row")


def _counted(cells: list[str], where: str, line: int, limits: ImportLimits, budget: Budget):
    budget.take(len(cells), empty=not any(cells))
    require_short_cells(cells, Location(file=where, row=line), limits.max_cell_chars)


def _bad_csv(where: str, line: int, exc: csv.Error, limits: ImportLimits) -> ImportFileError:
    place = Location(file=where, row=line)
    if "field larger than field limit" in str(exc):
        return cell_too_long(place, None, None, limits.max_cell_chars)
    return ImportFileError.coded("import.file.not_csv", place=place, reason=str(exc))
