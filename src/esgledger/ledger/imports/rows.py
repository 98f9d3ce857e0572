"""The long layout's header and rows, shared by the CSV and the XLSX readers.

Every cell stays text so that validation can report exactly what the user wrote, where.
A header naming one column twice, or a cell longer than any real figure or comment, is
refused here with the place it is at: taking one of two columns silently would import
the wrong figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import polars as pl
from openpyxl.utils import get_column_letter

from esgledger.errors import EsgError, Location, Phrase, render
from esgledger.ledger.imports.layout import LONG_COLUMNS, REQUIRED_COLUMNS, canonical_header

ROW_COLUMNS = ("sheet", "row", "cell_column", *LONG_COLUMNS)
ROW_SCHEMA = {column: pl.Int64 if column == "row" else pl.Utf8 for column in ROW_COLUMNS}


class ImportFileError(EsgError):
    """A file whose layout esgledger cannot read at all (before any row is checked)."""


def cell_text(value: Any) -> str | None:
    """A cell as the text the user wrote (whole floats without ``.0``), None when blank."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def require_short_cells(cells: Sequence[Any], where: Location, max_chars: int) -> None:
    """Refuse a row holding a cell longer than ``max_chars`` characters, naming the cell."""
    for index, value in enumerate(cells):
        if isinstance(value, str) and len(value) > max_chars:
            raise cell_too_long(where, index, len(value), max_chars)


def cell_too_long(
    where: Location, index: int | None, length: int | None, max_chars: int
) -> ImportFileError:
    """The error for an over-long cell (``index`` None: a CSV field the csv module refused)."""
    place = replace(where, column=get_column_letter(index + 1)) if index is not None else where
    held = Phrase.of("import.file.characters", count=length) if length is not None else None
    return _coded(
        "import.file.cell_too_long",
        place=place,
        held=held or Phrase.of("import.file.more_characters"),
        limit=max_chars,
    )


def _coded(code: str, **params: object) -> ImportFileError:
    return ImportFileError(render(code, **params), code=code, params=params)


def long_header(where: Location, header: Sequence[Any] | None) -> dict[str, int]:
    """Where each long-layout column is; refuses a missing or twice-named column."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header or ()):
        name = canonical_header(cell)
        if name is None:
            continue
        if name in columns:
            raise _twice(where, header, name, columns[name], index)
        columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise _coded(
            "import.file.header_lacks",
            where=where,
            missing=", ".join(missing),
            columns=", ".join(LONG_COLUMNS[:6]),
        )
    return columns


def _twice(where: Location, header: Sequence[Any], name: str, first: int, second: int):
    def named(index: int) -> str:
        return f"{get_column_letter(index + 1)} ({str(header[index]).strip()!r})"

    return _coded(
        "import.file.column_twice", where=where, first=named(first), second=named(second), name=name
    )


def long_record(sheet: str | None, number: int, columns: dict[str, int], cells: Sequence[Any]):
    """One row of the long layout as (sheet, row, cell_column, *LONG_COLUMNS) texts."""

    def cell(name: str) -> str | None:
        index = columns.get(name)
        return cell_text(cells[index]) if index is not None and index < len(cells) else None

    return (sheet, number, None, *(cell(name) for name in LONG_COLUMNS))
